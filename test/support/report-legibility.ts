// What the HTML report's charts look like once chromium drew them: each chart's text marks with the colour
// they are painted in, the colour behind them and their WCAG contrast ratio; its rules and lines likewise; and
// the pairs of mark labels whose boxes intersect. Read from the SVG the page renders (vega-embed, svg renderer).
import type { Page } from "playwright-core";

export interface ChartLegibility {
  /** The chart container's data-chart. */
  chart: string;
  /** Every visible, non-empty text of the chart: marks, axes, legends, titles. */
  texts: {
    text: string;
    /** rgb() as painted (its opacity composited). */
    color: string;
    /** rgb() of what is behind the text's centre: the marks painted there over the page's background. */
    background: string;
    contrast: number;
    bold: boolean;
  }[];
  /** Every rule and line mark (not axes, legends or marks named `*grid*`): stroke against the chart's background. */
  strokes: { mark: string; color: string; background: string; contrast: number }[];
  /** Pairs of mark labels (text marks, not axis or legend labels) whose boxes intersect. */
  overlaps: string[];
}

/**
 * Runs in the page (a string, so that no transform of this file's TypeScript reaches the browser). Colours are
 * composited as the browser paints them: an element's fill with its fill-opacity and every ancestor's opacity,
 * shapes in document (= paint) order, hit-tested at the text's centre with isPointInFill.
 */
const IN_PAGE = String.raw`(() => {
  const parse = (c) => {
    const m = /rgba?\(([^)]+)\)/.exec(c || "");
    if (!m) return null;
    const p = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p[3] === undefined ? 1 : p[3]];
  };
  const over = (top, alpha, bottom) => top.slice(0, 3).map((v, k) => v * alpha + bottom[k] * (1 - alpha));
  const channel = (v) => { const s = v / 255; return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; };
  const luminance = (c) => 0.2126 * channel(c[0]) + 0.7152 * channel(c[1]) + 0.0722 * channel(c[2]);
  const contrast = (a, b) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  const rgb = (c) => "rgb(" + c.map((v) => Math.round(v)).join(", ") + ")";
  const opacityOf = (el, svg) => {
    let a = 1;
    for (let e = el; e && e !== svg.parentElement; e = e.parentElement) a *= Number(getComputedStyle(e).opacity);
    return a;
  };
  const pageBackground = (el) => {
    let layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c[3] > 0) layers.push(c);
      if (c && c[3] >= 1) break;
    }
    let base = [255, 255, 255];
    for (const c of layers.reverse()) base = over(c, c[3], base);
    return base;
  };
  const inGuide = (el) => !!el.closest("[class*='role-axis'], [class*='role-legend'], [class*='role-title']");
  const out = [];
  for (const box of document.querySelectorAll(".chart")) {
    const svg = box.querySelector("svg");
    if (!svg) continue;
    const base = pageBackground(box);
    const shapes = [...svg.querySelectorAll("path, rect, circle, ellipse, polygon")].flatMap((el) => {
      const s = getComputedStyle(el);
      const fill = parse(s.fill);
      const alpha = fill ? fill[3] * Number(s.fillOpacity) * opacityOf(el, svg) : 0;
      return alpha > 0.001 && s.visibility !== "hidden" ? [{ el, fill, alpha }] : [];
    });
    const behind = (x, y) => {
      let c = base;
      for (const { el, fill, alpha } of shapes) {
        const m = el.getScreenCTM();
        if (!m) continue;
        const p = new DOMPoint(x, y).matrixTransform(m.inverse());
        if (el.isPointInFill(p)) c = over(fill, alpha, c);
      }
      return c;
    };
    const texts = [];
    const labels = [];
    for (const t of svg.querySelectorAll("text")) {
      const text = (t.textContent || "").trim();
      const s = getComputedStyle(t);
      const fill = parse(s.fill);
      const alpha = fill ? fill[3] * Number(s.fillOpacity) * opacityOf(t, svg) : 0;
      const r = t.getBoundingClientRect();
      if (!text || alpha < 0.01 || s.visibility === "hidden" || r.width === 0) continue;
      const bg = behind(r.left + r.width / 2, r.top + r.height / 2);
      const color = over(fill, alpha, bg);
      texts.push({ text, color: rgb(color), background: rgb(bg), contrast: contrast(color, bg),
        bold: s.fontWeight === "bold" || Number(s.fontWeight) >= 600 });
      if (!inGuide(t)) labels.push({ text, r });
    }
    const overlaps = [];
    for (let i = 0; i < labels.length; i++)
      for (let j = i + 1; j < labels.length; j++) {
        const a = labels[i].r, b = labels[j].r;
        const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (w > 1 && h > 1) overlaps.push('"' + labels[i].text + '" × "' + labels[j].text + '"');
      }
    const strokes = [];
    for (const el of svg.querySelectorAll("g.mark-rule line, g.mark-line path")) {
      const g = el.closest("g[class*='mark-']");
      if (inGuide(el) || /grid/.test(g.getAttribute("class") || "")) continue;
      const s = getComputedStyle(el);
      const stroke = parse(s.stroke);
      if (!stroke) continue;
      const alpha = stroke[3] * Number(s.strokeOpacity) * opacityOf(el, svg);
      if (alpha < 0.01) continue;
      const color = over(stroke, alpha, base);
      strokes.push({ mark: g.getAttribute("class"), color: rgb(color), background: rgb(base),
        contrast: contrast(color, base) });
    }
    out.push({ chart: box.getAttribute("data-chart"), texts, strokes, overlaps });
  }
  return out;
})()`;

/** Every chart of the page as drawn now (wait for `body[data-charts-ready]` first). */
export function chartLegibility(page: Page): Promise<ChartLegibility[]> {
  return page.evaluate(IN_PAGE) as Promise<ChartLegibility[]>;
}
