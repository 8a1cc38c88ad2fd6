// DOM helpers and number formats of the page. Text from the data is only ever set with textContent.

/** A new element with attributes and text (set as textContent). */
export function el(
  tag: string,
  attrs?: Record<string, string> | null,
  text?: string | number | null,
): HTMLElement {
  const e = document.createElement(tag);
  if (attrs) for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined && text !== null) e.textContent = String(text);
  return e;
}

/** Appends a cell to `tr`; `sortValue` (data-v) sorts it numerically. */
export function cell(
  tr: HTMLElement,
  text: string | number | null,
  sortValue?: number | null,
  cls?: string,
): HTMLElement {
  const td = el("td", cls ? { class: cls } : null, text);
  if (sortValue !== undefined && sortValue !== null) td.setAttribute("data-v", String(sortValue));
  tr.appendChild(td);
  return td;
}

/** The element with this id (the page's template always has it). */
export function byId(id: string): HTMLElement {
  return document.getElementById(id) as HTMLElement;
}

/** What every table cell shows for a figure that does not exist: null, undefined, NaN or ±Infinity. */
export const NO_FIGURE = "–";

/** `x` when it is a finite number, else undefined: every cell formatter goes through it, so none prints NaN. */
function finite(x: number | null | undefined): number | undefined {
  return typeof x === "number" && Number.isFinite(x) ? x : undefined;
}

export function fmtPct(x: number | null | undefined): string {
  const v = finite(x);
  return v === undefined ? NO_FIGURE : `${(v * 100).toFixed(1)}%`;
}

export function fmtMs(x: number | null | undefined): string {
  const v = finite(x);
  if (v === undefined) return NO_FIGURE;
  return v < 1000 ? `${Math.round(v)} ms` : `${(v / 1000).toFixed(2)} s`;
}

export function fmtNum(x: number | null | undefined, digits: number): string {
  const v = finite(x);
  return v === undefined ? NO_FIGURE : v.toFixed(digits);
}

export function fmtUsd(x: number | null | undefined): string {
  const v = finite(x);
  if (v === undefined) return NO_FIGURE;
  if (v >= 1) return `$${v.toFixed(2)}`;
  if (v > 0 && v < 0.0001) return `$${v.toPrecision(2)}`;
  return `$${v.toFixed(4)}`;
}

export function isDark(): boolean {
  return window.matchMedia?.("(prefers-color-scheme: dark)").matches ?? false;
}
