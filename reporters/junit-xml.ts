// Builds JUnit XML from records (pure): eval file → <testsuite>, case → <testcase> (DESIGN §8).
import type { Builder } from "junit-report-builder";
import * as junitModule from "junit-report-builder";
import type { CaseRecord, CaseResult, RunReport } from "../src/index.ts";
import { caseTags, caseTitle, reasonLines, score } from "./format.ts";

// CommonJS with `module.exports = builder`, while its types declare a default export: take whichever is there.
const junitBuilder = ((junitModule as { default?: unknown }).default ?? junitModule) as Builder;

/** Characters XML 1.0 cannot hold (control characters, lone surrogates, U+FFFE/U+FFFF), removed from every string. */
const INVALID_XML =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching the characters XML cannot hold is the point.
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function xmlSafe(s: string): string {
  return s.replace(INVALID_XML, "");
}

export function buildJunitXml(
  report: Pick<RunReport, "cases" | "results" | "startedAt" | "durationMs">,
): string {
  const builder = junitBuilder.newBuilder();
  const results = new Map(report.results.map((r) => [r.caseId, r]));
  const byFile = new Map<string, CaseRecord[]>();
  for (const c of report.cases) byFile.set(c.file, [...(byFile.get(c.file) ?? []), c]);

  for (const [file, cases] of byFile) {
    const suite = builder.testSuite().name(xmlSafe(file)).timestamp(report.startedAt);
    let seconds = 0;
    for (const c of cases) {
      const r = results.get(c.id);
      if (!r) continue; // planned but never run (interrupted): not a test result
      const time = (r.metrics?.durationMs ?? 0) / 1000;
      seconds += time;
      const tc = suite
        .testCase()
        .className(xmlSafe(c.file))
        .name(xmlSafe(`${caseTitle(c)} ${caseTags(c)}`))
        .file(xmlSafe(c.file))
        .time(time);
      for (const [name, value] of properties(c, r)) tc.property(xmlSafe(name), xmlSafe(value));
      if (r.state === "failed") {
        const lines = reasonLines(r.reasons, 2000);
        const summary = r.reasons.map((x) =>
          x.kind === "dimension"
            ? `${x.name} ${score(x.score)} < ${x.threshold}`
            : x.kind === "check"
              ? `check ${x.check}`
              : x.message,
        );
        tc.failure(xmlSafe(summary.join("; ")), "jury").stacktrace(xmlSafe(lines.join("\n")));
      } else if (r.state === "errored") {
        tc.error(
          xmlSafe(r.error?.message ?? "errored"),
          xmlSafe(r.error?.classification ?? "error"),
          xmlSafe(r.error?.stack ?? r.error?.message ?? ""),
        );
      } else if (r.state === "skipped") tc.skipped();
    }
    suite.time(seconds);
  }
  return builder.build();
}

function properties(c: CaseRecord, r: CaseResult): [string, string][] {
  const out: [string, string][] = [
    ["case.id", c.id],
    ["case.line", c.location.line === undefined ? "" : String(c.location.line)],
    ["model", c.model],
    ["task_type", c.taskType],
  ];
  for (const d of r.jury?.dimensions ?? []) out.push([`jury.${d.key}`, score(d.score)]);
  for (const v of r.jury?.verdicts ?? [])
    out.push([`judge.${v.judge}`, v.status === "scored" ? "scored" : `abstained: ${v.reason}`]);
  const m = r.metrics;
  if (m) {
    if (m.ttftMs !== undefined) out.push(["ttft_ms", m.ttftMs.toFixed(1)]);
    if (m.ttlbMs !== undefined) out.push(["ttlb_ms", m.ttlbMs.toFixed(1)]);
    out.push(["input_tokens", String(m.inputTokens)], ["output_tokens", String(m.outputTokens)]);
    out.push(["cost_usd", (m.responseCost + m.judgeCost).toFixed(6)]);
    if (m.simulated) out.push(["simulated", "true"]);
  }
  return out.filter(([, v]) => v !== "");
}
