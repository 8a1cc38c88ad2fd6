// Monitor: the queue, live progress of every running run (dashboard and CLI), cancel, re-run errored cases;
// every run of the output dir with its log and a delete (confirmed first).
import type { Deleted, QueueEntry, RunListItem, RunProgress } from "../../../src/ui/api-types.ts";
import { api, live } from "../api.ts";
import { duration, h, pct, replace, usd } from "../dom.ts";
import { confirmDelete } from "./confirm-dialog.ts";

const logLink = (runId: string) =>
  h("a", { href: `#/log/${encodeURIComponent(runId)}`, "data-testid": "log-link" }, "Log");

/** Every run of the output dir: status, log, delete (refused by the server while a run is in progress). */
function allRuns(box: HTMLElement, message: HTMLElement): () => Promise<void> {
  const load = async () => {
    const { runs } = await api.get<{ runs: RunListItem[] }>("/api/runs");
    replace(
      box,
      runs.length
        ? h(
            "table",
            { class: "grid" },
            h(
              "thead",
              {},
              h(
                "tr",
                {},
                ["Run", "Status", "Cases", "Pass rate", "Started", ""].map((x) => h("th", {}, x)),
              ),
            ),
            h(
              "tbody",
              {},
              runs.map((r) =>
                h(
                  "tr",
                  { "data-testid": "run-row", "data-run": r.runId },
                  h(
                    "td",
                    {},
                    h(
                      "a",
                      { href: `#/evaluations/${encodeURIComponent(r.runId)}` },
                      r.name ? `${r.name} · ${r.runId}` : r.runId,
                    ),
                  ),
                  h("td", {}, h("span", { class: `state ${r.status}` }, r.status)),
                  h("td", {}, String(r.total)),
                  h("td", {}, pct(r.passRate)),
                  h("td", {}, new Date(r.startedAt).toLocaleString()),
                  h(
                    "td",
                    {},
                    logLink(r.runId),
                    " ",
                    h(
                      "button",
                      {
                        class: "danger",
                        "data-testid": "delete-run",
                        onclick: () =>
                          void confirmDelete(
                            `run ${r.runId}${r.name ? ` (${r.name})` : ""} and all its files`,
                            () => api.del<Deleted>(`/api/runs/${encodeURIComponent(r.runId)}`),
                            (text, ok) => {
                              replace(message, h("p", { class: ok ? "ok" : "error" }, text));
                              if (ok) void load();
                            },
                          ),
                      },
                      "Delete",
                    ),
                  ),
                ),
              ),
            ),
          )
        : h("p", { class: "muted" }, "No run in the output dir."),
    );
  };
  return load;
}

function progressBar(p: RunProgress | undefined): HTMLElement {
  const share = p && p.total > 0 ? p.done / p.total : 0;
  const fill = h("div", { class: "fill" });
  // CSSOM, not a style attribute: the Content-Security-Policy allows no inline styles.
  fill.style.width = `${(share * 100).toFixed(1)}%`;
  return h("div", { class: "bar", title: `${Math.round(share * 100)}%` }, fill);
}

function progressCells(p: RunProgress | undefined): (string | HTMLElement)[] {
  if (!p) return ["", "", "", "", ""];
  return [
    h(
      "span",
      { class: "progress-cell" },
      progressBar(p),
      h(
        "span",
        { "data-testid": "progress-text" },
        `${p.done}/${p.total} (${p.total ? Math.round((100 * p.done) / p.total) : 0}%)`,
      ),
    ),
    pct(p.passRate),
    p.status === "running" ? duration(p.etaMs) : p.status,
    usd(p.cost),
    `${p.passed} ✓ · ${p.failed} ✗ · ${p.errored} ⚠`,
  ];
}

