// Reports: generate the HTML report of a run (or the history of several), view it inline, download it, delete it
// (confirmed first).
import type { Deleted, RunListItem } from "../../../src/ui/api-types.ts";
import { api } from "../api.ts";
import { h, replace } from "../dom.ts";
import { confirmDelete } from "./confirm-dialog.ts";

export function reportsView(root: HTMLElement, _args: string[], query: URLSearchParams): undefined {
  const runs = h("div", { class: "loading" }, "Loading…");
  const list = h("div");
  const viewer = h("div", { class: "viewer" });
  const message = h("div", { "data-testid": "reports-message" });
  replace(
    root,
    h("h1", {}, "Reports"),
    h(
      "div",
      { class: "row" },
      h("section", {}, h("h3", {}, "Generate"), runs, message),
      h("section", {}, h("h3", {}, "Reports"), list),
    ),
    viewer,
  );

  const show = (path: string) => {
    const src = `/files/${path.split("/").map(encodeURIComponent).join("/")}`;
    replace(
      viewer,
      h(
        "p",
        {},
        h("code", {}, path),
        " · ",
        h(
          "a",
          {
            href: `${src}?download=1`,
            download: path.split("/").pop() ?? "report.html",
            "data-testid": "download",
          },
          "Download",
        ),
        " · ",
        h("a", { href: src, target: "_blank", rel: "noopener" }, "Open in a tab"),
      ),
      h("iframe", { src, title: "report", "data-testid": "report-frame" }),
    );
  };
  const loadList = async () => {
    const { reports } = await api.get<{ reports: { path: string; size: number; modifiedAt: string }[] }>(
      "/api/reports",
    );
    replace(
      list,
      reports.length
        ? h(
            "ul",
            {},
            reports.map((r) =>
              h(
                "li",
                { "data-testid": "report-item", "data-path": r.path },
                h(
                  "a",
                  {
                    href: `#/reports?view=${encodeURIComponent(r.path)}`,
                    onclick: (e: Event) => {
                      e.preventDefault();
                      show(r.path);
                    },
                  },
                  r.path,
                ),
                h(
                  "span",
                  { class: "muted" },
                  ` ${(r.size / 1024).toFixed(0)} KB · ${new Date(r.modifiedAt).toLocaleString()} `,
                ),
                h(
                  "button",
                  {
                    class: "danger",
                    "data-testid": "delete-report",
                    onclick: () =>
                      void confirmDelete(
                        `report ${r.path}`,
                        () => api.del<Deleted>("/api/reports", { path: r.path }),
                        (text, ok) => {
                          replace(message, h("p", { class: ok ? "ok" : "error" }, text));
                          if (!ok) return;
                          if (viewer.querySelector("code")?.textContent === r.path) replace(viewer);
                          void loadList();
                        },
                      ),
                  },
                  "Delete",
                ),
              ),
            ),
          )
        : h("p", { class: "muted" }, "No report yet."),
    );
  };
  api
    .get<{ runs: RunListItem[] }>("/api/runs")
    .then(({ runs: items }) => {
      const finished = items.filter((r) => r.status !== "running");
      const boxes = finished.map((r, i) =>
        h("input", { type: "checkbox", value: r.runId, checked: i === 0 }),
      );
      runs.className = "";
      replace(
        runs,
        finished.length
          ? [
              h(
                "p",
                { class: "muted" },
                "One run gives its report; several runs give one report of their history (the newest run's config).",
              ),
              h(
                "ul",
                { class: "plain" },
                finished.map((r, i) =>
                  h(
                    "li",
                    {},
                    h(
                      "label",
                      {},
                      boxes[i] as HTMLElement,
                      ` ${r.name ? `${r.name} · ` : ""}${r.runId} (${r.total} cases)`,
                    ),
                  ),
                ),
              ),
              h(
                "button",
                {
                  class: "primary",
                  "data-testid": "generate",
                  onclick: async () => {
                    replace(message, "Generating…");
                    try {
                      const runIds = boxes.filter((b) => b.checked).map((b) => b.value);
                      const res = await api.post<{ path: string }>("/api/reports", { runIds });
                      replace(message, h("p", { class: "ok" }, `Written to ${res.path}`));
                      await loadList();
                      show(res.path);
                    } catch (err) {
                      replace(message, h("p", { class: "error" }, String(err)));
                    }
                  },
                },
                "Generate report",
              ),
            ]
          : h("p", { class: "muted" }, "No finished run."),
      );
    })
    .catch((err: unknown) => replace(runs, h("p", { class: "error" }, String(err))));
  void loadList();
  const v = query.get("view");
  if (v) show(v);
  return undefined;
}
