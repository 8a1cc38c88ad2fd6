import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { caseId } from "../../../src/discovery/ids.ts";
import { FactsTable } from "../../../src/metrics/facts-table.ts";
import { summarize } from "../../../src/metrics/summary.ts";
import { writeRunReportFile } from "../../../src/store/report-file.ts";
import type { CaseRecord, CaseResult } from "../../../src/types.ts";
import {
  abstained,
  batchedMetrics,
  caseRecord,
  errored,
  judged,
  runReport,
  scored,
  skipped,
} from "../../support/records.ts";
import { tempDir } from "../../support/temp-dir.ts";

// A fixed run of every kind of case a summary reads — two files, three evals, two models (one with an optimized
// prompt), two temperatures, three invocations, four task types; passed, failed, errored, skipped and unrun
// cases; replayed, batched and reasoning metrics; abstaining judges and a dimension no judge scored — and its
// summaries pinned to the figures of 88fed7d (before they were gathered into typed columns): every figure, to the
// last bit and bootstrap draw.
function fixedRun(): { cases: CaseRecord[]; results: CaseResult[] } {
  const cases: CaseRecord[] = [];
  const results: CaseResult[] = [];
  let i = 0;
  for (const [file, evalName] of [
    ["evals/a.eval.jsonl", "summaries"],
    ["evals/a.eval.jsonl", "sql"],
    ["evals/b.eval.jsonl", "summaries"],
  ] as const)
    for (let s = 0; s < 60; s++)
      for (const [model, variant] of [
        ["mock/perfect", "original"],
        ["mock/perfect", "optimized"],
        ["mock/sloppy", "original"],
      ] as const)
        for (const temperature of [0, 0.7])
          for (let invocation = 1; invocation <= 3; invocation++) {
            const parts = {
              file,
              evalName,
              scenarioKey: `L${s}`,
              model,
              variant,
              temperature,
              invocation,
              experiment: 1,
            };
            const record = caseRecord({
              ...parts,
              id: caseId(parts),
              taskType: taskTypeOf(evalName, s, invocation),
              location: { line: s + 1 },
            });
            cases.push(record);
            i++;
            const r = resultOf(record, i);
            if (r) results.push(r);
          }
  // Arrival order is not case-id order (nor plan order).
  results.reverse();
  return { cases, results };
}

/** Per scenario, but for some of "sql" whose task type differs by invocation (runs of two configs joined). */
function taskTypeOf(evalName: string, s: number, invocation: number): string {
  return evalName === "sql" && s % 5 === 0 ? `T${invocation}` : `T${(s * 7) % 4}`;
}

function resultOf(record: CaseRecord, i: number): CaseResult | undefined {
  if (i % 97 === 0) return undefined; // planned, never ran
  if (i % 53 === 0) return skipped(record);
  if (i % 31 === 0) return errored(record, i % 2 ? {} : { classification: "processing_exception" });
  const q = record.model === "mock/sloppy" ? 2 : 4;
  const judge = (name: string, k: number) =>
    (i + k) % 19 === 0
      ? abstained(name)
      : scored(
          name,
          {
            correctness: 1 + ((i * (k + 3)) % 5),
            relevance: q + ((i + k) % 2),
            format: i % 11 === 0 ? Number.NaN : q,
          },
          { fill: q + (k % 2), sameFamily: k === 0 && record.model === "mock/perfect" },
        );
  const metrics = {
    ttftMs: 200 + ((i * 37) % 900) + i / 7,
    otps: 20 + ((i * 13) % 90) / 3,
    inputTokens: 100 + (i % 50),
    outputTokens: 30 + (i % 70),
    responseCost: 0.0001 * (1 + (i % 9)),
    judgeCost: 0.00003 * (1 + (i % 4)),
    attempts: 1 + (i % 23 === 0 ? 2 : 0),
    retries: i % 23 === 0 ? 2 : 0,
    throttled: i % 23 === 0 ? 1 : 0,
    throttleWaitMs: i % 23 === 0 ? 1500 : 0,
    firstRequestAt: 1_750_000_000_000 + i * 40,
    lastRequestAt: 1_750_000_000_000 + i * 40 + 900,
    ...(i % 5 === 0 ? { ttfrMs: 90 + (i % 300), reasoningTokens: 40 + (i % 17) } : {}),
    ...(i % 13 === 0 ? { cached: true, cacheHits: 1, cacheTimeSavedMs: 1200, cacheCostSaved: 0.0004 } : {}),
  };
  return judged(record, [judge("mock/judge-a", 0), judge("mock/judge-b", 1), judge("mock/judge-c", 2)], {
    metrics: i % 17 === 0 ? batchedMetrics(metrics) : metrics,
  });
}

const models = [{ key: "mock/perfect", targetRpm: 600 }, { key: "mock/sloppy" }];

/** The summaries as JSON (NaN and -0 as written), hashed: what run.json and report.json carry. */
const digest = (s: unknown) => createHash("sha256").update(JSON.stringify(s)).digest("hex");

describe("summarize on a fixed run", () => {
  const { cases, results } = fixedRun();

  it("gives the figures it gave before its columns were typed", () => {
    const s = summarize(cases, results, models, 2);
    expect(s.overall.total).toBe(3240);
    expect(s.trials?.flaky.length).toBeGreaterThan(0);
    expect(s.variants).toHaveLength(1);
    expect(s.byTaskType.map((g) => g.key)).toEqual(["T0", "T3", "T2", "T1"]);
    expect(digest(s)).toBe("43f77a69a8ae8594d576ac6feeee5a99dcc3919aa7ba68da64faa22a7976efa7");
  });

  it("gives the same figures whatever the order results arrive in", () => {
    const table = FactsTable.of(cases, [...results].reverse());
    expect(digest(summarize(cases, table, models, 2))).toBe(digest(summarize(cases, results, models, 2)));
  });
});

describe("run.json of a fixed run", () => {
  it("is written byte for byte as before (summaries, gate, scenarios, cases and results streamed)", () => {
    const { cases, results } = fixedRun();
    const scenarios = Object.fromEntries(
      cases.map((c) => [
        `${c.file}#${c.evalName}#${c.scenarioKey}`,
        { prompt: `prompt of ${c.scenarioKey} ✓` },
      ]),
    );
    const report = runReport(cases, results, { scenarios });
    const dir = tempDir("jury-pinned-run-json-");
    const jsonl = join(dir, "results.jsonl");
    writeFileSync(jsonl, results.map((r) => `${JSON.stringify(r)}\n`).join(""));
    const file = join(dir, "run.json");
    writeRunReportFile(file, report, jsonl);
    expect(createHash("sha256").update(readFileSync(file)).digest("hex")).toBe(
      "1501f34773a830a1ae9959ab3de5e580552a20f77aa7a7a8cd63d1aec3b0b814",
    );
  });
});
