import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ReporterHub } from "../../../src/runner/reporters.ts";
import { RunRecorder } from "../../../src/runner/run-recorder.ts";
import { resultsReader } from "../../../src/store/results-reader.ts";
import type { CaseRecord, Reporter } from "../../../src/types.ts";
import { caseRecord, configSnapshot, errored, passed, runEndArgs, runReport } from "../../support/records.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const one = (id: string) => caseRecord({ id, file: "evals/one.eval.jsonl", scenarioKey: id });
const two = (id: string) =>
  caseRecord({ id, file: "evals/two.eval.jsonl", evalName: "two", scenarioKey: id });

describe("RunRecorder", () => {
  it("turns a run's events into reporter hooks, each result on disk before its hook", async () => {
    const runDir = mkdtempSync(join(tmpdir(), "jury-recorder-"));
    dirs.push(runDir);
    const [a, b, c, d] = [one("a"), one("b"), two("c"), two("d")] as [
      CaseRecord,
      CaseRecord,
      CaseRecord,
      CaseRecord,
    ];
    const calls: string[] = [];
    const lines = () =>
      readFileSync(join(runDir, "results.jsonl"), "utf8").split("\n").filter(Boolean).length;
    const reporter: Reporter = {
      onRunStart: (cases) => void calls.push(`start ${cases.length}`),
      onCaseStart: (r) => void calls.push(`case ${r.id}`),
      onCaseResult: (r) => void calls.push(`result ${r.caseId} (${lines()} on disk)`),
      onEvalEnd: (file, counts) => void calls.push(`end ${file} ${counts.passed}/${counts.total}`),
      onRunEnd: async (report, results) =>
        void calls.push(`run end ${report.runId} ${(await results.all()).map((r) => r.caseId).join(",")}`),
    };
    const hub = new ReporterHub([{ spec: { name: "test" }, reporter }], (text) => calls.push(`warn ${text}`));
    // `a` was done by the run resumed: it counts in the facts, is not written again, and gets no hook.
    const recorder = new RunRecorder(hub, runDir, [a, b, c, d], [b, c, d]);
    await recorder.runStart([a, b, c, d], configSnapshot());
    recorder.open([passed(a)], false, () => a);
    recorder.caseStart(c);
    await recorder.caseResult(errored(c), c);
    await recorder.caseResult(passed(b), b);
    await recorder.caseResult(passed(d), d);
    recorder.close();
    const results = resultsReader(join(runDir, "results.jsonl"));
    const [report] = runEndArgs(runReport([a, b, c, d], []));
    await recorder.runEnd(report, results);
    expect(calls).toEqual([
      "start 4",
      "case c",
      "result c (1 on disk)",
      "result b (2 on disk)",
      "end evals/one.eval.jsonl 1/1",
      "result d (3 on disk)",
      "end evals/two.eval.jsonl 1/2",
      `run end ${report.runId} c,b,d`,
    ]);
    const states: string[] = [];
    recorder.facts.forEach((r, facts) => void states.push(`${r.id} ${facts?.state}`));
    expect(states).toEqual(["a passed", "b passed", "c errored", "d passed"]);
  });
});
