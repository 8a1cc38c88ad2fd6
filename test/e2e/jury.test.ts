// startEvals in-process (the programmatic entry point), with real Piscina workers unless said otherwise.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { startEvals } from "../../src/node.ts";
import type { CaseRecord, CaseResult, Reporter, StartOptions } from "../../src/types.ts";
import { createFixtureProject } from "../support/fixture-project.ts";

const line = (o: object) => JSON.stringify(o);
const scenario = (i: number) =>
  line({
    text_prompt: `Question ${i}?`,
    task: { task_type: i % 2 ? "Odd" : "Even", task_criteria: "exact" },
    golden_answer: `The answer to question ${i} is ${i * 7}.`,
  });

function project(models: object[], judges: object[], scenarios = 4) {
  return createFixtureProject({
    "config/models_profiles.jsonl": models.map(line).join("\n"),
    "config/judge_profiles.jsonl": judges.map(line).join("\n"),
    "evals/numbers.eval.jsonl": Array.from({ length: scenarios }, (_, i) => scenario(i + 1)).join("\n"),
  });
}
const quiet = () => new Writable({ write: (_c, _e, cb) => cb() });
/** startEvals, its report joined to its results (these runs are small). */
const run = async (root: string, extra: StartOptions = {}) => {
  const done = await startEvals({ root, stdout: quiet(), stderr: quiet(), ...extra });
  return { ...done, report: { ...done.report, results: await done.results.all() } };
};
const fast = (name: string, quality: number, extra: object = {}) => ({
  model_id: `mock/${name}`,
  mock: { quality, ttft_ms: 0, tokens_per_s: 0, ...extra },
});
const judge = (name: string, extra: object = {}) => ({
  model_id: `mock/${name}`,
  ...(Object.keys(extra).length ? { mock: extra } : {}),
});

describe("the jury, end to end", () => {
  it("errors a case whose jury lacks quorum, and records it as unprocessed (judge_failure)", async () => {
    const root = project(
      [fast("good", 1)],
      [judge("ok"), judge("down-1", { error_rate: 1 }), judge("down-2", { error_rate: 1 })],
      1,
    );
    const { report, runDir, exitCode } = await run(root);
    expect(exitCode).toBe(1);
    const [result] = report.results;
    expect(result?.state).toBe("errored");
    expect(result?.error?.classification).toBe("judge_failure");
    expect(result?.error?.message).toMatch(
      /^jury without quorum: 1 of 3 judges scored, 2 needed; mock\/down-1: provider_error/,
    );
    expect(result?.jury?.verdicts.map((v) => v.status)).toEqual(["scored", "abstained", "abstained"]);
    const unprocessed = readFileSync(join(runDir, "unprocessed.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(unprocessed).toEqual([
      expect.objectContaining({ caseId: result?.caseId, classification: "judge_failure", taskType: "Odd" }),
    ]);
  });

  it("keeps the verdict when one judge of three abstains, and an explicit quorum can demand all", async () => {
    const root = project([fast("good", 1)], [judge("a"), judge("b"), judge("down", { error_rate: 1 })], 1);
    expect((await run(root)).report.results[0]?.state).toBe("passed");
    expect((await run(root, { quorum: 3 })).report.results[0]?.state).toBe("errored");
  });

  it("an API failure of the model is errored (api_failure), not failed", async () => {
    const root = project([fast("flaky", 1, { error_rate: 1 })], [judge("a")], 2);
    const { report } = await run(root);
    expect(report.results.map((r) => [r.state, r.error?.classification])).toEqual([
      ["errored", "api_failure"],
      ["errored", "api_failure"],
    ]);
    expect(report.results[0]?.error?.message).toBe("simulated error from mock/flaky (error_rate 1)");
  });

  it("adds user-defined metrics from the CLI, the header and the scenario as jury dimensions", async () => {
    const root = createFixtureProject({
      "config/models_profiles.jsonl": line(fast("good", 1)),
      "config/judge_profiles.jsonl": line(judge("a")),
      "evals/m.eval.jsonl": [
        line({ $eval: { metrics: ["Tone"] } }),
        line({
          text_prompt: "p",
          task: { task_type: "T" },
          golden_answer: "g",
          user_defined_metrics: "brand voice, tone",
        }),
      ].join("\n"),
    });
    const { report } = await run(root, { metrics: ["Brand-Voice", "clarity"] });
    expect(report.results[0]?.jury?.dimensions.map((d) => d.key)).toEqual([
      "correctness",
      "completeness",
      "relevance",
      "format",
      "coherence",
      "following_instructions",
      "brand_voice",
      "clarity",
      "tone",
    ]);
  });

  it("records the jury rule chosen with --aggregate in every result (the rules themselves: unit tests)", async () => {
    const root = project([fast("half", 0.5)], [judge("a"), judge("b"), judge("c")], 6);
    const states = async (aggregate: "mean" | "median" | "majority") =>
      (await run(root, { aggregate, threads: false })).report.results.map((r) => r.jury?.rule);
    expect(await states("median")).toEqual(Array(6).fill("median"));
    expect(await states("majority")).toEqual(Array(6).fill("majority"));
  });
});

