// Nothing lost, nothing leaked: faults, kills and resume, canary secrets — through the real CLI and SDKs.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type Simulator, startSimulator } from "../../src/simulator/server.ts";
import type { CaseResult, RunReport } from "../../src/types.ts";
import { createFixtureProject } from "../support/fixture-project.ts";
import { type BuiltCli, runCli, startBuiltCli } from "../support/run-cli.ts";

const line = (o: object) => JSON.stringify(o);
const scenarios = (n: number) =>
  Array.from({ length: n }, (_, i) =>
    line({
      text_prompt: `Question ${i}?`,
      task: { task_type: i % 3 ? "QA" : "Math", task_criteria: "exact" },
      golden_answer: `Answer ${i}.`,
    }),
  ).join("\n");
const FAST_RETRY = "run:\n  retry:\n    baseMs: 5\n    capMs: 40\n    maxAttempts: 6\n";

/** Lines in the newest run's results.jsonl so far (0 before the run dir exists). */
function linesSoFar(root: string): number {
  const runs = join(root, "outputs", "runs");
  const id = existsSync(runs) ? readdirSync(runs).sort().at(-1) : undefined;
  const file = id && join(runs, id, "results.jsonl");
  if (!file || !existsSync(file)) return 0;
  return readFileSync(file, "utf8").split("\n").filter(Boolean).length;
}

/**
 * Waits until the newest run's results.jsonl holds at least `n` lines, or the CLI exits. Resolves true when the
 * lines are there (the CLI is then still running, or just finished).
 */
async function untilLines(root: string, n: number, cli: BuiltCli, timeout = 60_000): Promise<boolean> {
  let exited = false;
  void cli.exited.then(() => {
    exited = true;
  });
  await vi.waitFor(
    () => {
      if (!exited && linesSoFar(root) < n)
        throw new Error(`waiting for ${n} results (${linesSoFar(root)} so far)`);
    },
    { timeout, interval: 10 },
  );
  return linesSoFar(root) >= n;
}

/** results.jsonl of a run: the given one, else the newest (run ids sort by time). */
function resultsOf(root: string, runId?: string): { lines: CaseResult[]; runDir: string } {
  const runs = join(root, "outputs", "runs");
  const id = runId ?? readdirSync(runs).sort().at(-1);
  const runDir = join(runs, id as string);
  const text = readFileSync(join(runDir, "results.jsonl"), "utf8");
  return {
    lines: text
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as CaseResult),
    runDir,
  };
}

describe("fault injection", () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({
      ttftMs: 5,
      tokensPerS: 0,
      faultRate: 0.3,
      retryAfterMs: 20,
      seed: "faults",
    });
  });
  afterAll(async () => {
    await sim.close();
  });

  it("300 cases against 30% faults: every case exactly once, retries recorded, exit code = gate", async () => {
    const root = createFixtureProject({
      "config/models_profiles.jsonl": line({
        model_id: "openai-compatible/flaky",
        base_url: `${sim.url}/v1`,
      }),
      "config/judge_profiles.jsonl": [line({ model_id: "mock/j1" }), line({ model_id: "mock/j2" })].join(
        "\n",
      ),
      "evals/faults.eval.jsonl": scenarios(300),
      "evals.config.yaml": FAST_RETRY,
    });
    const res = await runCli(root, ["--reporter", "json", "--concurrency", "16", "--min-pass-rate", "0.5"]);
    const report = JSON.parse(readFileSync(join(root, "outputs", "report.json"), "utf8")) as RunReport;
    const { lines } = resultsOf(root);

    const planned = report.cases.map((c) => c.id).sort();
    expect(planned).toHaveLength(300);
    expect(lines.map((r) => r.caseId).sort()).toEqual(planned);
    expect(lines.every((r) => ["passed", "failed", "errored"].includes(r.state))).toBe(true);

    const retried = lines.filter((r) => (r.metrics?.retries ?? 0) > 0);
    expect(retried.length).toBeGreaterThan(30);
    for (const r of retried) expect(r.metrics?.attempts).toBe((r.metrics?.retries ?? 0) + 1);
    const faults = Object.values(sim.stats.faults).reduce((a, b) => a + (b ?? 0), 0);
    const retries = lines.reduce((n, r) => n + (r.metrics?.retries ?? 0), 0);
    const errored = lines.filter((r) => r.state === "errored").length;
    // Every injected fault was either retried or ended a case after its last attempt (the preflight probe, one
    // more request, may have drawn a fault too).
    expect(faults - (retries + errored)).toBeGreaterThanOrEqual(0);
    expect(faults - (retries + errored)).toBeLessThanOrEqual(1);

    expect(res.code).toBe(report.gate?.passed ? 0 : 1);
    expect(report.summaries.rate[0]).toMatchObject({
      model: "openai-compatible/flaky",
      requests: lines.reduce((n, r) => n + (r.metrics?.attempts ?? 0), 0),
    });
  });
});

