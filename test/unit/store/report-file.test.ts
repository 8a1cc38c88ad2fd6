import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  createInterner,
  forEachLine,
  slimResult,
  withFullResults,
  writeRunReportFile,
} from "../../../src/store/report-file.ts";
import type { CaseResult, RunReport } from "../../../src/types.ts";

const dir = () => mkdtempSync(join(tmpdir(), "jury-report-file-"));

const full = (id: string, state: CaseResult["state"] = "passed"): CaseResult => ({
  caseId: id,
  state,
  reasons: [],
  checks: [],
  output: `answer of ${id} — ünïcödé ✓`,
  jury: {
    rule: "mean",
    threshold: 3,
    promptVersion: "judge-v1",
    dimensions: [{ key: "correctness", name: "Correctness", score: 4, spread: 0, passed: true }],
    verdicts: [
      {
        judge: "mock/a",
        status: "scored",
        scores: { correctness: 4 },
        rationales: { correctness: "fine" },
        tokens: { input: 1, output: 1 },
        cost: 0,
        latencyMs: 1,
        sameFamily: false,
      },
      {
        judge: "mock/b",
        status: "abstained",
        reason: "unparseable",
        raw: "garbage",
        cost: 0,
        sameFamily: false,
      },
    ],
    scored: 1,
    quorum: 1,
    quorumMet: true,
    passed: true,
  },
});

describe("slimResult", () => {
  it("drops the output, rationales and raw replies and keeps what summaries read", () => {
    const slim = slimResult(full("a"));
    expect(slim.output).toBeUndefined();
    expect(slim.jury?.verdicts[0]).toMatchObject({
      judge: "mock/a",
      scores: { correctness: 4 },
      rationales: {},
    });
    expect(slim.jury?.verdicts[1]).toEqual({
      judge: "mock/b",
      status: "abstained",
      reason: "unparseable",
      cost: 0,
      sameFamily: false,
    });
    expect(slim.jury?.dimensions).toEqual(full("a").jury?.dimensions);
  });

  it("makes repeated strings one instance through the interner", () => {
    const intern = createInterner();
    const a = slimResult(JSON.parse(JSON.stringify(full("a"))), intern);
    const b = slimResult(JSON.parse(JSON.stringify(full("b"))), intern);
    expect(a.jury?.dimensions[0]?.name).toBe("Correctness");
    expect(Object.is(a.jury?.verdicts[0]?.judge, b.jury?.verdicts[0]?.judge)).toBe(true);
    expect(intern("Correctness")).toBe(a.jury?.dimensions[0]?.name);
  });
});

describe("forEachLine", () => {
  it("gives every line whole across 1 MB chunk boundaries and multi-byte characters", () => {
    const d = dir();
    const lines = Array.from({ length: 3000 }, (_, i) => `${i}:${"é✓".repeat(200 + (i % 7))}`);
    writeFileSync(join(d, "x.jsonl"), `${lines.join("\n")}\n\n`);
    const got: string[] = [];
    forEachLine(join(d, "x.jsonl"), (l) => got.push(l));
    expect(got).toEqual(lines);
  });
});

describe("writeRunReportFile", () => {
  const report = (results: CaseResult[]) =>
    ({ schemaVersion: 1, runId: "r1", status: "completed", results, warnings: [] }) as unknown as RunReport;

  it("writes the report with its results streamed in full from results.jsonl", () => {
    const d = dir();
    const rows = [full("a"), full("b", "failed")];
    writeFileSync(join(d, "results.jsonl"), rows.map((r) => `${JSON.stringify(r)}\n`).join(""));
    writeRunReportFile(join(d, "run.json"), report(rows.map((r) => slimResult(r))), join(d, "results.jsonl"));
    expect(JSON.parse(readFileSync(join(d, "run.json"), "utf8"))).toEqual(report(rows));
  });

  it("writes the report's own results without a file, and an empty list as []", () => {
    const d = dir();
    writeRunReportFile(join(d, "a.json"), report([full("a")]));
    expect(JSON.parse(readFileSync(join(d, "a.json"), "utf8"))).toEqual(report([full("a")]));
    writeRunReportFile(join(d, "b.json"), report([]));
    expect(JSON.parse(readFileSync(join(d, "b.json"), "utf8")).results).toEqual([]);
  });

  it("withFullResults restores outputs and rationales from the run dir, in the report's order", () => {
    const d = dir();
    const rows = [full("a"), full("b")];
    writeFileSync(join(d, "results.jsonl"), `${rows.map((r) => JSON.stringify(r)).join("\n")}\n{"torn`);
    const slim = report([slimResult(rows[1] as CaseResult), slimResult(rows[0] as CaseResult)]);
    expect(withFullResults(slim, d).results).toEqual([rows[1], rows[0]]);
    expect(withFullResults(slim, join(d, "nowhere")).results).toEqual(slim.results);
  });
});
