import type { RunListItem } from "../../../src/ui/api-types.ts";
import { api, live } from "../api.ts";
import { h, pct, replace, table, usd } from "../dom.ts";

/** The runs table's gate column: a run stopped before its end has no verdict, neither ✓ nor ✗. */
const GATE_MARK: Record<NonNullable<RunListItem["gate"]>, string> = {
  passed: "✓",
  failed: "✗",
  "not evaluated": "– not evaluated",
};

/** Every run, newest first, live; with a form to compare two finished runs. */
export function runsList(root: HTMLElement): () => void {
  const list = h("div", { class: "loading" }, "Loading runs…");
  const base = h("select", { "data-testid": "compare-base" });
  const other = h("select", { "data-testid": "compare-run" });
  replace(
    root,
    h("h1", {}, "Evaluations"),
    h(
      "form",
      {
        class: "inline",
        onsubmit: (e: Event) => {
          e.preventDefault();
          location.hash = `#/evaluations/compare?base=${encodeURIComponent(base.value)}&run=${encodeURIComponent(other.value)}`;
        },
      },
      h("label", {}, "Compare baseline ", base),
      h("label", {}, " with ", other),
      h("button", { type: "submit" }, "Compare"),
    ),
    list,
  );
  const load = async () => {
    const { runs } = await api.get<{ runs: RunListItem[] }>("/api/runs");
    const finished = runs.filter((r) => r.status !== "running");
    const option = (r: RunListItem) =>
      h("option", { value: r.runId }, r.name ? `${r.name} (${r.runId})` : r.runId);
    replace(base, finished.map(option));
    replace(other, finished.map(option));
    if (finished[1]) base.value = finished[1].runId;
    list.className = "";
    replace(
      list,
      runs.length
        ? table(
            [
              "Run",
              "Name",
              "Status",
              "Started",
              "Cases",
              "Pass rate",
              "Passed / failed / errored",
              "Cost",
              "Gate",
              "Models",
            ],
            runs.map((r) => {
              const p = live.progress.get(r.runId);
              return [
                h(
                  "a",
                  { href: `#/evaluations/${encodeURIComponent(r.runId)}`, "data-testid": "run-link" },
                  r.runId,
                ),
                r.name ? h("span", { "data-testid": "run-name" }, r.name) : "",
                h("span", { class: `state ${r.status}` }, r.status),
                new Date(r.startedAt).toLocaleString(),
                r.status === "running" && p ? `${p.done}/${r.total}` : String(r.total),
                pct(r.passRate ?? p?.passRate),
                r.counts ? `${r.counts.passed} / ${r.counts.failed} / ${r.counts.errored}` : "",
                usd(r.cost ?? p?.cost) + (r.simulated ? " (simulated)" : ""),
                r.gate === undefined ? "" : GATE_MARK[r.gate],
                r.models.join(", "),
              ];
            }),
            { class: "grid", "data-testid": "runs-table" },
          )
        : h("p", { class: "muted" }, "No run yet. Run `npx evals`, or create an evaluation in Setup."),
    );
  };
  load().catch((err: unknown) => replace(list, h("p", { class: "error" }, String(err))));
  const off = live.on((event) => {
    if (event === "runs") void load();
  });
  return off;
}
