// What 360-eval users rely on beyond the core run: prompt optimization (Bedrock OptimizePrompt through the real
// Agent Runtime SDK against the simulator), latency-only runs, pacing, and the seed's command line as it is.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Simulator, startSimulator } from "../../src/simulator/server.ts";
import type { PromptOptimizationLog, RunReportWithResults as RunReport } from "../../src/types.ts";
import { createFixtureProject } from "../support/fixture-project.ts";
import { runCli } from "../support/run-cli.ts";
import { SEED_ADVANCED_USAGE } from "../support/seed-command.ts";

let sim: Simulator;
const AWS = {
  AWS_ACCESS_KEY_ID: "AKIASIMULATED0000000",
  AWS_SECRET_ACCESS_KEY: "simulated-secret-key-0000000000",
};
beforeAll(async () => {
  sim = await startSimulator({ ttftMs: 5, tokensPerS: 0, seed: "seed-parity" });
});
afterAll(() => sim.close());

const line = (o: object) => JSON.stringify(o);
const scenario = (prompt: string) =>
  line({
    text_prompt: prompt,
    task: { task_type: "Summarization", task_criteria: "Be brief." },
    golden_answer: "A short answer.",
  });
const MOCK_JUDGES = [line({ model_id: "mock/judge-a" }), line({ model_id: "mock/judge-b" })].join("\n");
const onlyRun = (root: string, outputDir = "outputs") => {
  const runs = readdirSync(join(root, outputDir, "runs"));
  expect(runs).toHaveLength(1);
  return join(root, outputDir, "runs", runs[0] as string);
};
const readJson = <T>(file: string) => JSON.parse(readFileSync(file, "utf8")) as T;

describe("prompt optimization (evaluate_both)", () => {
  it("doubles the Bedrock cases, calls OptimizePrompt once per distinct (prompt, target), logs it and compares the variants", async () => {
    const bedrock = (model: string, extra: object = {}) =>
      line({ model_id: `bedrock/${model}`, region: "us-east-1", base_url: sim.url, ...extra });
    const root = createFixtureProject({
      "config/models_profiles.jsonl": [
        bedrock("us.amazon.nova-pro-v1:0"),
        bedrock("us.amazon.nova-pro-v1:0", { service_tier: "priority" }),
        bedrock("cohere.command-r-v1:0"),
        line({ model_id: "mock/plain", mock: { quality: 0.9 } }),
      ].join("\n"),
      "config/judge_profiles.jsonl": MOCK_JUDGES,
      "evals/opt.eval.jsonl": [scenario("Summarize the report."), scenario("List three risks.")].join("\n"),
    });
    const before = sim.stats.requests["bedrock.optimize-prompt"] ?? 0;
    const r = await runCli(
      root,
      [
        "--prompt-optimization",
        "evaluate_both",
        "--invocations",
        "2",
        "--temperature-variations",
        "1",
        "--min-pass-rate",
        "0",
        "--reporter",
        "json",
        "--reporter",
        "junit",
        "--reporter",
        "html",
      ],
      AWS,
    );
    expect(r.stderr).not.toMatch(/Error|at .*\.ts/);
    expect(r.code).toBe(0);
    // 2 prompts × 1 target (nova-pro, both tiers): 2 calls, not one per tier, temperature or invocation.
    expect((sim.stats.requests["bedrock.optimize-prompt"] ?? 0) - before).toBe(2);
    expect(r.stdout).toContain("Prompt optimization (evaluate_both): 4 optimized, 2 skipped, 0 failed");

    const runDir = onlyRun(root);
    const log = readJson<PromptOptimizationLog>(join(runDir, "prompt-optimization.json"));
    expect(log.calls).toBe(2);
    const nova = log.entries.filter((e) => e.model === "bedrock/us.amazon.nova-pro-v1:0@us-east-1");
    expect(nova).toHaveLength(2);
    expect(nova[0]).toMatchObject({
      status: "optimized",
      target: "amazon.nova-pro-v1:0",
      promptExcerpt: "Summarize the report.",
      optimizedExcerpt: expect.stringContaining("## Task\nSummarize the report."),
      analysis: expect.stringContaining("(simulated)"),
      cases: 6, // 3 temperatures × 2 invocations
    });
    expect(log.entries.find((e) => e.model.includes("cohere"))).toMatchObject({
      status: "skipped",
      reason: expect.stringContaining("OptimizePrompt supports no model of the family"),
    });

    const report = readJson<RunReport>(join(root, "outputs", "report.json"));
    // Bedrock models (3 profiles) run both variants, the mock model one: 2 scenarios × 3 temps × 2 invocations.
    const perModel = 2 * 3 * 2;
    expect(report.cases).toHaveLength(perModel * (3 * 2 + 1));
    const labels = report.summaries.byModel.map((g) => g.key);
    expect(labels).toContain("bedrock/us.amazon.nova-pro-v1:0@us-east-1_Prompt_Optimized");
    expect(labels).toContain("mock/plain");
    expect(labels).not.toContain("mock/plain_Prompt_Optimized");
    const v = report.summaries.variants?.find((x) => x.model === "bedrock/us.amazon.nova-pro-v1:0@us-east-1");
    expect(v).toMatchObject({
      paired: perModel,
      original: { total: perModel },
      optimized: { total: perModel },
    });
    expect(v?.passRateDiffCi).toHaveLength(2);
    expect(report.promptOptimization?.calls).toBe(2);

    const junit = readFileSync(join(root, "outputs", "junit.xml"), "utf8");
    expect(junit).toContain("nova-pro-v1:0@us-east-1_Prompt_Optimized [t=");
    const html = readFileSync(join(root, "outputs", "report.html"), "utf8");
    expect(html).toContain("Original vs optimized prompt");
    expect(html).toContain("_Prompt_Optimized");
  }, 60_000);

  it("a failed optimization falls back to the original prompt and says why", async () => {
    const root = createFixtureProject({
      "config/models_profiles.jsonl": line({
        model_id: "bedrock/us.amazon.nova-lite-v1:0",
        region: "us-east-1",
        base_url: "http://127.0.0.1:9", // nothing listens: OptimizePrompt fails, and so does the model
      }),
      "config/judge_profiles.jsonl": MOCK_JUDGES,
      "evals/opt.eval.jsonl": scenario("Summarize."),
    });
    const r = await runCli(
      root,
      [
        "--prompt-optimization",
        "optimize_only",
        "--no-preflight",
        "--max-attempts",
        "1",
        "--min-pass-rate",
        "0",
      ],
      AWS,
    );
    expect(r.stdout).toContain("0 optimized, 0 skipped, 1 failed");
    const log = readJson<PromptOptimizationLog>(join(onlyRun(root), "prompt-optimization.json"));
    expect(log.entries[0]).toMatchObject({
      status: "error",
      reason: expect.stringContaining("(the original prompt is used)"),
    });
  }, 60_000);
});

