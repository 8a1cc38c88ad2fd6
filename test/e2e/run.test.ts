import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { CaseResult, RunReportWithResults as RunReport } from "../../src/types.ts";
import { createFixtureProject } from "../support/fixture-project.ts";
import { runCli } from "../support/run-cli.ts";

const MODELS = [
  '{"model_id": "mock/perfect", "input_token_cost": 0.001, "output_token_cost": 0.002, "mock": {"quality": 1, "ttft_ms": 5, "tokens_per_s": 0}}',
  '{"model_id": "mock/broken", "input_token_cost": 0.001, "output_token_cost": 0.002, "mock": {"quality": 0, "ttft_ms": 5, "tokens_per_s": 0}}',
].join("\n");
const JUDGES = ["a", "b", "c"]
  .map((j) => `{"model_id": "mock/judge-${j}", "input_cost_per_1k": 0.003, "output_cost_per_1k": 0.015}`)
  .join("\n");

const scenario = (prompt: string, golden: string, taskType = "Q&A") =>
  JSON.stringify({
    text_prompt: prompt,
    expected_output_tokens: 50,
    task: { task_type: taskType, task_criteria: "Answer correctly." },
    golden_answer: golden,
  });

const EVAL = [
  scenario(
    "What is edge computing?",
    "Edge computing processes data near where it is created instead of in distant data centers.",
  ),
  scenario("Name the capital of Uruguay.", "Montevideo is the capital and largest city of Uruguay."),
  scenario("Summarise the rule.", "Returns are accepted within thirty days with a receipt.", "Summarization"),
].join("\n");

function project(extra: Record<string, string> = {}) {
  return createFixtureProject({
    "config/models_profiles.jsonl": MODELS,
    "config/judge_profiles.jsonl": JUDGES,
    "evals/quality.eval.jsonl": EVAL,
    ...extra,
  });
}

