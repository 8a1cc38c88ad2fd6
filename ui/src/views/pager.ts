import { h } from "../dom.ts";

/** First / previous / next / last buttons around "page x of y · n cases"; `goTo` gets the page asked for. */
export function pager(page: { page: number; pages: number; total: number }, goTo: (page: number) => void) {
  const go = (p: number) => () => goTo(p);
  return h(
    "div",
    { class: "pager" },
    h("button", { onclick: go(1), disabled: page.page <= 1 }, "«"),
    h(
      "button",
      { onclick: go(page.page - 1), disabled: page.page <= 1, "data-testid": "prev-page" },
      "‹ Prev",
    ),
    h("span", { "data-testid": "page-info" }, ` page ${page.page} of ${page.pages} · ${page.total} cases `),
    h(
      "button",
      { onclick: go(page.page + 1), disabled: page.page >= page.pages, "data-testid": "next-page" },
      "Next ›",
    ),
    h("button", { onclick: go(page.pages), disabled: page.page >= page.pages }, "»"),
  );
}
