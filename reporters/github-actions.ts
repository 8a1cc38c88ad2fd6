// GitHub Actions: an `::error` annotation at the eval file and scenario line of each failed case (and one for a
// gate not evaluated), and a job summary (Markdown) with the gates, pass rates per eval × model with intervals,
// regressions and cost.
// Enabled automatically when GITHUB_ACTIONS=true.
import { appendFileSync } from "node:fs";
import { currentEnv } from "../src/io-context.ts";
import type {
  CaseRecord,
  CaseResult,
  GateVerdict,
  Reporter,
  ReporterContext,
  RunReport,
} from "../src/reporter.ts";
import { gateVerdict, safeText, wilson } from "../src/reporter.ts";
import { caseName, pct, reasonLines, usd } from "./format.ts";

/** Escapes a workflow-command message (`%`, CR, LF) — and, for property values, `:` and `,` too. */
export function escapeData(s: string): string {
  return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

const HEADLINE: Record<GateVerdict, string> = {
  passed: "✅ gate passed",
  failed: "❌ gate failed",
  "not evaluated": "⚠️ gate not evaluated",
};

/** The `::error` line of a gate that was not evaluated (the run stopped before its end), or nothing (pure). */
export function gateAnnotation(report: RunReport): string | undefined {
  if (!report.gate || gateVerdict(report.gate) !== "not evaluated") return undefined;
  return `::error title=${escapeProperty("jury gate not evaluated")}::${escapeData(report.gate.reason)}`;
}

/** The `::error` line of a failed or errored case (pure); control characters are shown, never obeyed. */
export function annotation(record: CaseRecord, result: CaseResult): string {
  const props = [
    `file=${escapeProperty(safeText(record.file))}`,
    ...(record.location.line ? [`line=${record.location.line}`] : []),
    `title=${escapeProperty(safeText(caseName(record)))}`,
  ];
  const message =
    result.state === "errored"
      ? `errored (${result.error?.classification ?? "error"}): ${result.error?.message ?? ""}`
      : reasonLines(result.reasons, 200).join("\n");
  return `::error ${props.join(",")}::${escapeData(safeText(message))}`;
}

/** Pass rates and cost per eval × model, gathered one result at a time and listed in plan order. */
export class EvalModelTable {
  private readonly groups = new Map<
    string,
    { evalName: string; model: string; passed: number; ran: number; cost: number }
  >();

  constructor(cases: readonly CaseRecord[]) {
    for (const c of cases)
      if (!this.groups.has(EvalModelTable.key(c)))
        this.groups.set(EvalModelTable.key(c), {
          evalName: `${c.file} › ${c.evalName}`,
          model: c.model,
          passed: 0,
          ran: 0,
          cost: 0,
        });
  }

  static of(cases: readonly CaseRecord[], results: readonly CaseResult[]): EvalModelTable {
    const table = new EvalModelTable(cases);
    const byId = new Map(cases.map((c) => [c.id, c]));
    for (const r of results) {
      const c = byId.get(r.caseId);
      if (c) table.add(c, r);
    }
    return table;
  }

  private static key(c: CaseRecord): string {
    return `${c.file} › ${c.evalName}\u0000${c.model}`;
  }

  add(c: CaseRecord, r: CaseResult): void {
    const g = this.groups.get(EvalModelTable.key(c));
    if (!g || r.state === "skipped") return;
    g.ran++;
    if (r.state === "passed") g.passed++;
    g.cost += (r.metrics?.responseCost ?? 0) + (r.metrics?.judgeCost ?? 0);
  }

  /** The groups in which a case ran. */
  rows() {
    return [...this.groups.values()].filter((g) => g.ran > 0);
  }
}

/**
 * The job summary in Markdown (pure). Table cells are escaped: model text never breaks the table; control
 * characters are shown, never obeyed. The eval × model table is `table` (the reporter gathers it as results
 * arrive; `EvalModelTable.of` builds one from results).
 */
export function jobSummary(report: RunReport, table: EvalModelTable): string {
  const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
  const gate = report.gate;
  const verdict = gate ? gateVerdict(gate) : "failed";
  const lines: string[] = [
    `## jury: ${HEADLINE[verdict]}${report.simulated ? " (simulated models)" : ""}`,
    "",
  ];
  if (gate && verdict === "not evaluated")
    lines.push(`The gate was not evaluated: ${cell(gate.reason)}.`, "");
  else if (gate) {
    lines.push("| Gate | Verdict | Reason |", "| --- | --- | --- |");
    for (const c of gate.checks)
      lines.push(`| ${cell(c.name)} | ${c.passed ? "✅" : "❌"} | ${cell(c.reason)} |`);
    lines.push("");
  }
  // Pass rates per eval × model, with Wilson 95% intervals.
  const groups = table.rows();
  lines.push(
    "| Eval | Model | Pass rate | 95% CI | Cases | Cost |",
    "| --- | --- | ---: | --- | ---: | ---: |",
  );
  for (const g of groups) {
    const [lo, hi] = wilson(g.passed, g.ran);
    lines.push(
      `| ${cell(g.evalName)} | ${cell(g.model)} | ${pct(g.passed / g.ran)} | ${pct(lo)}–${pct(hi)} | ${g.ran} | ${usd(g.cost)} |`,
    );
  }
  const o = report.summaries.overall;
  const listed = groups.reduce((n, g) => n + g.ran, 0);
  const ran = o.passed + o.failed + o.errored;
  if (listed < ran)
    lines.push(
      "",
      `The table counts the ${listed} cases run by this invocation; the total below counts ${ran}.`,
    );
  lines.push(
    "",
    `**Total**: ${o.passed} passed, ${o.failed} failed, ${o.errored} errored of ${o.total} · cost ${usd(o.cost)}`,
  );
  const b = gate?.baseline;
  if (b) {
    const names = new Map(report.cases.map((c) => [c.id, `${c.file} › ${caseName(c)}`]));
    lines.push(
      "",
      `### Against baseline ${b.baselineRunId}`,
      "",
      `${b.paired} paired cases: ${b.regressed.length} regressed, ${b.improved.length} improved, ${b.newCases.length} new, ${b.missing.length} missing (exact McNemar p = ${b.mcnemarP.toPrecision(3)}).`,
    );
    if (b.regressed.length) {
      lines.push("", "| Regressed case |", "| --- |");
      for (const id of b.regressed.slice(0, 50)) lines.push(`| ${cell(names.get(id) ?? id)} |`);
    }
  }
  return safeText(`${lines.join("\n")}\n`);
}

export class GithubActionsReporter implements Reporter {
  private ctx!: ReporterContext;

  onInit(ctx: ReporterContext): void {
    this.ctx = ctx;
  }

  /** The eval × model table, gathered as results arrive: the run's results are never all in memory. */
  private table: EvalModelTable | undefined;

  onRunStart(cases: readonly CaseRecord[]): void {
    this.table = new EvalModelTable(cases);
  }

  onCaseResult(result: CaseResult, record: CaseRecord): void {
    this.table?.add(record, result);
    if (result.state === "failed" || result.state === "errored") this.ctx.log(annotation(record, result));
  }

  onRunEnd(report: RunReport): void {
    const gate = gateAnnotation(report);
    if (gate) this.ctx.log(gate);
    const file = currentEnv().GITHUB_STEP_SUMMARY;
    if (file) appendFileSync(file, jobSummary(report, this.table ?? new EvalModelTable(report.cases)));
  }
}

export default GithubActionsReporter;
