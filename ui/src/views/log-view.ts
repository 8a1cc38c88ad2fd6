// The log viewer (`#/log/<run>`): a run's log file (or what the dashboard captured of a run it started),
// followed while the run is going.
import type { RunLog } from "../../../src/ui/api-types.ts";
import { api } from "../api.ts";
import { h, replace } from "../dom.ts";

/** How often a running run's log is read again. */
const FOLLOW_MS = 1000;

export function logView(root: HTMLElement, args: string[]): () => void {
  const runId = args[0] ?? "";
  const source = h("p", { class: "muted", "data-testid": "log-source" }, "Loading…");
  const pre = h("pre", { class: "log", "data-testid": "log-text" });
  replace(
    root,
    h(
      "p",
      {},
      h("a", { href: "#/monitor" }, "← Monitor"),
      " · ",
      h("a", { href: `#/evaluations/${encodeURIComponent(runId)}` }, "the run"),
    ),
    h("h1", {}, "Log of ", h("code", {}, runId)),
    source,
    pre,
  );
  let offset: number | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const read = async () => {
    try {
      const q = offset === undefined ? "" : `?offset=${offset}`;
      const log = await api.get<RunLog>(`/api/runs/${encodeURIComponent(runId)}/log${q}`);
      if (stopped) return;
      const atBottom = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
      if (log.reset) replace(pre, log.skipped ? `… (${log.skipped} bytes before)\n${log.text}` : log.text);
      else if (log.text) pre.append(log.text);
      if (atBottom) pre.scrollTop = pre.scrollHeight;
      offset = log.source === "dashboard" ? undefined : log.next;
      const from =
        log.source === null
          ? "This run has no log file, and was not started from this dashboard."
          : log.source === "dashboard"
            ? "Output captured by the dashboard (its last lines)."
            : `From ${log.source} in the run dir.`;
      replace(source, from, log.running ? " Following the running run…" : "");
      source.setAttribute("data-running", log.running ? "1" : "0");
      if (log.running) timer = setTimeout(() => void read(), FOLLOW_MS);
    } catch (err) {
      replace(source, h("span", { class: "error" }, String(err)));
    }
  };
  void read();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