describe("kill -9 and --resume", () => {
  const project = () =>
    createFixtureProject({
      "config/models_profiles.jsonl": [
        line({ model_id: "mock/a", mock: { quality: 0.8, ttft_ms: 250, tokens_per_s: 0 } }),
        line({ model_id: "mock/b", mock: { quality: 0.4, ttft_ms: 200, tokens_per_s: 0 } }),
      ].join("\n"),
      "config/judge_profiles.jsonl": [line({ model_id: "mock/j1" }), line({ model_id: "mock/j2" })].join(
        "\n",
      ),
      "evals/kill.eval.jsonl": scenarios(60),
    });

  it("a run killed at random points several times, then resumed, ends as a clean run does", async () => {
    // The clean run goes on (in process) while the killed one is started and killed (child processes).
    const clean = project();
    const cleanRun = runCli(clean, ["--reporter", "json", "--min-pass-rate", "0", "--concurrency", "4"]);

    const root = project();
    // Random kill points (printed, to reproduce a failure): after 1–20 more results of the 120 in each attempt,
    // counted in results.jsonl as the run writes it, so the kills land mid-run however busy the machine is.
    const points = Array.from({ length: 4 }, () => 1 + Math.floor(Math.random() * 20));
    console.log(`kill points (results written before each kill): ${points.join(", ")}`);
    let kills = 0;
    for (const [i, point] of points.entries()) {
      const before = linesSoFar(root);
      const child = startBuiltCli(root, [...(i ? ["--resume", "latest"] : []), "--concurrency", "4"]);
      if (await untilLines(root, before + point, child)) {
        if (child.child.exitCode === null && child.child.kill("SIGKILL")) kills++;
      }
      await child.exited;
    }
    expect((await cleanRun).code).toBe(0);
    const cleanReport = JSON.parse(readFileSync(join(clean, "outputs", "report.json"), "utf8")) as RunReport;
    const partial = resultsOf(root).lines.length;
    expect(kills).toBeGreaterThanOrEqual(2);
    expect(partial).toBeLessThan(120);

    const done = await runCli(root, [
      "--resume",
      "latest",
      "--reporter",
      "json",
      "--min-pass-rate",
      "0",
      "--concurrency",
      "4",
    ]);
    expect(done.code).toBe(0);
    expect(readdirSync(join(root, "outputs", "runs"))).toHaveLength(1);
    const { lines } = resultsOf(root);
    const report = JSON.parse(readFileSync(join(root, "outputs", "report.json"), "utf8")) as RunReport;
    expect(lines.map((r) => r.caseId).sort()).toEqual(report.cases.map((c) => c.id).sort());
    expect(new Set(lines.map((r) => r.caseId)).size).toBe(lines.length);
    expect(report.results).toHaveLength(120);

    // Same cases, same states and scores as the clean run (mock models are deterministic by case id).
    const view = (r: RunReport) =>
      r.results
        .map((x) => [x.caseId, x.state, x.jury?.dimensions.map((d) => d.score)])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    expect(view(report)).toEqual(view(cleanReport));
    const counts = (r: RunReport) => ({ ...r.summaries.overall, ttftMs: undefined, cost: undefined });
    expect(counts(report)).toEqual(counts(cleanReport));
  }, 120_000);

  it("drops a torn last line and runs that case again", async () => {
    const root = project();
    expect((await runCli(root, ["--min-pass-rate", "0", "-t", "L1 ›|L2 ›"])).code).toBe(0);
    const { runDir, lines } = resultsOf(root);
    expect(lines).toHaveLength(4);
    // Simulate a crash mid-write: cut the last line in half.
    const file = join(runDir, "results.jsonl");
    const text = readFileSync(file, "utf8");
    const { writeFileSync } = await import("node:fs");
    writeFileSync(file, text.slice(0, text.length - 40));
    const res = await runCli(root, ["--resume", "latest", "--min-pass-rate", "0", "-t", "L1 ›|L2 ›"]);
    expect(res.code).toBe(0);
    expect(res.stderr).toContain(
      "ended in a torn line (a crash mid-write); it was dropped and its case runs again",
    );
    const after = resultsOf(root).lines;
    expect(after).toHaveLength(4);
    expect(new Set(after.map((r) => r.caseId)).size).toBe(4);
  });

  it("refuses to resume when the plan changed", async () => {
    const root = project();
    expect((await runCli(root, ["--min-pass-rate", "0", "-t", "L1 ›"])).code).toBe(0);
    const res = await runCli(root, ["--resume", "latest", "--min-pass-rate", "0", "-t", "L2 ›"]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(
      /cannot resume \S+: today's plan differs from the run's \(2 case\(s\) added, 2 removed\)/,
    );
  });

  it("--retry-errors re-runs only the errored cases, in a new run", async () => {
    const root = createFixtureProject({
      "config/models_profiles.jsonl": line({
        model_id: "mock/flaky",
        mock: { ttft_ms: 0, tokens_per_s: 0, error_rate: 0.5 },
      }),
      "config/judge_profiles.jsonl": line({ model_id: "mock/j" }),
      "evals/e.eval.jsonl": scenarios(20),
    });
    const first = await runCli(root, ["--min-pass-rate", "0", "--max-attempts", "1"]);
    expect(first.code).toBe(0);
    const before = resultsOf(root).lines;
    const erroredIds = before.filter((r) => r.state === "errored").map((r) => r.caseId);
    expect(erroredIds.length).toBeGreaterThan(0);
    const runId = readdirSync(join(root, "outputs", "runs"))[0] as string;

    const second = await runCli(root, [
      "--retry-errors",
      runId,
      "--min-pass-rate",
      "0",
      "--max-attempts",
      "3",
      "--reporter",
      "json",
    ]);
    expect(second.code).toBe(0);
    const report = JSON.parse(readFileSync(join(root, "outputs", "report.json"), "utf8")) as RunReport;
    expect(report.runId).not.toBe(runId);
    const after = resultsOf(root, report.runId).lines;
    expect(after.map((r) => r.caseId).sort()).toEqual(before.map((r) => r.caseId).sort());
    // Cases that had not errored are carried over untouched; errored ones ran again (and mostly succeed).
    const kept = after.filter((r) => !erroredIds.includes(r.caseId));
    expect(kept).toEqual(before.filter((r) => !erroredIds.includes(r.caseId)));
    const rerun = after.filter((r) => erroredIds.includes(r.caseId));
    expect(rerun.every((r) => (r.metrics?.attempts ?? 0) >= 1)).toBe(true);
    expect(rerun.filter((r) => r.state !== "errored").length).toBeGreaterThan(0);
  });
});

describe("Ctrl-C", () => {
  const project = () =>
    createFixtureProject({
      "config/models_profiles.jsonl": line({
        model_id: "mock/slow",
        mock: { quality: 1, ttft_ms: 150, tokens_per_s: 0 },
      }),
      "config/judge_profiles.jsonl": line({ model_id: "mock/j" }),
      "evals/slow.eval.jsonl": scenarios(60),
    });
  /** Runs the built CLI and sends `signals` SIGINTs at once as soon as the first result is on disk. */
  const run = async (root: string, signals: number) => {
    const cli = startBuiltCli(root, ["--reporter", "json", "--concurrency", "2"]);
    expect(await untilLines(root, 1, cli)).toBe(true);
    for (let i = 0; i < signals; i++) cli.child.kill("SIGINT");
    return { code: await cli.exited, stderr: cli.stderr };
  };

  it("the first stops the run, keeps what finished, still writes the reports, exits 130", async () => {
    const root = project();
    const { code, stderr } = await run(root, 1);
    expect(code).toBe(130);
    expect(stderr).toContain("Interrupted: finishing up");
    const { lines, runDir } = resultsOf(root);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.length).toBeLessThan(60);
    const report = JSON.parse(readFileSync(join(root, "outputs", "report.json"), "utf8")) as RunReport;
    expect(report.status).toBe("interrupted");
    expect(report.results.map((r) => r.caseId).sort()).toEqual(lines.map((r) => r.caseId).sort());
    expect(JSON.parse(readFileSync(join(runDir, "run.json"), "utf8")).status).toBe("interrupted");
  });

  it("a second exits at once, leaving results.jsonl whole", async () => {
    const root = project();
    const { code } = await run(root, 2);
    expect(code).toBe(130);
    const { runDir } = resultsOf(root);
    const text = readFileSync(join(runDir, "results.jsonl"), "utf8");
    expect(text === "" || text.endsWith("\n")).toBe(true);
    for (const l of text.split("\n").filter(Boolean)) expect(() => JSON.parse(l)).not.toThrow();
  });
});

