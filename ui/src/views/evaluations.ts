// Evaluations: the runs list, a run's summary and case table (paged on the server), drill-down, comparison.

import type { GroupSummary } from "../../../src/types.ts";
import type { CaseDetail, CasePage, Comparison, RunDetail, RunListItem } from "../../../src/ui/api-types.ts";
import { api, live } from "../api.ts";
import { ci, duration, h, ms, num, pct, replace, table, usd } from "../dom.ts";

export function evaluationsView(root: HTMLElement, args: string[], query: URLSearchParams) {
  if (args[0] === "compare") return compareView(root, query);
  if (args[0]) return runView(root, args[0], query);
  return runsList(root);
}

function runsList(root: HTMLElement): () => void {
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
    replace(
      base,
      finished.map((r) => h("option", { value: r.runId }, r.runId)),
    );
    replace(
      other,
      finished.map((r) => h("option", { value: r.runId }, r.runId)),
    );
    if (finished[1]) base.value = finished[1].runId;
    list.className = "";
    replace(
      list,
      runs.length
        ? table(
            [
              "Run",
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
                h("span", { class: `state ${r.status}` }, r.status),
                new Date(r.startedAt).toLocaleString(),
                r.status === "running" && p ? `${p.done}/${r.total}` : String(r.total),
                pct(r.passRate ?? p?.passRate),
                r.counts ? `${r.counts.passed} / ${r.counts.failed} / ${r.counts.errored}` : "",
                usd(r.cost ?? p?.cost) + (r.simulated ? " (simulated)" : ""),
                r.gatePassed === undefined ? "" : r.gatePassed ? "✓" : "✗",
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

function groupTable(title: string, groups: GroupSummary[]) {
  return h(
    "section",
    {},
    h("h3", {}, title),
    table(
      ["", "Cases", "Pass rate (95% CI)", "Mean jury (95% CI)", "TTFT p50 / p95", "Cost"],
      groups.map((g) => [
        g.key,
        `${g.passed} ✓ ${g.failed} ✗ ${g.errored} ⚠ ${g.skipped ? `${g.skipped} skipped` : ""}`,
        `${pct(g.passRate)} (${ci(g.passRateCi, pct)})`,
        g.meanJury ? `${num(g.meanJury.mean)} (${ci(g.meanJury.ci, (x) => num(x))})` : "–",
        `${ms(g.ttftMs.p50)} / ${ms(g.ttftMs.p95)}`,
        usd(g.cost),
      ]),
      { class: "grid" },
    ),
  );
}

function runView(root: HTMLElement, runId: string, query: URLSearchParams): () => void {
  const t0 = performance.now();
  const summary = h("div", { class: "loading" }, "Loading…");
  const cases = h("div", { "data-testid": "cases" });
  const detail = h("aside", { class: "detail", "data-testid": "case-detail", hidden: true });
  replace(
    root,
    h("p", {}, h("a", { href: "#/evaluations" }, "← Evaluations")),
    h("h1", {}, "Run ", h("code", {}, runId)),
    summary,
    h("div", { class: "split" }, cases, detail),
  );
  const state = {
    state: query.get("state") ?? "",
    model: query.get("model") ?? "",
    task: query.get("task") ?? "",
    eval: query.get("eval") ?? "",
    q: query.get("q") ?? "",
    sort: query.get("sort") ?? "",
    desc: query.get("desc") === "1",
    page: Number(query.get("page") ?? 1) || 1,
  };

  const loadSummary = async () => {
    const r = await api.get<RunDetail>(`/api/runs/${encodeURIComponent(runId)}`);
    const o = r.summaries.overall;
    summary.className = "";
    replace(
      summary,
      h(
        "div",
        { class: "cards", "data-testid": "run-summary" },
        card("Status", r.status, r.simulated ? "simulated" : ""),
        card(
          "Cases",
          `${r.done}/${r.total}`,
          `${o.passed} passed · ${o.failed} failed · ${o.errored} errored`,
        ),
        card("Pass rate", pct(o.passRate), `95% CI ${ci(o.passRateCi, pct)}`),
        card(
          "Mean jury",
          o.meanJury ? num(o.meanJury.mean) : "–",
          o.meanJury ? `95% CI ${ci(o.meanJury.ci, (x) => num(x))}` : "",
        ),
        card("Cost", usd(o.cost), r.simulated ? "simulated" : ""),
        card("TTFT p50 / p95", `${ms(o.ttftMs.p50)} / ${ms(o.ttftMs.p95)}`, ""),
        card("Duration", duration(r.durationMs), ""),
        card("Gate", r.gate ? (r.gate.passed ? "passed" : "failed") : "–", r.gate?.reason ?? ""),
      ),
      r.warnings.length
        ? h(
            "details",
            {},
            h("summary", {}, `${r.warnings.length} warning(s)`),
            h(
              "ul",
              {},
              r.warnings.map((w) => h("li", {}, w)),
            ),
          )
        : null,
      h(
        "div",
        { class: "row" },
        groupTable("By model", r.summaries.byModel),
        groupTable("By task type", r.summaries.byTaskType),
      ),
      h(
        "section",
        {},
        h("h3", {}, "Load (RPM)"),
        table(
          ["Model", "Target RPM", "Actual RPM", "Requests", "Throttled", "Avg wait", "Success", "Errors"],
          r.summaries.rate.map((x) => [
            x.model,
            x.targetRpm === undefined ? "–" : String(x.targetRpm),
            num(x.actualRpm, 1),
            String(x.requests),
            String(x.throttleEvents),
            ms(x.avgWaitMs),
            pct(x.successRate),
            pct(x.errorRate),
          ]),
          { class: "grid" },
        ),
      ),
    );
  };

  const loadCases = async () => {
    const t = performance.now();
    const params = new URLSearchParams({
      page: String(state.page),
      pageSize: "50",
      ...(state.state ? { state: state.state } : {}),
      ...(state.model ? { model: state.model } : {}),
      ...(state.task ? { task: state.task } : {}),
      ...(state.eval ? { eval: state.eval } : {}),
      ...(state.q ? { q: state.q } : {}),
      ...(state.sort ? { sort: state.sort, desc: state.desc ? "1" : "0" } : {}),
    });
    const page = await api.get<CasePage>(`/api/runs/${encodeURIComponent(runId)}/cases?${params}`);
    renderCases(page);
    cases.setAttribute("data-page", String(page.page));
    cases.setAttribute("data-rendered-ms", String(Math.round(performance.now() - t)));
  };

  const select = (name: keyof typeof state, label: string, values: string[]) =>
    h(
      "label",
      {},
      `${label} `,
      h(
        "select",
        {
          "data-testid": `filter-${name}`,
          onchange: (e: Event) => {
            (state as Record<string, unknown>)[name] = (e.target as HTMLSelectElement).value;
            state.page = 1;
            void loadCases();
          },
        },
        h("option", { value: "" }, "all"),
        values.map((v) =>
          h("option", { value: v, selected: (state as Record<string, unknown>)[name] === v }, v),
        ),
      ),
    );

  const sortHeader = (key: string, label: string) =>
    h(
      "th",
      {
        class: `sortable ${state.sort === key ? (state.desc ? "desc" : "asc") : ""}`,
        onclick: () => {
          if (state.sort === key) state.desc = !state.desc;
          else {
            state.sort = key;
            state.desc = false;
          }
          void loadCases();
        },
      },
      label,
    );

  const renderCases = (page: CasePage) => {
    const go = (p: number) => () => {
      state.page = p;
      void loadCases();
    };
    const pager = h(
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
    let timer = 0;
    replace(
      cases,
      h(
        "div",
        { class: "filters" },
        select("state", "State", page.facets.states),
        select("model", "Model", page.facets.models),
        select("task", "Task", page.facets.taskTypes),
        select("eval", "Eval", page.facets.evals),
        h(
          "label",
          {},
          "Search ",
          h("input", {
            type: "search",
            value: state.q,
            placeholder: "case id, scenario, reason",
            "data-testid": "filter-q",
            oninput: (e: Event) => {
              clearTimeout(timer);
              timer = window.setTimeout(() => {
                state.q = (e.target as HTMLInputElement).value;
                state.page = 1;
                void loadCases();
              }, 250);
            },
          }),
        ),
      ),
      pager,
      h(
        "table",
        { class: "grid cases", "data-testid": "cases-table" },
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            sortHeader("state", "State"),
            sortHeader("evalName", "Eval"),
            sortHeader("scenarioKey", "Scenario"),
            sortHeader("model", "Model"),
            sortHeader("taskType", "Task"),
            sortHeader("temperature", "t"),
            sortHeader("score", "Jury"),
            sortHeader("ttftMs", "TTFT"),
            sortHeader("cost", "Cost"),
            h("th", {}, "Why"),
          ),
        ),
        h(
          "tbody",
          {},
          page.rows.map((r) =>
            h(
              "tr",
              {
                class: "clickable",
                "data-testid": "case-row",
                "data-state": r.state,
                "data-case": r.id,
                onclick: () => void openCase(r.id),
              },
              h("td", {}, h("span", { class: `state ${r.state}` }, r.state)),
              h("td", {}, r.evalName),
              h("td", {}, r.scenarioKey),
              h("td", {}, r.model),
              h("td", {}, r.taskType),
              h("td", {}, String(r.temperature)),
              h("td", {}, num(r.score)),
              h("td", {}, ms(r.ttftMs)),
              h("td", {}, usd(r.cost)),
              h("td", { class: "why" }, r.reason),
            ),
          ),
        ),
      ),
    );
  };

  const openCase = async (caseId: string) => {
    const d = await api.get<CaseDetail>(
      `/api/runs/${encodeURIComponent(runId)}/case?id=${encodeURIComponent(caseId)}`,
    );
    detail.hidden = false;
    replace(
      detail,
      caseDetail(d, () => (detail.hidden = true)),
    );
  };

  Promise.all([loadSummary(), loadCases()])
    .then(() => root.setAttribute("data-first-render-ms", String(Math.round(performance.now() - t0))))
    .catch((err: unknown) => replace(summary, h("p", { class: "error" }, String(err))));
  const off = live.on((event, data) => {
    if (event === "progress" && (data as { runId: string }).runId === runId) {
      void loadSummary();
      void loadCases();
    }
  });
  return off;
}

function card(title: string, value: string, sub: string) {
  return h(
    "div",
    { class: "card" },
    h("div", { class: "card-title" }, title),
    h("div", { class: "card-value" }, value),
    h("div", { class: "card-sub" }, sub),
  );
}

/** The drill-down of one case: inputs, output, each judge's scores and rationales. */
export function caseDetail(d: CaseDetail, close?: () => void): HTMLElement {
  const r = d.result;
  const rec = d.record;
  const verdicts = r?.jury?.verdicts ?? [];
  return h(
    "div",
    {},
    close ? h("button", { class: "close", onclick: close, "aria-label": "close" }, "×") : null,
    h("h2", {}, `${rec.evalName} › ${rec.scenarioKey} › ${rec.model}`),
    h(
      "p",
      { class: "muted" },
      `${rec.file}${rec.location.line ? `:${rec.location.line}` : ""} · t=${rec.temperature} · #${rec.invocation} · case ${rec.id}`,
    ),
    h(
      "p",
      {},
      h(
        "span",
        { class: `state ${r?.state ?? "pending"}`, "data-testid": "detail-state" },
        r?.state ?? "pending",
      ),
    ),
    r?.reasons.length
      ? h(
          "ul",
          { class: "reasons" },
          r.reasons.map((x) =>
            h(
              "li",
              {},
              x.kind === "dimension"
                ? `${x.name}: ${num(x.score)} < ${x.threshold}`
                : x.kind === "check"
                  ? `check ${x.check}: ${x.message}`
                  : x.message,
            ),
          ),
        )
      : null,
    r?.error ? h("p", { class: "error" }, `${r.error.classification}: ${r.error.message}`) : null,
    d.scenario
      ? h(
          "section",
          {},
          h("h3", {}, "Prompt"),
          h("pre", {}, d.scenario.prompt),
          d.scenario.golden ? [h("h3", {}, "Golden answer"), h("pre", {}, d.scenario.golden)] : null,
        )
      : null,
    r?.output !== undefined
      ? h("section", {}, h("h3", {}, "Response"), h("pre", { "data-testid": "detail-output" }, r.output))
      : null,
    r?.jury
      ? h(
          "section",
          { "data-testid": "jury" },
          h("h3", {}, `Jury (${r.jury.rule}, threshold ${r.jury.threshold})`),
          table(
            ["Dimension", "Score", "Spread", ...verdicts.map((v) => v.judge)],
            r.jury.dimensions.map((dim) => [
              dim.name,
              h("span", { class: dim.passed ? "ok" : "bad" }, num(dim.score)),
              num(dim.spread, 0),
              ...verdicts.map((v) =>
                v.status === "scored" ? String(v.scores[dim.key] ?? "–") : "abstained",
              ),
            ]),
            { class: "grid" },
          ),
          h(
            "div",
            { class: "rationales" },
            verdicts.map((v) =>
              h(
                "details",
                { open: true, "data-testid": "verdict" },
                h(
                  "summary",
                  {},
                  `${v.judge} — ${v.status === "scored" ? "scored" : `abstained (${v.reason})`}`,
                ),
                v.status === "scored"
                  ? h(
                      "dl",
                      {},
                      Object.entries(v.rationales).flatMap(([k, text]) => [
                        h("dt", {}, `${k} (${v.scores[k] ?? "–"})`),
                        h("dd", {}, text),
                      ]),
                    )
                  : h("pre", {}, v.detail ?? ""),
              ),
            ),
          ),
        )
      : null,
    r?.checks.length
      ? h(
          "section",
          {},
          h("h3", {}, "Checks"),
          table(
            ["Check", "Passed", "Message"],
            r.checks.map((c) => [c.name, c.passed ? "✓" : "✗", c.message ?? ""]),
            { class: "grid" },
          ),
        )
      : null,
    r?.metrics
      ? h(
          "details",
          {},
          h("summary", {}, "Metrics"),
          table(
            ["Metric", "Value"],
            Object.entries(r.metrics).map(([k, v]) => [
              k,
              typeof v === "number" ? String(Math.round(v * 10000) / 10000) : String(v),
            ]),
            { class: "grid" },
          ),
        )
      : null,
  );
}

function compareView(root: HTMLElement, query: URLSearchParams): undefined {
  const base = query.get("base") ?? "";
  const run = query.get("run") ?? "";
  const body = h("div", { class: "loading" }, "Comparing…");
  replace(
    root,
    h("p", {}, h("a", { href: "#/evaluations" }, "← Evaluations")),
    h("h1", {}, "Compare runs"),
    h("p", {}, "Baseline ", h("code", {}, base), " → run ", h("code", {}, run)),
    body,
  );
  const rows = (list: Comparison["improvedRows"]) =>
    table(
      ["Case", "Eval › scenario › model", "Before", "Now"],
      list.map((x) => [
        x.id,
        x.now ? `${x.now.evalName} › ${x.now.scenarioKey} › ${x.now.model}` : "",
        x.before ? `${x.before.state} ${num(x.before.score)}` : "",
        h(
          "a",
          { href: `#/evaluations/${encodeURIComponent(run)}?q=${encodeURIComponent(x.id)}` },
          x.now ? `${x.now.state} ${num(x.now.score)}` : "",
        ),
      ]),
      { class: "grid" },
    );
  api
    .get<Comparison>(`/api/compare?base=${encodeURIComponent(base)}&run=${encodeURIComponent(run)}`)
    .then((c) => {
      body.className = "";
      replace(
        body,
        c.signatureMatches
          ? null
          : h(
              "p",
              { class: "warning" },
              "The baseline ran another config (models, judges or jury): the comparison may mislead.",
            ),
        h(
          "div",
          { class: "cards", "data-testid": "comparison" },
          card("Paired cases", String(c.paired), `${c.newCases.length} new · ${c.missing.length} missing`),
          card(
            "Pass rate",
            `${pct(c.passRate.base)} → ${pct(c.passRate.run)}`,
            `Δ paired ${(c.passRateDelta * 100).toFixed(1)} pts`,
          ),
          card(
            "Regressed / improved",
            `${c.regressed.length} / ${c.improved.length}`,
            `McNemar exact p = ${c.mcnemarP.toFixed(4)}`,
          ),
          card(
            "Mean jury Δ",
            c.scoreDelta ? num(c.scoreDelta.mean) : "–",
            c.scoreDelta ? `95% CI ${ci(c.scoreDelta.ci, (x) => num(x))} (n=${c.scoreDelta.n})` : "",
          ),
        ),
        h("h3", {}, `Regressed (${c.regressed.length})`),
        rows(c.regressedRows),
        h("h3", {}, `Improved (${c.improved.length})`),
        rows(c.improvedRows),
      );
    })
    .catch((err: unknown) => replace(body, h("p", { class: "error" }, String(err))));
  return undefined;
}