describe("latency-only runs", () => {
  it("run without a jury (no judge file needed) and pass unless a case errors", async () => {
    const root = createFixtureProject({
      "config/models_profiles.jsonl": line({ model_id: "mock/fast", mock: { quality: 0.1, ttft_ms: 5 } }),
      "evals/lat.eval.jsonl": [scenario("One."), scenario("Two.")].join("\n"),
    });
    const r = await runCli(root, ["--latency-only", "--reporter", "json", "--reporter", "html"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const report = readJson<RunReport>(join(root, "outputs", "report.json"));
    expect(report.summaries.overall).toMatchObject({ passed: 2, failed: 0 });
    expect(report.results.every((x) => (x.jury?.verdicts ?? []).length === 0)).toBe(true);
    expect(report.results.every((x) => (x.metrics?.ttftMs ?? 0) > 0)).toBe(true);
    expect(report.config.run.latencyOnly).toBe(true);
    expect(existsSync(join(root, "outputs", "report.html"))).toBe(true);
  }, 60_000);
});

describe("the seed's command line", () => {
  it("runs its README's Advanced usage unchanged against mock profiles, input file looked up in runs/", async () => {
    const seedScenarios = readFileSync(
      join(import.meta.dirname, "..", "..", "evals", "summarization.eval.jsonl"),
      "utf8",
    )
      .split("\n")
      .filter((l) => l.trim() && !l.includes('"$eval"'))
      .slice(0, 2)
      .join("\n");
    const root = createFixtureProject({
      "config/models_profiles.jsonl": [
        line({ model_id: "mock/model-a", mock: { quality: 1, ttft_ms: 1 } }),
        line({ model_id: "mock/model-b", mock: { quality: 1, ttft_ms: 1 } }),
      ].join("\n"),
      "config/judge_profiles.jsonl": MOCK_JUDGES,
      "runs/input_file.jsonl": seedScenarios,
    });
    const args = [...SEED_ADVANCED_USAGE];
    const r = await runCli(root, args);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("note: 360-eval flag --parallel_calls → --concurrency 4");
    expect(r.stderr).toContain(
      "note: 360-eval flag --sleep_between_invocations → --invocation-sleep-ms 3000",
    );
    expect(r.stderr.split("\n").filter((l) => l.startsWith("note: 360-eval flag"))).toHaveLength(15);
    const runDir = onlyRun(root, "benchmark_results");
    const report = readJson<RunReport>(join(runDir, "run.json"));
    expect(report.name).toBe("My-Benchmark");
    expect(report.cases.every((c) => c.file === "runs/input_file.jsonl")).toBe(true);
    // Temperatures: base 0.7, ±25% and ±50% kept in (0, 1]: 1.05 is dropped.
    const temps = [...new Set(report.cases.map((c) => c.temperature))].sort();
    expect(temps).toEqual([0.35, 0.525, 0.7, 0.875]);
    expect(report.cases).toHaveLength(2 * 2 * 4 * 2 * 2); // scenarios × models × temps × invocations × experiments
    expect(report.config.run).toMatchObject({ concurrency: 4, invocationSleepMs: 3000, vision: false });
    expect(report.config.jury.metrics).toEqual(["business writing style", "brand adherence"]);
    expect(readdirSync(join(root, "benchmark_results"))).toContain("report.html");
    // The user metrics were judged.
    const dims = report.results[0]?.jury?.dimensions.map((d) => d.name) ?? [];
    expect(dims).toEqual(expect.arrayContaining(["business writing style", "brand adherence"]));
  }, 90_000);

  it("runs that command line plus --latency_only_mode true on the seed's sample files as they are, from runs/", async () => {
    const samples = join(
      import.meta.dirname,
      "..",
      "..",
      "fixtures",
      "360-eval-samples",
      "amazon-bedrock-samples",
    );
    const sample = (path: string) => readFileSync(join(samples, path), "utf8");
    // The sample profiles name real Bedrock models: each line gets the simulator as its endpoint, nothing else.
    const models = sample("migrations/360-eval/default-config/models_profiles.jsonl")
      .split("\n")
      .filter((l) => l.trim())
      .map((l) => line({ ...JSON.parse(l), base_url: sim.url }));
    const root = createFixtureProject({
      "runs/input_file.jsonl": sample(
        "poc-to-prod/360-eval/prompt-evaluations/sample-benchmark-prompts-newformat-v2.jsonl",
      )
        .split("\n")
        .slice(0, 1)
        .join("\n"),
      "runs/models_profiles.jsonl": models.join("\n"),
      "runs/judge_profiles.jsonl": sample("migrations/360-eval/default-config/judge_profiles.jsonl"),
    });
    const r = await runCli(root, [...SEED_ADVANCED_USAGE, "--latency_only_mode", "true"], AWS);
    expect(r.stderr).not.toMatch(/Unknown option|error|at .*\.ts/i);
    expect(r.code).toBe(0);
    const seedNotes = r.stderr.split("\n").filter((l) => l.startsWith("note: 360-eval"));
    expect(seedNotes).toContain("note: 360-eval flag --latency_only_mode true → --latency-only");
    expect(seedNotes).toContain(
      "note: 360-eval flag --model_file_name → --models runs/models_profiles.jsonl (in runs/, where 360-eval looks)",
    );
    // Every seed flag is given: none of its defaults is filled in.
    expect(seedNotes.filter((l) => l.includes("defaults"))).toEqual([]);
    const report = readJson<RunReport>(join(onlyRun(root, "benchmark_results"), "run.json"));
    expect(report.name).toBe("My-Benchmark");
    expect(report.config.run).toMatchObject({ latencyOnly: true, invocationSleepMs: 3000, vision: false });
    expect(report.config.models).toHaveLength(models.length);
    // scenarios × models × temperatures (0.35, 0.525, 0.7, 0.875) × invocations × experiments, none judged.
    expect(report.cases).toHaveLength(1 * models.length * 4 * 2 * 2);
    expect(report.results.every((x) => x.state === "passed" && (x.jury?.verdicts ?? []).length === 0)).toBe(
      true,
    );
    expect(report.results.every((x) => (x.metrics?.ttftMs ?? 0) > 0)).toBe(true);
    expect(readdirSync(join(root, "benchmark_results"))).toContain("report.html");
  }, 120_000);
});
