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

export function fmtPct(x: number | null | undefined): string {
  return x === null || x === undefined ? "–" : `${(x * 100).toFixed(1)}%`;
}

export function fmtMs(x: number | null | undefined): string {
  if (x === null || x === undefined) return "–";
  return x < 1000 ? `${Math.round(x)} ms` : `${(x / 1000).toFixed(2)} s`;
}

export function fmtNum(x: number | null | undefined, digits: number): string {
  return x === null || x === undefined ? "–" : Number(x).toFixed(digits);
}

export function fmtUsd(x: number | null | undefined): string {
  if (x === null || x === undefined) return "–";
  if (x >= 1) return `$${x.toFixed(2)}`;
  if (x > 0 && x < 0.0001) return `$${x.toPrecision(2)}`;
  return `$${x.toFixed(4)}`;
}

export function isDark(): boolean {
  return window.matchMedia?.("(prefers-color-scheme: dark)").matches ?? false;
}
