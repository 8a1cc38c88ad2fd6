import { stripVTControlCharacters } from "node:util";
import { describe, expect, it } from "vitest";
import { DotReporter } from "../../../reporters/dot.ts";
import type { ReporterContext } from "../../../src/reporter.ts";
import {
  caseRecord,
  configSnapshot,
  errored,
  judged,
  passed,
  runReport,
  scored,
  skipped,
} from "../../support/records.ts";

/** A reporter context that records lines and raw writes, colours stripped. */
function fakeCtx(tty: boolean) {
  const lines: string[] = [];
  const writes: string[] = [];
  const ctx: ReporterContext = {
    root: "/work/project",
    runId: "r1",
    runDir: "/work/project/outputs/runs/r1",
    outputDir: "/work/project/outputs",
    log: (text) => lines.push(stripVTControlCharacters(text)),
    write: (text) => writes.push(stripVTControlCharacters(text)),
    isTTY: tty,
    isCI: !tty,
  };
  return { ctx, lines, writes };
}

describe("DotReporter", () => {
  for (const tty of [false, true])
    it(`writes a character per case, 80 to a row, then the failed cases and the summary (${tty ? "TTY" : "CI"})`, () => {
      const records = Array.from({ length: 83 }, (_, i) => caseRecord({ id: `c${i}`, scenarioKey: `L${i}` }));
      const results = records.map((rec, i) =>
        i === 1
          ? judged(rec, [scored("mock/judge-a", { correctness: 1 })])
          : i === 2
            ? errored(rec)
            : i === 3
              ? skipped(rec)
              : passed(rec),
      );
      const { ctx, lines, writes } = fakeCtx(tty);
      const r = new DotReporter();
      r.onInit(ctx);
      r.onRunStart(records, configSnapshot());
      lines.length = 0;
      for (const [i, rec] of records.entries()) {
        r.onCaseStart(rec);
        r.onCaseResult(results[i] as (typeof results)[number], rec);
      }
      r.onEvalEnd();
      expect(lines).toEqual([]);
      r.onRunEnd(runReport(records, results));
      // No live line, no per-case or per-file line: the characters alone.
      expect(writes.join("")).toBe(` ·x!-${"·".repeat(76)}\n ···\n`);
      expect(lines.slice(0, 8)).toEqual([
        "",
        " Failed cases (2)",
        "",
        " ✗ evals/summaries.eval.jsonl › summaries › L1 › mock/perfect [t=0.7, #1]",
        "     Correctness 1 < 3  (mock/judge-a 1)",
        '     mock/judge-a on Correctness: "mock/judge-a on Correctness"',
        "",
        " ! evals/summaries.eval.jsonl › summaries › L2 › mock/perfect [t=0.7, #1]",
      ]);
      expect(lines.find((l) => l.includes("Cases"))?.trim()).toBe(
        "Cases  80 passed | 1 failed | 1 errored | 1 skipped (83)",
      );
    });
});
