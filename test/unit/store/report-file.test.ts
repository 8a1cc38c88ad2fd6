import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { forEachLineBytes, writeRunReportFile } from "../../../src/store/report-file.ts";
import type { CaseResult, RunReportWithResults } from "../../../src/types.ts";
import { diskWithRoomFor } from "../../support/full-disk.ts";
import { tempDir } from "../../support/temp-dir.ts";

const dir = () => tempDir("jury-report-file-");

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

describe("forEachLineBytes", () => {
  it("gives every line whole across 1 MB chunk boundaries and multi-byte characters", () => {
    const d = dir();
    const lines = Array.from({ length: 3000 }, (_, i) => `${i}:${"é✓".repeat(200 + (i % 7))}`);
    writeFileSync(join(d, "x.jsonl"), `${lines.join("\n")}\n\n`);
    const got: string[] = [];
    forEachLineBytes(join(d, "x.jsonl"), (l) => got.push(l.toString("utf8")));
    expect(got).toEqual(lines);
  });
});

describe("writeRunReportFile", () => {
  const report = (results: CaseResult[]) =>
    ({
      schemaVersion: 1,
      runId: "r1",
      status: "completed",
      results,
      warnings: [],
    }) as unknown as RunReportWithResults;

  it("writes the report with its results streamed in full from results.jsonl, never reading its own", () => {
    const d = dir();
    const rows = [full("a"), full("b", "failed")];
    writeFileSync(join(d, "results.jsonl"), rows.map((r) => `${JSON.stringify(r)}\n`).join(""));
    const { results: _, ...head } = report(rows);
    const live = Object.defineProperty(head, "results", {
      enumerable: true,
      get: () => {
        throw new Error("results read");
      },
    }) as RunReportWithResults;
    writeRunReportFile(join(d, "run.json"), live, join(d, "results.jsonl"));
    expect(JSON.parse(readFileSync(join(d, "run.json"), "utf8"))).toEqual(report(rows));
  });

  it("writes cases and scenarios one per line, and leaves out lines of results.jsonl a crash tore", () => {
    const d = dir();
    const rows = [full("a"), full("b")];
    const [a, b] = rows.map((r) => JSON.stringify(r)) as [string, string];
    writeFileSync(join(d, "results.jsonl"), `${a}\n${b.slice(0, 40)}\n${b}\n${a.slice(0, 10)}`);
    const value = {
      runId: "r2",
      scenarios: { 'evals/x.jsonl#"q"#L1': { prompt: "é\n✓" }, "evals/x.jsonl#q#L2": { prompt: "two" } },
      cases: [{ id: "a" }, { id: "b" }],
      results: [],
    };
    writeRunReportFile(join(d, "run.json"), value, join(d, "results.jsonl"));
    const text = readFileSync(join(d, "run.json"), "utf8");
    expect(JSON.parse(text)).toEqual({ ...value, results: rows });
    expect(text).toContain('\n    {"id":"a"},\n    {"id":"b"}\n  ]');
    // Without results (a run in progress) there is no results field; empty objects and lists stay valid.
    writeRunReportFile(join(d, "start.json"), { runId: "r3", scenarios: {}, cases: [] });
    expect(JSON.parse(readFileSync(join(d, "start.json"), "utf8"))).toEqual({
      runId: "r3",
      scenarios: {},
      cases: [],
    });
  });

  it("writes the report's own results without a file, and an empty list as []", () => {
    const d = dir();
    writeRunReportFile(join(d, "a.json"), report([full("a")]));
    expect(JSON.parse(readFileSync(join(d, "a.json"), "utf8"))).toEqual(report([full("a")]));
    writeRunReportFile(join(d, "b.json"), report([]));
    expect(JSON.parse(readFileSync(join(d, "b.json"), "utf8")).results).toEqual([]);
  });

  it("a disk that fills up mid-write leaves the previous run.json whole and no temp file: never a truncated one", () => {
    const d = dir();
    const rows = Array.from({ length: 1000 }, (_, i) => full(`c${i}`));
    writeFileSync(join(d, "results.jsonl"), rows.map((r) => `${JSON.stringify(r)}\n`).join(""));
    const file = join(d, "run.json");
    writeRunReportFile(file, { runId: "r1", status: "running", cases: [] });
    const before = readFileSync(file, "utf8");
    const disk = diskWithRoomFor(200 * 1024); // a 1 MB chunk written short, at 200 KiB
    try {
      expect(() => writeRunReportFile(file, report(rows), join(d, "results.jsonl"))).toThrow(/ENOSPC/);
    } finally {
      disk.restore();
    }
    expect(readFileSync(file, "utf8")).toBe(before);
    expect(readdirSync(d).sort()).toEqual(["results.jsonl", "run.json"]);
  });
});
