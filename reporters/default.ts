// The console reporter: Vitest's look. A live progress line on a TTY; plain lines in CI and pipes.
import pc from "picocolors";
import type {
  CaseRecord,
  CaseResult,
  ConfigSnapshot,
  Counts,
  Reporter,
  ReporterContext,
  RunReport,
} from "../src/index.ts";
import { caseTags, caseTitle, ms, pct, reasonLines, truncate, usd } from "./format.ts";

const ICON: Record<CaseResult["state"], string> = {
  passed: pc.green("✓"),
  failed: pc.red("✗"),
  errored: pc.magenta("!"),
  skipped: pc.yellow("↓"),
};
/** Above this many cases, a TTY shows one line per eval file instead of one per case. */
const PER_CASE_LIMIT = 50;
const REFRESH_MS = 100;

export class DefaultReporter implements Reporter {
  private ctx!: ReporterContext;
  private total = 0;
  private done = 0;
  private readonly counts: Counts = { total: 0, passed: 0, failed: 0, errored: 0, skipped: 0 };
  private lastDraw = 0;
  private live = false;
  private perCase = true;

  onInit(ctx: ReporterContext): void {
    this.ctx = ctx;
  }

  onRunStart(cases: readonly CaseRecord[], config: ConfigSnapshot): void {
    this.total = cases.length;
    this.perCase = !this.ctx.isTTY || cases.length <= PER_CASE_LIMIT;
    this.ctx.log(`\n ${pc.inverse(pc.bold(pc.cyan(" RUN ")))} ${pc.cyan("jury")} ${pc.dim(this.ctx.root)}\n`);
    const files = new Set(cases.map((c) => c.file)).size;
    this.ctx.log(
      ` ${cases.length} cases from ${files} eval file${files === 1 ? "" : "s"} · ${config.models.length} model${config.models.length === 1 ? "" : "s"} · ${config.judges.length} judge${config.judges.length === 1 ? "" : "s"} · ${config.jury.aggregate} ≥ ${config.jury.threshold}`,
    );
    if ([...config.models, ...config.judges].some((m) => m.provider === "mock")) {
      this.ctx.log(pc.yellow(" simulated: mock/ models and judges — no real LLM is called"));
    }
    this.ctx.log("");
  }

  onCaseResult(result: CaseResult, record: CaseRecord): void {
    this.done++;
    this.counts.total++;
    this.counts[result.state]++;
    if (this.perCase) {
      this.clearLive();
      const time = result.metrics ? pc.dim(` ${ms(result.metrics.durationMs)}`) : "";
      this.ctx.log(
        ` ${ICON[result.state]} ${pc.dim(`${record.file} ›`)} ${caseTitle(record)} ${pc.dim(caseTags(record))}${time}`,
      );
    }
    this.drawLive();
  }

  onEvalEnd(file: string, counts: Counts): void {
    if (this.perCase) return;
    this.clearLive();
    const bad = counts.failed + counts.errored;
    this.ctx.log(
      ` ${bad ? ICON.failed : ICON.passed} ${file} ${pc.dim(`(${counts.total} cases${bad ? `, ${bad} not passed` : ""})`)}`,
    );
    this.drawLive(true);
  }

  onRunEnd(report: RunReport): void {
    this.clearLive();
    const byId = new Map(report.cases.map((c) => [c.id, c]));
    const bad = report.results.filter((r) => r.state === "failed" || r.state === "errored");
    if (bad.length) {
      this.ctx.log(`\n${pc.red(pc.bold(` Failed cases (${bad.length})`))}\n`);
      for (const r of bad) {
        const c = byId.get(r.caseId);
        if (!c) continue;
        this.ctx.log(` ${ICON[r.state]} ${c.file} › ${caseTitle(c)} ${pc.dim(caseTags(c))}`);
        if (r.state === "errored")
          this.ctx.log(
            `     ${pc.magenta(r.error?.classification ?? "error")}: ${truncate(r.error?.message ?? "", 300)}`,
          );
        for (const line of reasonLines(r.reasons)) this.ctx.log(`     ${line}`);
      }
    }

    const s = report.summaries.overall;
    const sim = report.simulated ? pc.yellow(" (simulated)") : "";
    const parts = [
      s.passed ? pc.green(`${s.passed} passed`) : "",
      s.failed ? pc.red(`${s.failed} failed`) : "",
      s.errored ? pc.magenta(`${s.errored} errored`) : "",
      s.skipped ? pc.yellow(`${s.skipped} skipped`) : "",
      s.total - s.passed - s.failed - s.errored - s.skipped
        ? pc.dim(`${s.total - s.passed - s.failed - s.errored - s.skipped} not run`)
        : "",
    ].filter(Boolean);
    const scores = Object.values(s.meanScores);
    const meanJury = scores.length ? scores.reduce((a, b) => a + b, 0) / scores.length : undefined;
    const costs = report.results.reduce(
      (acc, r) => ({
        responses: acc.responses + (r.metrics?.responseCost ?? 0),
        judges: acc.judges + (r.metrics?.judgeCost ?? 0),
      }),
      { responses: 0, judges: 0 },
    );
    const rows: [string, string][] = [
      ["Cases", `${parts.join(pc.dim(" | "))} ${pc.dim(`(${s.total})`)}`],
      [
        "Pass rate",
        `${pct(s.passRate)} ${pc.dim(`(95% CI ${pct(s.passRateCi[0])}–${pct(s.passRateCi[1])})`)}`,
      ],
      ...(meanJury === undefined
        ? []
        : ([["Mean jury", `${meanJury.toFixed(2)} / 5`]] as [string, string][])),
      [
        "Cost",
        `${usd(s.cost)} ${pc.dim(`(responses ${usd(costs.responses)}, judges ${usd(costs.judges)})`)}${sim}`,
      ],
      ["TTFT", `p50 ${ms(s.ttftMs.p50)} · p95 ${ms(s.ttftMs.p95)}${sim}`],
      [
        "Duration",
        `${ms(report.durationMs)}${report.status === "completed" ? "" : pc.yellow(` (${report.status})`)}`,
      ],
      ...(report.gate
        ? ([
            [
              "Gate",
              `${report.gate.passed ? pc.green("✓ passed") : pc.red("✗ failed")} ${pc.dim(report.gate.reason)}`,
            ],
          ] as [string, string][])
        : []),
      ["Results", pc.dim(this.ctx.runDir)],
    ];
    this.ctx.log("");
    for (const [k, v] of rows) this.ctx.log(` ${pc.dim(k.padStart(10))}  ${v}`);
    this.ctx.log("");
  }

  private drawLive(force = false): void {
    if (!this.ctx.isTTY) return;
    const now = Date.now();
    if (!force && now - this.lastDraw < REFRESH_MS && this.done < this.total) return;
    this.lastDraw = now;
    const c = this.counts;
    const line = ` ${pc.cyan("›")} ${this.done}/${this.total} ${pc.green(`${c.passed} passed`)} ${c.failed ? pc.red(`${c.failed} failed `) : ""}${c.errored ? pc.magenta(`${c.errored} errored`) : ""}`;
    this.ctx.write(`\r\x1b[2K${line}`);
    this.live = true;
  }

  private clearLive(): void {
    if (!this.live) return;
    this.ctx.write("\r\x1b[2K");
    this.live = false;
  }
}

export default DefaultReporter;
