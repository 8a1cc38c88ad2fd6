import { h } from "../dom.ts";

/** A summary card: a title, a big value and a line under it. */
export function card(title: string, value: string, sub: string) {
  return h(
    "div",
    { class: "card" },
    h("div", { class: "card-title" }, title),
    h("div", { class: "card-value" }, value),
    h("div", { class: "card-sub" }, sub),
  );
}