export function monitorView(root: HTMLElement): () => void {
  const body = h("div");
  const render = () => {
    const entries = [...live.queue.values()].reverse();
    const queuedRuns = new Set(entries.map((e) => e.runId).filter(Boolean));
    const cliRuns = [...live.progress.values()].filter((p) => !queuedRuns.has(p.runId)).reverse();
    const entryRow = (e: QueueEntry) => {
      const p = e.runId ? live.progress.get(e.runId) : undefined;
      return h(
        "tr",
        { "data-testid": "queue-row", "data-status": e.status, "data-run": e.runId ?? "" },
        h("td", {}, e.label),
        h("td", {}, h("span", { class: `state ${e.status}` }, e.status)),
        h(
          "td",
          {},
          e.runId ? h("a", { href: `#/evaluations/${encodeURIComponent(e.runId)}` }, e.runId) : "–",
        ),
        progressCells(p).map((c) => h("td", {}, c)),
        h(
          "td",
          {},
          e.status === "queued" || e.status === "running"
            ? h(
                "button",
                { onclick: () => void api.post(`/api/queue/${e.id}/cancel`), "data-testid": "cancel" },
                "Cancel",
              )
            : null,
          (e.status === "completed" || e.status === "cancelled") && e.runId && (p?.errored ?? 1) > 0
            ? h(
                "button",
                {
                  onclick: () =>
                    void api.post(`/api/runs/${encodeURIComponent(e.runId as string)}/rerun-failed`),
                },
                "Rerun errored",
              )
            : null,
          e.runId ? [" ", logLink(e.runId)] : null,
          e.error ? h("div", { class: "error" }, e.error) : null,
          e.log.length ? h("details", {}, h("summary", {}, "log"), h("pre", {}, e.log.join("\n"))) : null,
        ),
      );
    };
    const head = ["Run", "Status", "Run id", "Progress", "Pass rate", "ETA", "Cost", "States", ""];
    replace(
      body,
      h("h2", {}, "Queue"),
      entries.length
        ? h(
            "table",
            { class: "grid" },
            h(
              "thead",
              {},
              h(
                "tr",
                {},
                head.map((x) => h("th", {}, x)),
              ),
            ),
            h("tbody", {}, entries.map(entryRow)),
          )
        : h(
            "p",
            { class: "muted" },
            "Nothing queued. Create an evaluation in Setup, or start runs from the CLI: they show up here live.",
          ),
      h("h2", {}, "Runs from the command line"),
      cliRuns.length
        ? h(
            "table",
            { class: "grid" },
            h(
              "thead",
              {},
              h(
                "tr",
                {},
                ["Run id", "Progress", "Pass rate", "ETA", "Cost", "States", ""].map((x) => h("th", {}, x)),
              ),
            ),
            h(
              "tbody",
              {},
              cliRuns.map((p) =>
                h(
                  "tr",
                  { "data-testid": "cli-row", "data-run": p.runId },
                  h("td", {}, h("a", { href: `#/evaluations/${encodeURIComponent(p.runId)}` }, p.runId)),
                  progressCells(p).map((c) => h("td", {}, c)),
                  h(
                    "td",
                    {},
                    logLink(p.runId),
                    " ",
                    p.status !== "running" && p.errored > 0
                      ? h(
                          "button",
                          {
                            onclick: () =>
                              void api.post(`/api/runs/${encodeURIComponent(p.runId)}/rerun-failed`),
                          },
                          "Rerun errored",
                        )
                      : null,
                  ),
                ),
              ),
            ),
          )
        : h("p", { class: "muted" }, "No CLI run seen since the dashboard started."),
    );
  };
  const runsBox = h("div", { "data-testid": "all-runs" });
  const runsMessage = h("div", { "data-testid": "delete-message" });
  const loadRuns = allRuns(runsBox, runsMessage);
  replace(root, h("h1", {}, "Monitor"), body, h("h2", {}, "All runs"), runsMessage, runsBox);
  render();
  void loadRuns().catch((err: unknown) => replace(runsBox, h("p", { class: "error" }, String(err))));
  let frame = 0;
  const off = live.on((event) => {
    // A run dir appeared or finished, or a queued run changed state: the list of runs follows.
    if (event === "runs" || event === "queue") void loadRuns().catch(() => undefined);
    // Many progress events can arrive at once: one render per animation frame.
    if (!frame)
      frame = requestAnimationFrame(() => {
        frame = 0;
        render();
      });
  });
  return () => {
    off();
    cancelAnimationFrame(frame);
  };
}
