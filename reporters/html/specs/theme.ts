// The charts' light and dark themes (pure, browser-safe): the Vega and Vega-Lite config the page embeds every chart
// with, so that every text and line mark is drawn in the page's own foreground colour. Text has WCAG AA contrast
// (4.5:1) with the card behind it, lines and the category colours 3:1, in both themes.

/** The colours of one theme: the page's CSS variables of the same name (template.ts). */
export interface ThemeColors {
  /** Text and lines: `--fg`. */
  fg: string;
  /** Axis domains and ticks: `--muted`. */
  muted: string;
  /** Grid lines: `--line`. */
  grid: string;
}

export const LIGHT: ThemeColors = { fg: "#1f2328", muted: "#59636e", grid: "#d1d9e0" };
export const DARK: ThemeColors = { fg: "#e6edf3", muted: "#9198a1", grid: "#3d444d" };

/**
 * Tableau 10, each colour darkened or lightened to a luminance between 0.14 and 0.19: 3:1 or more against the
 * light card (#f6f8fa) and the dark one (#151b23), so a model's line or rule reads in both themes and keeps its
 * colour when the theme changes.
 */
export const CATEGORY = [
  "#4c78a8",
  "#c05a00",
  "#c23b3a",
  "#2f7f79",
  "#3c8035",
  "#8f6d00",
  "#9a5b8b",
  "#b5417c",
  "#86634f",
  "#77706c",
];

/** The theme's colours. */
export function themeColors(dark: boolean): ThemeColors {
  return dark ? DARK : LIGHT;
}

/** Vega config (the treemap and the radar, which read `fg` and `gridColor` signals too). */
export function vegaConfig(dark: boolean): Record<string, unknown> {
  const t = themeColors(dark);
  return {
    background: "transparent",
    range: { category: CATEGORY },
    text: { fill: t.fg },
    rule: { stroke: t.fg },
    axis: { labelColor: t.fg, titleColor: t.fg, domainColor: t.muted, tickColor: t.muted, gridColor: t.grid },
    legend: { labelColor: t.fg, titleColor: t.fg },
    title: { color: t.fg, subtitleColor: t.fg },
  };
}

/** Vega-Lite config: text, rules (error bars, intervals) and guides in the foreground colour. */
export function vegaLiteConfig(dark: boolean): Record<string, unknown> {
  const t = themeColors(dark);
  return {
    background: "transparent",
    range: { category: CATEGORY },
    text: { color: t.fg },
    rule: { color: t.fg },
    tick: { color: t.fg },
    errorbar: { color: t.fg },
    view: { stroke: t.grid },
    axis: { labelColor: t.fg, titleColor: t.fg, domainColor: t.muted, tickColor: t.muted, gridColor: t.grid },
    legend: { labelColor: t.fg, titleColor: t.fg },
    header: { labelColor: t.fg, titleColor: t.fg },
    title: { color: t.fg, subtitleColor: t.fg },
    style: { "guide-label": { fill: t.fg }, "guide-title": { fill: t.fg } },
  };
}

/**
 * The colour encoding of text drawn on a cell filled with `fill` (a Vega expression giving the cell's colour):
 * white on dark fills, black on light ones. They tie at luminance 0.179, where either has 4.58:1.
 */
export function textOn(fill: string): Record<string, unknown> {
  return { condition: { test: `luminance(${fill}) < 0.179`, value: "#ffffff" }, value: "#000000" };
}
