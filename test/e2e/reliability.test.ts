// Nothing lost, nothing leaked: faults, resume, canary secrets — through the real CLI and SDKs. Kills and
// Ctrl-C, where the process is the subject: signals.test.ts.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Simulator, startSimulator } from "../../src/simulator/server.ts";
import type { RunReportWithResults as RunReport } from "../../src/types.ts";
import { createFixtureProject } from "../support/fixture-project.ts";
import { runCli } from "../support/run-cli.ts";
import { resultsOf, resumableProject, scenarios } from "../support/run-results.ts";

const line = (o: object) => JSON.stringify(o);
const FAST_RETRY = "run:\n  retry:\n    baseMs: 5\n    capMs: 40\n    maxAttempts: 6\n";

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

describe("--resume and --retry-errors", () => {
  it("drops a torn last line and runs that case again", async () => {
    const root = resumableProject();
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
    const root = resumableProject();
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