describe("runner behaviour", () => {
  it("runs the same cases with the same verdicts in the main thread (--no-threads)", async () => {
    const root = project([fast("good", 0.8), fast("bad", 0.1)], [judge("a"), judge("b")]);
    const threaded = await run(root);
    const inline = await run(root, { threads: false });
    const view = (rs: CaseResult[]) =>
      rs.map((r) => [r.caseId, r.state, r.output, r.jury?.dimensions.map((d) => d.score)]).sort();
    expect(view(inline.report.results)).toEqual(view(threaded.report.results));
    expect(inline.report.results).toHaveLength(8);
  });

  it("filters cases with -t and reports only those", async () => {
    const root = project([fast("good", 1), fast("bad", 0)], [judge("a")]);
    const { report } = await run(root, { testNamePattern: "L2 › mock/bad$" });
    expect(report.cases.map((c) => `${c.scenarioKey} ${c.model}`)).toEqual(["L2 mock/bad"]);
  });

  it("--bail stops starting cases after the first failure", async () => {
    const root = project([fast("bad", 0)], [judge("a")], 10);
    const { report, exitCode } = await run(root, { bail: 1, concurrency: 1 });
    expect(report.status).toBe("bailed");
    expect(report.results).toHaveLength(1);
    expect(report.summaries.overall.total).toBe(10);
    expect(exitCode).toBe(1);
  });

  it("an abort (Ctrl-C) keeps finished results, reports them, and exits 130", async () => {
    const root = project([fast("slow", 1, { ttft_ms: 300 })], [judge("a")], 6);
    const controller = new AbortController();
    const seen: string[] = [];
    const reporter: Reporter = {
      onCaseResult: (r) => {
        seen.push(r.caseId);
        controller.abort();
      },
    };
    const { report, runDir, exitCode } = await run(root, {
      concurrency: 2,
      signal: controller.signal,
      reporterInstances: [reporter],
    });
    expect(exitCode).toBe(130);
    expect(report.status).toBe("interrupted");
    const lines = readFileSync(join(runDir, "results.jsonl"), "utf8").trim().split("\n");
    expect(lines.map((l) => (JSON.parse(l) as CaseResult).caseId)).toEqual(seen);
    expect(seen.length).toBeGreaterThanOrEqual(1);
    expect(seen.length).toBeLessThan(6);
    expect(JSON.parse(readFileSync(join(runDir, "run.json"), "utf8")).status).toBe("interrupted");
  });

  it("calls custom reporters' hooks in order, and survives one that throws", async () => {
    const root = project([fast("good", 1)], [judge("a")], 2);
    const calls: string[] = [];
    const recorder: Reporter = {
      onInit: (ctx) => void calls.push(`init ${ctx.runId === "" ? "" : "run"}`),
      onRunStart: (cases: readonly CaseRecord[]) => void calls.push(`start ${cases.length}`),
      onCaseResult: (r) => void calls.push(`result ${r.state}`),
      onEvalEnd: (file, counts) => void calls.push(`eval ${file} ${counts.passed}`),
      onRunEnd: async (report, results) => {
        // Plain data, and the results through their reader.
        const states = [];
        for await (const r of results) states.push(r.state);
        calls.push(`end ${report.status} ${"results" in report} ${states.join(" ")}`);
      },
    };
    const broken: Reporter = {
      onCaseResult: () => {
        throw new Error("boom");
      },
    };
    let warnings = "";
    const stderr = new Writable({
      write: (c, _e, cb) => {
        warnings += String(c);
        cb();
      },
    });
    const { exitCode } = await startEvals({
      root,
      stdout: quiet(),
      stderr,
      reporterInstances: [broken, recorder],
    });
    expect(exitCode).toBe(0);
    expect(calls).toEqual([
      "init run",
      "start 2",
      "result passed",
      "result passed",
      "eval evals/numbers.eval.jsonl 2",
      "end completed false passed passed",
    ]);
    expect(warnings).toBe('warning: reporter "custom#1" failed in onCaseResult: boom\n');
  });

  it("loads a custom reporter by module path", async () => {
    const root = createFixtureProject({
      "config/models_profiles.jsonl": line(fast("good", 1)),
      "config/judge_profiles.jsonl": line(judge("a")),
      "evals/a.eval.jsonl": scenario(1),
      "my-reporter.ts": `import { writeFileSync } from "node:fs";
import type { Reporter, ResultsReader, RunReport } from "jury/reporter";
export default class CountReporter implements Reporter {
  async onRunEnd(_report: RunReport, results: ResultsReader) {
    let n = 0;
    for await (const _ of results) n++;
    writeFileSync("count.txt", String(n));
  }
}`,
    });
    const cwd = process.cwd();
    process.chdir(root);
    try {
      await run(root, { reporters: ["./my-reporter.ts"] });
    } finally {
      process.chdir(cwd);
    }
    expect(readFileSync(join(root, "count.txt"), "utf8")).toBe("1");
  });
});

describe("timeouts", () => {
  it("a case over --case-timeout is errored with the reason, and the run goes on", async () => {
    // A margin the quick case keeps on a busy machine (a cold worker thread, a loaded CPU): 2 s, vs 10 s.
    const root = project([fast("slow", 1, { ttft_ms: 10_000 }), fast("quick", 1)], [judge("a")], 1);
    const { report } = await run(root, { caseTimeoutMs: 2000, minPassRate: 0 });
    const byModel = new Map(
      report.results.map((r) => [report.cases.find((c) => c.id === r.caseId)?.model, r]),
    );
    expect(byModel.get("mock/slow")?.error).toMatchObject({
      classification: "api_failure",
      message: "the case timed out after 2000 ms (--case-timeout) during the task",
    });
    expect(byModel.get("mock/quick")?.state).toBe("passed");
  });

  it("a call over --timeout is retried, then errored with the reason", async () => {
    const root = project([fast("slow", 1, { ttft_ms: 300 })], [judge("a")], 1);
    const { report } = await run(root, { timeoutMs: 50, maxAttempts: 2, minPassRate: 0 });
    expect(report.results[0]?.error?.message).toBe("the model call timed out after 50 ms (--timeout)");
    expect(report.results[0]?.metrics?.attempts).toBe(2);
  });
});