describe("secrets", () => {
  it("canary keys never appear in any output file or the console, even when a server echoes them", async () => {
    const sim = await startSimulator({ ttftMs: 0, tokensPerS: 0 });
    const canary = {
      OPENAI_API_KEY: "sk-canary-openai-7f3a9c2b1d",
      GEMINI_API_KEY: "canary-gemini-5e8d7c6b4a",
      AWS_ACCESS_KEY_ID: "AKIACANARY0000000001",
      AWS_SECRET_ACCESS_KEY: "canary-aws-secret-9b8a7c6d5e4f",
    };
    try {
      const root = createFixtureProject({
        "config/models_profiles.jsonl": [
          line({ model_id: "openai/gpt-echo-headers", base_url: `${sim.url}/v1` }),
          line({ model_id: "openai/gpt-4o-mini", base_url: `${sim.url}/v1` }),
          line({ model_id: "bedrock/echo-headers-model", region: "us-east-1", base_url: sim.url }),
          line({ model_id: "gemini/gemini-echo-headers", base_url: sim.url }),
        ].join("\n"),
        "config/judge_profiles.jsonl": [
          line({ model_id: "gemini/gemini-2.0-flash", base_url: sim.url }),
          line({ model_id: "mock/j" }),
        ].join("\n"),
        "evals/s.eval.jsonl": scenarios(3),
      });
      const res = await runCli(
        root,
        [
          "--reporter",
          "default",
          "--reporter",
          "json",
          "--reporter",
          "junit",
          "--min-pass-rate",
          "0",
          "--no-preflight",
        ],
        canary,
      );
      expect(res.code).toBe(0);
      const report = JSON.parse(readFileSync(join(root, "outputs", "report.json"), "utf8")) as RunReport;
      // The echoing calls failed and their (scrubbed) messages were recorded.
      const echoed = report.results.filter((r) => r.error?.message.includes("you sent headers"));
      expect(echoed.length).toBeGreaterThanOrEqual(6);
      expect(echoed.some((r) => r.error?.message.includes("[redacted]"))).toBe(true);

      const files = walk(join(root, "outputs"));
      expect(files.length).toBeGreaterThanOrEqual(5);
      for (const text of [...files.map((f) => readFileSync(f, "utf8")), res.stdout, res.stderr]) {
        for (const secret of Object.values(canary)) expect(text).not.toContain(secret);
      }
    } finally {
      await sim.close();
    }
  });
});

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}
