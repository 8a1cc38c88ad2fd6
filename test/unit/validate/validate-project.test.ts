import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { stripVTControlCharacters } from "node:util";
import { describe, expect, it } from "vitest";
import { formatValidationReport as formatWithColors } from "../../../src/cli/commands/validate.ts";
import { writeCapabilityCache } from "../../../src/probe/capability-cache.ts";
import { validateProject } from "../../../src/validate/validate-project.ts";
import { tempDir } from "../../support/temp-dir.ts";

function project(files: Record<string, string>): string {
  const root = tempDir("jury-validate-");
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

/** As printed with colours off (picocolors turns them on under CI). */
const formatValidationReport = (r: Parameters<typeof formatWithColors>[0]) =>
  stripVTControlCharacters(formatWithColors(r));
const jsonl = (...rows: object[]) => `${rows.map((r) => JSON.stringify(r)).join("\n")}\n`;
const MODELS = jsonl(
  { model_id: "mock/a", mock: { quality: 1 } },
  {
    model_id: "bedrock/us.amazon.nova-pro-v1:0",
    region: "us-west-2",
    input_token_cost: 0.0008,
    output_token_cost: 0.0032,
    service_tier: "flex",
  },
);
const JUDGES = jsonl({ model_id: "mock/judge" });
const SCENARIO = {
  text_prompt: "Hi",
  task: { task_type: "QA", task_criteria: "Correct" },
  golden_answer: "Hello",
};

describe("validateProject on the whole project", () => {
  it("finds nothing wrong in a valid project", async () => {
    const root = project({
      "config/models_profiles.jsonl": MODELS,
      "config/judge_profiles.jsonl": JUDGES,
      "evals/a.eval.jsonl": jsonl(SCENARIO),
    });
    const report = await validateProject({ root });
    expect(report).toEqual({
      files: ["config/models_profiles.jsonl", "config/judge_profiles.jsonl", "evals/a.eval.jsonl"],
      problems: [],
      errors: 0,
      warnings: 0,
    });
    expect(formatValidationReport(report)).toBe("✓ 3 files valid\n");
  });

  it("reports every problem of profiles and eval files at once, with severities", async () => {
    const root = project({
      "config/models_profiles.jsonl": jsonl(
        { model_id: "bedrock/x", region: "NA", target_rpm: 0, input_token_cost: 1, output_token_cost: 1 },
        { model_id: "mock/m", mock: { quality: 2 } },
      ),
      "config/judge_profiles.jsonl": JUDGES,
      "evals/a.eval.jsonl": jsonl(SCENARIO, { text_prompt: "x", task: {} }),
    });
    const report = await validateProject({ root });
    expect(formatValidationReport(report)).toBe(
      [
        'error: config/models_profiles.jsonl:1: region: not an AWS region name such as "us-west-2", "eu-central-1" or "us-gov-west-1" (got "NA")',
        'warning: config/models_profiles.jsonl:1: input_token_cost: unusually high: $1 per 1,000 tokens ($1000 per million); check the unit (input_token_cost is read as USD per 1,000 tokens: the seed\'s unit, no newer 360-eval field in the file); if it is a per-million price, set "price_unit": "per_million" (or "priceUnit" in the config)',
        'warning: config/models_profiles.jsonl:1: output_token_cost: unusually high: $1 per 1,000 tokens ($1000 per million); check the unit (output_token_cost is read as USD per 1,000 tokens: the seed\'s unit, no newer 360-eval field in the file); if it is a per-million price, set "price_unit": "per_million" (or "priceUnit" in the config)',
        "error: config/models_profiles.jsonl:1: target_rpm: must be a number above 0, or null for no rate limit (got 0)",
        "error: config/models_profiles.jsonl:2: mock.quality: must be a number from 0 to 1 (got 2)",
        'error: evals/a.eval.jsonl:2: task.task_type: required: the kind of task, e.g. "Summarization" or "Text-to-SQL"',
        "",
        "✗ 4 errors, 2 warnings in 3 files",
        "",
      ].join("\n"),
    );
    expect(report.errors).toBe(4);
  });

  it("checks the plan once everything loads: an eval naming a model no profile has", async () => {
    const root = project({
      "config/models_profiles.jsonl": MODELS,
      "config/judge_profiles.jsonl": JUDGES,
      "evals/a.eval.jsonl": jsonl({ $eval: { models: ["mock/nope"] } }, SCENARIO),
    });
    const report = await validateProject({ root });
    expect(report.errors).toBe(1);
    expect(report.problems[0]).toMatchObject({ file: "evals/a.eval.jsonl", severity: "error" });
    expect(report.problems[0]?.message).toContain("mock/nope");
  });

  it("reports a missing profile file through the config resolver", async () => {
    const root = project({ "config/judge_profiles.jsonl": JUDGES });
    const report = await validateProject({ root });
    expect(report.problems.map((p) => [p.file, p.severity])).toEqual([
      ["config/models_profiles.jsonl", "error"],
    ]);
  });

  it("warns about a service tier the capability cache found unavailable", async () => {
    const root = project({
      "config/models_profiles.jsonl": MODELS,
      "config/judge_profiles.jsonl": JUDGES,
    });
    writeCapabilityCache(root, {
      profilesHash: "x",
      probedAt: "2026-01-01T00:00:00.000Z",
      entries: {
        "bedrock/us.amazon.nova-pro-v1:0@us-west-2": {
          tiers: {
            default: { available: true, latencyMs: 10 },
            flex: { available: false, reason: "not offered", latencyMs: 5 },
          },
        },
      },
    });
    const report = await validateProject({ root });
    expect(report.problems).toEqual([
      {
        file: "config/models_profiles.jsonl",
        line: 2,
        path: "service_tier",
        message:
          '"flex" is not available for bedrock/us.amazon.nova-pro-v1:0 in us-west-2 (evals probe, 2026-01-01T00:00:00.000Z: not offered); calls will fail — run evals probe --force to re-check',
        severity: "warning",
      },
    ]);
    expect(report.errors).toBe(0);
  });
});

describe("validateProject on given paths", () => {
  it("tells files apart by name, then by content", async () => {
    const root = project({
      "a/my_profiles.jsonl": jsonl({
        model_id: "openai/gpt-4o",
        input_token_cost: 0.001,
        output_token_cost: 0.002,
      }),
      "a/models.yaml":
        "- model_id: bedrock/x\n  region: us-gov-west-1\n  input_token_cost: 0.001\n  output_token_cost: 0.001\n",
      "a/prompts.jsonl": jsonl(SCENARIO),
      "a/similarity_profiles.jsonl": jsonl({ method: "jaccard" }),
      "a/notes.txt": "hello",
    });
    const report = await validateProject({
      root,
      paths: [
        "a/my_profiles.jsonl",
        "a/models.yaml",
        "a/prompts.jsonl",
        "a/similarity_profiles.jsonl",
        "a/notes.txt",
        "a/gone.jsonl",
      ],
    });
    expect(formatValidationReport(report)).toBe(
      [
        "warning: a/prompts.jsonl: scenarios in a file the runner does not pick up: rename it to prompts.eval.jsonl",
        "warning: a/similarity_profiles.jsonl: not a model or judge profile file (no line has a model_id); skipped",
        "error: a/notes.txt: not a file validate knows: expected *profiles*.jsonl|yaml (model or judge profiles), *.eval.jsonl, *.eval.ts or evals.config.*",
        "error: a/gone.jsonl: not found",
        "",
        "✗ 2 errors, 2 warnings in 6 files",
        "",
      ].join("\n"),
    );
  });

  it("walks a directory for profiles and eval files", async () => {
    const root = project({
      "d/x/judge_profiles.jsonl": jsonl({ model_id: "bedrock/j" }),
      "d/y/b.eval.jsonl": jsonl(SCENARIO),
      "d/node_modules/z/models_profiles.jsonl": "not json",
    });
    const report = await validateProject({ root, paths: ["d"] });
    expect(report.files).toEqual(["d/x/judge_profiles.jsonl", "d/y/b.eval.jsonl"]);
    expect(report.problems.map((p) => `${p.severity} ${p.line}:${p.path}`)).toEqual([
      "error 1:region",
      "warning 1:input_token_cost",
      "warning 1:output_token_cost",
    ]);
  });

  it("does not follow symlinks, as discovery does not: a loop's files are checked once", async () => {
    const root = project({ "d/y/b.eval.jsonl": jsonl(SCENARIO), "elsewhere/c.eval.jsonl": jsonl(SCENARIO) });
    symlinkSync("..", join(root, "d/y/loop"), "dir");
    symlinkSync(join(root, "elsewhere"), join(root, "d/linked"), "dir");
    const report = await validateProject({ root, paths: ["d"] });
    expect(report.files).toEqual(["d/y/b.eval.jsonl"]);
  });
});
