// Unprocessed: the errored cases of every run by reason, model and task; an inspector; CSV export.
import type { RunListItem, UnprocessedItem } from "../../../src/ui/api-types.ts";
import { api } from "../api.ts";
import { h, replace, table } from "../dom.ts";
import { setHash } from "../url-state.ts";
import { caseDetail } from "./case-detail.ts";

interface Listing {
  total: number;
  items: UnprocessedItem[];
  groups: Record<"classification" | "reason" | "model" | "taskType", { key: string; count: number }[]>;
}

/**
 * `#/unprocessed?run=…&model=…&caseRun=<run>&case=<id>`: the URL follows the filters (replacing its history
 * entry) and the inspected case (a new entry: back closes it).
 */
export function unprocessedView(root: HTMLElement, _args: string[], query: URLSearchParams): undefined {
  const filters = {
    run: query.get("run") ?? "",
    classification: query.get("classification") ?? "",
    model: query.get("model") ?? "",
    task: query.get("task") ?? "",
  };
  const caseId = query.get("case");
  let opened = caseId ? { runId: query.get("caseRun") ?? filters.run, caseId } : undefined;
  const groups = h("div", { class: "row" });
  const items = h("div", { "data-testid": "unprocessed-items" });
  const inspector = h("aside", { class: "detail", hidden: true, "data-testid": "inspector" });
  const runSelect = h(
    "select",
    {
      "data-testid": "unprocessed-run",
      onchange: () => {
        filters.run = runSelect.value;
        syncUrl("replace");
        void load();
      },
    },
    h("option", { value: "" }, "all runs"),
  );
  const exportLink = h("a", { "data-testid": "export-csv", download: "unprocessed.csv" }, "Export CSV");
  replace(
    root,
    h("h1", {}, "Unprocessed"),
    h("p", {}, h("label", {}, "Run ", runSelect), " · ", exportLink),
    groups,
    h("div", { class: "split" }, items, inspector),
  );

  const params = () =>
    new URLSearchParams(Object.entries(filters).filter(([, v]) => v) as [string, string][]);
  const syncUrl = (mode: "push" | "replace") => {
    if (!root.isConnected) return;
    const q = params();
    if (opened) {
      q.set("caseRun", opened.runId);
      q.set("case", opened.caseId);
    }
    const qs = q.toString();
    setHash(`#/unprocessed${qs ? `?${qs}` : ""}`, mode);
  };
  const close = () => {
    opened = undefined;
    inspector.hidden = true;
    syncUrl("push");
  };
  const groupTable = (
    title: string,
    key: keyof typeof filters | undefined,
    list: { key: string; count: number }[],
  ) =>
    h(
      "section",
      {},
      h("h3", {}, title),
      table(
        [title, "Cases"],
        list.slice(0, 12).map((g) => [
          key
            ? h(
                "a",
                {
                  href: "#/unprocessed",
                  onclick: (e: Event) => {
                    e.preventDefault();
                    filters[key] = filters[key] === g.key ? "" : g.key;
                    syncUrl("replace");
                    void load();
                  },
                },
                g.key,
              )
            : g.key,
          String(g.count),
        ]),
        { class: "grid" },
      ),
    );
  /** Shows a case in the inspector: one of the list's (`i`), or only its ids when the URL names one not listed. */
  const inspect = async (i: Pick<UnprocessedItem, "runId" | "caseId"> & Partial<UnprocessedItem>) => {
    inspector.hidden = false;
    inspector.dataset.case = i.caseId;
    replace(inspector, h("p", {}, "Loading…"));
    try {
      const d = await api.get<Parameters<typeof caseDetail>[0]>(
        `/api/runs/${encodeURIComponent(i.runId)}/case?id=${encodeURIComponent(i.caseId)}`,
      );
      replace(
        inspector,
        h("p", { class: "muted" }, `run ${i.runId}${i.at ? ` · ${i.at}` : ""}`),
        caseDetail(d, close),
      );
    } catch (err) {
      replace(
        inspector,
        h("p", { class: "error" }, String(err)),
        table(
          ["Field", "Value"],
          Object.entries(i).map(([k, v]) => [k, String(v)]),
          { class: "grid" },
        ),
      );
    }
  };
  const load = async (): Promise<Listing> => {
    exportLink.setAttribute("href", `/api/unprocessed.csv?${params()}`);
    const data = await api.get<Listing>(`/api/unprocessed?${params()}`);
    replace(
      groups,
      groupTable("Classification", "classification", data.groups.classification),
      groupTable("Model", "model", data.groups.model),
      groupTable("Task", "task", data.groups.taskType),
      groupTable("Reason", undefined, data.groups.reason),
    );
    replace(
      items,
      h(
        "p",
        { class: "muted" },
        `${data.total} case(s)${data.total > data.items.length ? `, the first ${data.items.length} shown` : ""}`,
      ),
      h(
        "table",
        { class: "grid" },
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            ["Run", "Eval › scenario", "Model", "Task", "Classification", "Reason"].map((x) =>
              h("th", {}, x),
            ),
          ),
        ),
        h(
          "tbody",
          {},
          data.items.map((i) =>
            h(
              "tr",
              {
                class: "clickable",
                "data-testid": "unprocessed-row",
                "data-case": i.caseId,
                onclick: () => {
                  opened = { runId: i.runId, caseId: i.caseId };
                  syncUrl("push");
                  void inspect(i);
                },
              },
              h("td", {}, i.runId),
              h("td", {}, `${i.evalName} › ${i.scenarioKey}`),
              h("td", {}, i.model),
              h("td", {}, i.taskType),
              h("td", {}, i.classification),
              h("td", { class: "why" }, i.reason),
            ),
          ),
        ),
      ),
    );
    return data;
  };
  api
    .get<{ runs: RunListItem[] }>("/api/runs")
    .then(({ runs }) => {
      for (const r of runs)
        runSelect.appendChild(
          h(
            "option",
            { value: r.runId, selected: r.runId === filters.run },
            r.name ? `${r.name} (${r.runId})` : r.runId,
          ),
        );
    })
    .catch(() => undefined);
  load()
    .then((data) => {
      const o = opened;
      if (o) void inspect(data.items.find((i) => i.runId === o.runId && i.caseId === o.caseId) ?? o);
    })
    .catch((err: unknown) => replace(items, h("p", { class: "error" }, String(err))));
  return undefined;
}