function readResults(root: string): CaseResult[] {
  const runs = join(root, "outputs", "runs");
  const [runId] = readdirSync(runs);
  return readFileSync(join(runs, runId as string, "results.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as CaseResult);
}

describe("evals (CLI, real Piscina workers)", () => {
  it("passes every quality-1 case and fails every quality-0 case, printing the jury's scores; exit 1", async () => {
    const root = project();
    const res = await runCli(root, ["--reporter", "default", "--reporter", "json"]);
    expect(res.stderr).toBe("");
    expect(res.code).toBe(1);

    const report = JSON.parse(readFileSync(join(root, "outputs", "report.json"), "utf8")) as RunReport;
    expect(report.results).toHaveLength(6);
    const byId = new Map(report.cases.map((c) => [c.id, c]));
    for (const r of report.results) {
      const model = byId.get(r.caseId)?.model;
      expect(r.state).toBe(model === "mock/perfect" ? "passed" : "failed");
      expect(r.jury?.verdicts).toHaveLength(3);
    }
    const failed = report.results.find((r) => r.state === "failed");
    expect(failed?.reasons.map((x) => (x.kind === "dimension" ? `${x.name} ${x.score}` : x.kind))).toEqual([
      "Correctness 1",
      "Completeness 1",
      "Relevance 1",
      "Format 1",
      "Coherence 1",
      "Following instructions 1",
    ]);
    expect(report.gate).toMatchObject({ passed: false, passRate: 0.5, minPassRate: 1 });
    expect(report.simulated).toBe(true);

    // The console names the failing dimensions with each judge's score.
    expect(res.stdout).toContain("mock/judge-a 1");
    expect(res.stdout).toMatch(/Correctness 1(\.00)? < 3/);
    expect(res.stdout).toMatch(/3 passed \| 3 failed/);

    // Results were written as they completed: one line per case, the same as the report.
    expect(
      readResults(root)
        .map((r) => r.caseId)
        .sort(),
    ).toEqual(report.results.map((r) => r.caseId).sort());
    // run.json and report.json carry every result in full, outputs included, copied from results.jsonl.
    const runs = join(root, "outputs", "runs");
    const runJson = JSON.parse(
      readFileSync(join(runs, readdirSync(runs)[0] as string, "run.json"), "utf8"),
    ) as RunReport & { pid: number };
    expect(runJson.results).toEqual(readResults(root));
    expect(report.results).toEqual(runJson.results);
    expect(runJson.cases).toEqual(report.cases);
    expect(runJson.status).toBe("completed");
    expect(report.results.every((r) => typeof r.output === "string" && r.output.length > 0)).toBe(true);
  });

  it("exits 0 with --min-pass-rate 0.5", async () => {
    const res = await runCli(project(), ["--min-pass-rate", "0.5"]);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/3 passed \| 3 failed/);
  });

  it("writes JUnit that validates against the schema, whatever the model wrote", async () => {
    const nasty = 'Use <b>bold</b> & "quotes" ]]> then \u0001\u001b[31m and </testcase></testsuite> ok';
    const root = project({ "evals/quality.eval.jsonl": scenario("Echo this.", nasty) });
    const res = await runCli(root, ["--reporter", "junit", "--outputFile.junit=reports/junit.xml"]);
    expect(res.code).toBe(1);
    const xmlFile = join(root, "reports", "junit.xml");
    const xsd = join(import.meta.dirname, "..", "..", "fixtures", "junit.xsd");
    expect(() =>
      execFileSync("xmllint", ["--noout", "--schema", xsd, xmlFile], { stdio: "pipe" }),
    ).not.toThrow();
    const xml = readFileSync(xmlFile, "utf8");
    expect(xml.match(/<testcase /g)).toHaveLength(2);
    expect(xml).toContain("<failure");
    expect(xml).toContain("mock/judge-b");
    // The gate's verdict rides along as suite properties.
    expect(xml).toContain('<property name="gate" value="failed"/>');
    expect(xml).toMatch(/<property name="gate\.min pass rate" value="failed: 1 of 2 cases did not pass/);
  });

  it("runs a .eval.ts with a custom task and checks, collected in a worker", async () => {
    const root = project({
      "evals/quality.eval.jsonl": scenario(
        "Name the capital of Uruguay.",
        "Montevideo is the capital of Uruguay.",
      ),
      "evals/code.eval.ts": `
import { checks, defineEval } from "jury";
defineEval("custom task", {
  models: ["mock/perfect"],
  scenarios: [{ id: "capital", prompt: "Capital of Uruguay?", golden: "Montevideo" }],
  task: async ({ scenario, generate }) => (await generate({ prompt: scenario.prompt })).toUpperCase(),
  checks: [checks.contains("MONTEVIDEO", { caseSensitive: true }), checks.contains("Paris")],
});
defineEval.skip("skipped eval", { scenarios: [{ prompt: "never" }] });
`,
    });
    const res = await runCli(root, ["code.eval", "--reporter", "json"]);
    const report = JSON.parse(readFileSync(join(root, "outputs", "report.json"), "utf8")) as RunReport;
    expect(report.cases.map((c) => `${c.evalName} › ${c.scenarioKey} › ${c.model}`).sort()).toEqual([
      "custom task › capital › mock/perfect",
      "skipped eval › #1 › mock/broken",
      "skipped eval › #1 › mock/perfect",
    ]);
    const custom = report.results.find((r) => r.state !== "skipped");
    expect(custom?.output).toBe("MONTEVIDEO");
    expect(custom?.checks).toEqual([
      { name: 'contains("MONTEVIDEO")', passed: true },
      { name: 'contains("Paris")', passed: false, message: 'output does not contain "Paris"' },
    ]);
    expect(custom?.state).toBe("failed");
    expect(report.results.filter((r) => r.state === "skipped")).toHaveLength(2);
    expect(res.code).toBe(1);
  });

  it("turns a throwing task and a dying worker into errored cases; the run completes", async () => {
    const root = project({
      "evals/quality.eval.jsonl": scenario(
        "Name the capital of Uruguay.",
        "Montevideo is the capital of Uruguay.",
      ),
      "evals/crash.eval.ts": `
import { defineEval } from "jury";
defineEval("crashes", {
  models: ["mock/perfect"],
  scenarios: [{ id: "throws", prompt: "a" }, { id: "exits", prompt: "b" }],
  task: async ({ scenario }) => {
    if (scenario.key === "throws") throw new Error("task blew up");
    process.exit(3);
  },
});
`,
    });
    const res = await runCli(root, [
      "crash.eval",
      "--reporter",
      "json",
      "--concurrency",
      "1",
      "--workers",
      "1",
    ]);
    expect(res.code).toBe(1);
    const report = JSON.parse(readFileSync(join(root, "outputs", "report.json"), "utf8")) as RunReport;
    expect(report.status).toBe("completed");
    const errors = report.results.map((r) => [
      r.state,
      r.error?.classification,
      r.error?.message.split(":")[0],
    ]);
    expect(errors).toEqual([
      ["errored", "processing_exception", "task blew up"],
      ["errored", "processing_exception", "the worker running this case died"],
    ]);
    const unprocessed = readFileSync(join(root, "outputs", "runs", report.runId, "unprocessed.jsonl"), "utf8")
      .trim()
      .split("\n");
    expect(unprocessed).toHaveLength(2);
    expect(JSON.parse(unprocessed[0] as string)).toMatchObject({
      classification: "processing_exception",
      reason: "task blew up",
    });
  });

  it("rejects a malformed eval file with file:line and the field, exit 2, no stack trace", async () => {
    const root = project({
      "evals/bad.eval.jsonl": [
        "{not json",
        JSON.stringify({ text_prompt: "x", task: { task_criteria: "c" } }),
        JSON.stringify({
          text_prompt: "x",
          expected_output_tokens: "abc",
          task: { task_type: "T", task_criteria: "c" },
        }),
      ].join("\n"),
    });
    const res = await runCli(root, []);
    expect(res.code).toBe(2);
    expect(res.stdout).toBe("");
    expect(res.stderr).toContain("evals/bad.eval.jsonl:1: invalid JSON");
    expect(res.stderr).toContain("evals/bad.eval.jsonl:2: task.task_type: required");
    expect(res.stderr).toContain("evals/bad.eval.jsonl:3: expected_output_tokens:");
    expect(res.stderr).not.toMatch(/\n\s+at /);
    expect(readdirSafe(join(root, "outputs"))).toEqual([]);
  });

  it("exits 2 on a bad flag value and on an unknown flag", async () => {
    const root = project();
    const bad = await runCli(root, ["--min-pass-rate", "1.5"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--min-pass-rate");
    const unknown = await runCli(root, ["--frobnicate"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("frobnicate");
  });

  it("exits 1 when no eval matches, 0 with --pass-with-no-evals", async () => {
    const root = project();
    expect((await runCli(root, ["nothing-matches"])).code).toBe(1);
    expect((await runCli(root, ["nothing-matches", "--pass-with-no-evals"])).code).toBe(0);
  });
});

describe("evals list", () => {
  it("plans the seed's 58 scenarios × 2 models × 3 invocations = 348 cases, with a cost estimate", async () => {
    const seed = readFileSync(
      join(
        import.meta.dirname,
        "..",
        "..",
        "fixtures",
        "evals",
        "seed",
        "sample-benchmark-prompts-newformat-v2.jsonl",
      ),
      "utf8",
    );
    const root = project({ "evals/quality.eval.jsonl": "", "evals/seed.eval.jsonl": seed });
    const res = await runCli(root, ["list", "seed.eval", "--invocations", "3", "--json"]);
    expect(res.code).toBe(0);
    const plan = JSON.parse(res.stdout) as { total: number; estimatedCost: { total: number } };
    expect(plan.total).toBe(348);
    expect(plan.estimatedCost.total).toBeGreaterThan(0);
    const text = await runCli(root, ["list", "seed.eval", "--invocations", "3"]);
    expect(text.stdout).toMatch(/348 cases planned\. Estimated cost \$\d+\.\d{4}/);
  });
});

function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
