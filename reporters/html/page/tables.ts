// The "Models per task type" table and the cases table: both follow the filters.

import { NOT_MEASURED_BATCH } from "../../../src/metrics/batch-text.ts";
import { type CaseRow, NOT_JUDGED } from "../rows.ts";
import { byId, cell, el, fmtMs, fmtNum, fmtPct, fmtUsd } from "./dom.ts";
import type { PageState } from "./state.ts";

const INTEGRATED_HEADS = [
  "Model",
  "Cases",
  "Pass rate",
  "95% CI",
  "Mean score",
  "TTFT p50",
  "OTPS p50",
  "Cost/response",
  "Cost/passed case",
  "Composite",
];

/** Per task type, one row per model, re-aggregated from the rows the filters keep. */
export function renderIntegrated(state: PageState): void {
  const host = byId("integrated");
  host.textContent = "";
  const tables = state.figures.integrated;
  if (!tables.length) {
    host.appendChild(el("p", { class: "muted" }, "No case matches the filters."));
    return;
  }
  for (const t of tables) {
    host.appendChild(el("h3", null, t.task));
    const table = el("table", { class: "sortable" });
    const head = el("tr");
    INTEGRATED_HEADS.forEach((h, k) => {
      head.appendChild(el("th", { scope: "col", "data-type": k === 0 ? "text" : "num" }, h));
    });
    const thead = el("thead");
    thead.appendChild(head);
    table.appendChild(thead);
    const body = el("tbody");
    for (const s of t.models) {
      const tr = el("tr");
      // Cases ran but nothing judged them (a latency-only run): no pass rate, nor a composite built on one.
      const unjudged = s.ran > 0 && s.rate === null;
      const na = (text: string) => (unjudged ? NOT_JUDGED : text);
      cell(tr, s.model);
      cell(tr, s.ran + (s.ran !== s.cases ? ` of ${s.cases}` : ""), s.ran, "num");
      cell(tr, na(fmtPct(s.rate)), s.rate, "num");
      cell(tr, na(s.ran ? `${fmtPct(s.lo)}–${fmtPct(s.hi)}` : "–"), unjudged ? null : s.lo, "num");
      cell(tr, fmtNum(s.score, 2), s.score, "num");
      // Every case batched: no latency was measured, which is not a missing figure.
      const noLatency = (x: number | null, text: string) =>
        x === null && s.batched ? NOT_MEASURED_BATCH : text;
      cell(tr, noLatency(s.ttftP50, fmtMs(s.ttftP50)), s.ttftP50, "num");
      cell(tr, noLatency(s.otpsP50, fmtNum(s.otpsP50, 1)), s.otpsP50, "num");
      cell(tr, fmtUsd(s.costPerResponse), s.costPerResponse, "num");
      cell(tr, fmtUsd(s.costPerPass), s.costPerPass, "num");
      cell(
        tr,
        na(fmtNum(s.composite, 3) + (s.compositeWithoutSpeed ? " (no speed)" : "")),
        s.composite,
        "num",
      );
      body.appendChild(tr);
    }
    table.appendChild(body);
    host.appendChild(table);
    const batched = t.models.reduce((n, s) => n + (s.batched ?? 0), 0);
    if (batched)
      host.appendChild(
        el(
          "p",
          { class: "muted" },
          `${batched} of these cases went through provider batch engines: their costs are at batch prices, and they measured no latency, so TTFT and OTPS are over the other cases (${NOT_MEASURED_BATCH} where a model has none). A model with no measured latency has a composite without speed: 0.75 × pass rate + 0.25 × cost ("(no speed)").`,
        ),
      );
  }
}

const CASE_COLUMNS: [keyof CaseRow, string][] = [
  ["state", "State"],
  ["eval", "Eval"],
  ["scenario", "Scenario"],
  ["model", "Model"],
  ["task", "Task type"],
  ["temp", "t"],
  ["inv", "#"],
  ["score", "Score"],
  ["ttft", "TTFT"],
  ["cost", "Cost"],
];

function sortRows(rows: readonly CaseRow[], key: string, dir: number): CaseRow[] {
  const at = (r: CaseRow) => (r as unknown as Record<string, unknown>)[key];
  return [...rows].sort((a, b) => {
    const x = at(a);
    const y = at(b);
    if (x === y) return a.i - b.i;
    if (x === null || x === undefined) return 1;
    if (y === null || y === undefined) return -1;
    if (typeof x === "number" && typeof y === "number") return (x - y) * dir;
    return String(x).localeCompare(String(y)) * dir;
  });
}

