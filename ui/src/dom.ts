// DOM helpers: every string becomes a text node — data is never parsed as HTML.

type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | EventListener | undefined | null>;

/** `h("td", {class: "x", onclick: fn}, "text", node)`: an element whose string children are text nodes. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2), v);
    else if (k === "value" && "value" in el) (el as HTMLInputElement).value = String(v);
    else if (k === "checked" && "checked" in el) (el as HTMLInputElement).checked = Boolean(v);
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  append(el, children);
  return el;
}

/** Appends children (strings as text). */
export function append(el: Node, children: (Child | Child[])[]): void {
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.appendChild(typeof c === "string" || typeof c === "number" ? document.createTextNode(String(c)) : c);
  }
}

/** Replaces an element's children. */
export function replace(el: Element, ...children: (Child | Child[])[]): void {
  el.replaceChildren();
  append(el, children);
}

export const pct = (x: number | undefined | null) =>
  x === undefined || x === null || Number.isNaN(x) ? "–" : `${(x * 100).toFixed(1)}%`;
export const usd = (x: number | undefined | null) =>
  x === undefined || x === null ? "–" : `$${x < 0.01 && x > 0 ? x.toFixed(5) : x.toFixed(4)}`;
export const ms = (x: number | undefined | null) =>
  x === undefined || x === null ? "–" : x >= 10_000 ? `${(x / 1000).toFixed(1)} s` : `${Math.round(x)} ms`;
export const num = (x: number | undefined | null, d = 2) =>
  x === undefined || x === null ? "–" : x.toFixed(d);
export const ci = (c: [number, number] | undefined, f: (x: number) => string) =>
  c ? `${f(c[0])}–${f(c[1])}` : "";

/** A duration as `1h 2m`, `3m 4s` or `5s`. */
export function duration(msValue: number | undefined): string {
  if (msValue === undefined) return "–";
  const s = Math.round(msValue / 1000);
  if (s >= 3600) return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m ${s % 60}s`;
  return `${s}s`;
}

/** A long id (`bedrock/us.anthropic.claude-…-v1:0`) that may wrap after its separators rather than overflow. */
export function breakableId(id: string): HTMLElement {
  return h(
    "span",
    { class: "breakable" },
    id.split(/(?<=[/.:@_-])/).flatMap((part, i) => (i ? [h("wbr"), part] : [part])),
  );
}

/** A table from headers and rows of cells. */
export function table(headers: (string | Node)[], rows: Child[][], attrs: Attrs = {}): HTMLTableElement {
  return h(
    "table",
    attrs,
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        headers.map((x) => h("th", {}, x)),
      ),
    ),
    h(
      "tbody",
      {},
      rows.map((r) =>
        h(
          "tr",
          {},
          r.map((c) => h("td", {}, c)),
        ),
      ),
    ),
  );
}
