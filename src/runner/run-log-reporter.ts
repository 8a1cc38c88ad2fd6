import { reasonSummary } from "../../reporters/format.ts";
import { caseName } from "../discovery/filters.ts";
import { modelLabel } from "../discovery/ids.ts";
import { safeText } from "../safe-text.ts";
import { type LogLevel, RunLog, runLogFile } from "../store/run-log.ts";
import type {
  CaseRecord,
  CaseResult,
  ConfigSnapshot,
  Reporter,
  ReporterContext,
  RunReport,
  StartOptions,
} from "../types.ts";

/** Options that are objects of the process, not settings: left out of the log's start line. */
const NOT_SETTINGS = new Set(["reporterInstances", "signal", "stdout", "stderr", "isTTY"]);

/** One line of the log: anything from outside (names, messages, options) shown, never obeyed, on one line. */
const oneLine = (text: string) => safeText(text, { oneLine: true });

/**
 * The run log every run writes in its run dir (`runLogFile`), as the seed writes `logs/360-benchmark-*.log`:
 * a start line with the options as given and one with the settings they resolved to, the warnings so far, a
 * line per finished case (INFO passed or skipped, WARNING failed with its reasons, ERROR errored with its
 * error), the warnings found meanwhile, and a summary line. Nothing secret is in it: options and settings name
 * profiles and files, never a key; every text from outside goes through `safeText`. It is a reporter of the run,
 * so a failure of its own never stops the run.
 */
export class RunLogReporter implements Reporter {
  private log: RunLog | undefined;
  private readonly logged = new Set<string>();

  constructor(
    private readonly run: { runId: string; name?: string; warnings: readonly string[] },
    private readonly options: StartOptions,
  ) {}

  onInit(ctx: ReporterContext): void {
    this.open(ctx.runDir);
  }

  /** Opens the log of the run in `runDir` (what `onInit` does, for a caller that is not a reporter hub). */
  open(runDir: string): void {
    this.log = new RunLog(runLogFile(runDir, this.run.runId, this.run.name));
  }

  onRunStart(cases: readonly CaseRecord[], config: ConfigSnapshot): void {
    this.start(`${cases.length} cases`, config);
  }

  /**
   * The start lines: `planned` says what the run will run (`3 cases`; a Vitest run, whose cases its workers plan,
   * says so instead), then the options, the settings and the warnings so far.
   */
  start(planned: string, config: ConfigSnapshot): void {
    const given = Object.fromEntries(
      Object.entries(this.options).filter(([key, value]) => !NOT_SETTINGS.has(key) && value !== undefined),
    );
    const name = this.run.name === undefined ? "" : ` "${this.run.name}"`;
    this.write("INFO", `Starting run ${this.run.runId}${name}: ${planned}; options ${JSON.stringify(given)}`);
    const settings = {
      models: config.models.map((m) => m.key),
      judges: config.judges.map((j) => j.key),
      jury: config.jury,
      run: config.run,
      gate: config.gate,
    };
    this.write("INFO", `Settings ${JSON.stringify(settings)}`);
    this.warnings(this.run.warnings);
  }

  onCaseResult(result: CaseResult, record: CaseRecord): void {
    const level: LogLevel =
      result.state === "errored" ? "ERROR" : result.state === "failed" ? "WARNING" : "INFO";
    // Queued: the lines of the results of one turn are appended together.
    this.log?.queue(level, oneLine(caseLine(result, record)));
  }

  onRunEnd(report: RunReport): void {
    this.warnings(report.warnings);
    const o = report.summaries.overall;
    const seconds = report.durationMs === undefined ? "" : ` in ${(report.durationMs / 1000).toFixed(1)} s`;
    const gate = report.gate ? `; gate ${report.gate.verdict}: ${report.gate.reason}` : "";
    this.write(
      o.errored > 0 || report.gate?.verdict === "failed" ? "WARNING" : "INFO",
      `Run ${report.runId} ${report.status}${seconds}: ${o.total} cases, ${o.passed} passed, ${o.failed} failed, ${o.errored} errored, ${o.skipped} skipped; cost $${o.cost.toFixed(6)}${gate}`,
    );
  }

  private warnings(warnings: readonly string[]): void {
    for (const w of warnings) {
      if (this.logged.has(w)) continue;
      this.logged.add(w);
      this.write("WARNING", w);
    }
  }

  private write(level: LogLevel, text: string): void {
    this.log?.line(level, oneLine(text));
  }
}

/**
 * Logs what stopped a run before its end (a full disk, a run dir in use, a bug) as the log's last line, so the
 * log says why it ends there: `ERROR - Run <id> stopped: <error>`.
 */
export function logRunFailure(run: { runId: string; runDir: string; name?: string }, err: unknown): void {
  const why = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  new RunLog(runLogFile(run.runDir, run.runId, run.name)).line(
    "ERROR",
    oneLine(`Run ${run.runId} stopped: ${why}`),
  );
}

/** `Case <id> failed: <eval › scenario › model> (<file:line>) [t=0.7, invocation 1, experiment 1]: TTFT 0.812 s, …; reasons`. */
function caseLine(r: CaseResult, c: CaseRecord): string {
  const m = r.metrics;
  const facts = m
    ? [
        m.ttftMs === undefined ? undefined : `TTFT ${(m.ttftMs / 1000).toFixed(3)} s`,
        m.ttlbMs === undefined ? undefined : `TTLB ${(m.ttlbMs / 1000).toFixed(3)} s`,
        `tokens ${m.inputTokens} in, ${m.outputTokens} out`,
        `cost $${(m.responseCost + m.judgeCost).toFixed(6)}`,
        m.attempts > 1 ? `${m.attempts} attempts` : undefined,
      ].filter((f) => f !== undefined)
    : [];
  const reasons = r.reasons.map(reasonSummary);
  const error = r.error ? [`${r.error.classification}: ${r.error.message}`] : [];
  const line = c.location.line === undefined ? "" : `:${c.location.line}`;
  const where = `(${c.file}${line}) [t=${c.temperature}, invocation ${c.invocation}, experiment ${c.experiment}]`;
  const tail = [facts.join(", "), ...reasons, ...error].filter(Boolean).join("; ");
  return `Case ${c.id} ${r.state}: ${caseName(c.evalName, c.scenarioKey, modelLabel(c))} ${where}${tail ? `: ${tail}` : ""}`;
}