/** One page of the cases the filters (and the table's state filter) keep, sorted. */
export function renderCases(state: PageState): void {
  let rows = state.current.cases;
  if (state.caseState) rows = rows.filter((r) => r.state === state.caseState);
  rows = sortRows(rows, state.sort.key, state.sort.dir);
  const pages = Math.max(1, Math.ceil(rows.length / state.pageSize));
  if (state.page >= pages) state.page = pages - 1;
  const body = byId("cases-body");
  body.textContent = "";
  for (const r of rows.slice(state.page * state.pageSize, (state.page + 1) * state.pageSize)) {
    const tr = el("tr", { tabindex: "0", "data-case": String(r.i), class: `state-${r.state}` });
    cell(tr, r.state, undefined, "state");
    cell(tr, r.eval);
    cell(tr, r.scenario);
    cell(tr, r.model);
    cell(tr, r.task);
    cell(tr, r.temp, undefined, "num");
    cell(tr, r.inv, undefined, "num");
    cell(tr, fmtNum(r.score, 2), undefined, "num");
    cell(tr, r.batched === 1 ? NOT_MEASURED_BATCH : fmtMs(r.ttft), undefined, "num");
    cell(tr, fmtUsd(r.cost), undefined, "num");
    if (r.i === state.selected) tr.classList.add("selected");
    body.appendChild(tr);
  }
  const first = state.page * state.pageSize + 1;
  const last = Math.min(rows.length, (state.page + 1) * state.pageSize);
  byId("cases-page").textContent = rows.length
    ? `Cases ${first}–${last} of ${rows.length} · page ${state.page + 1} of ${pages}`
    : "No case matches the filters.";
  for (const th of document.querySelectorAll("#cases-table th")) {
    const key = th.getAttribute("data-key");
    th.setAttribute(
      "aria-sort",
      key === state.sort.key ? (state.sort.dir > 0 ? "ascending" : "descending") : "none",
    );
  }
}

/** The cases table's header (click to sort), paging and state filter; `pick` opens a case's drill-down. */
export function setupCases(state: PageState, pick: (i: number) => void): void {
  const head = byId("cases-head");
  const tr = el("tr");
  for (const [key, label] of CASE_COLUMNS)
    tr.appendChild(el("th", { scope: "col", "data-key": key, tabindex: "0" }, label));
  head.appendChild(tr);
  head.addEventListener("click", (e) => {
    const th = (e.target as Element).closest("th");
    if (!th) return;
    const key = th.getAttribute("data-key") as string;
    state.sort = { key, dir: state.sort.key === key ? -state.sort.dir : 1 };
    renderCases(state);
  });
  const body = byId("cases-body");
  const onPick = (e: Event) => {
    const row = (e.target as Element).closest("tr");
    if (row) pick(Number(row.getAttribute("data-case")));
  };
  body.addEventListener("click", onPick);
  body.addEventListener("keydown", (e) => {
    if (e.key === "Enter") onPick(e);
  });
  byId("cases-state").addEventListener("change", (e) => {
    state.caseState = (e.target as HTMLSelectElement).value;
    state.page = 0;
    renderCases(state);
  });
  byId("cases-prev").addEventListener("click", () => {
    if (state.page > 0) {
      state.page--;
      renderCases(state);
    }
  });
  byId("cases-next").addEventListener("click", () => {
    state.page++;
    renderCases(state);
  });
}

/** Sorts any table.sortable by the clicked column (data-v when set, else the text). */
export function setupSortableTables(): void {
  document.addEventListener("click", (e) => {
    const th = (e.target as Element).closest?.("table.sortable th");
    if (!th) return;
    const table = th.closest("table") as HTMLTableElement;
    const heads = [...(th.parentElement as HTMLElement).children];
    const col = heads.indexOf(th);
    const dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
    for (const h of heads) h.setAttribute("aria-sort", "none");
    th.setAttribute("aria-sort", dir > 0 ? "ascending" : "descending");
    const body = table.tBodies[0] as HTMLTableSectionElement;
    const rows = [...body.rows];
    rows.sort((a, b) => {
      const x = a.cells[col] as HTMLTableCellElement;
      const y = b.cells[col] as HTMLTableCellElement;
      const xv = x.getAttribute("data-v");
      const yv = y.getAttribute("data-v");
      if (xv !== null && yv !== null) return (Number(xv) - Number(yv)) * dir;
      if (xv !== null) return -1;
      if (yv !== null) return 1;
      return (x.textContent ?? "").localeCompare(y.textContent ?? "") * dir;
    });
    for (const r of rows) body.appendChild(r);
  });
}
