// `evals validate` as a user runs it: on the seed's real sample profiles, and on a project with *.eval.ts files.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createFixtureProject } from "../support/fixture-project.ts";
import { runCli } from "../support/run-cli.ts";

const SAMPLES = join(import.meta.dirname, "..", "..", "fixtures", "360-eval-samples");
const TOOLS = "sample-bedrock-migration-and-modernization-tools/360-eval";
const POC = "amazon-bedrock-samples/poc-to-prod/360-eval";
const MIGRATIONS = "amazon-bedrock-samples/migrations/360-eval";
const noPrefix = (file: string, line: number, id: string) =>
  `warning: ${file}:${line}: model_id: "${id}" has no provider prefix (older 360-eval format); loaded as "bedrock/${id}" — write that to silence this`;
const olderField = (file: string, line: number) =>
  `warning: ${file}:${line}: inference_profile: older 360-eval field, ignored; remove it`;

/** Each sample file, read by hand: its expected exit code and every warning line. */
const TABLE: [file: string, exit: number, warnings: string[]][] = [
  [`${TOOLS}/config/models_profiles.jsonl`, 0, []],
  [`${TOOLS}/config/judge_profiles.jsonl`, 0, []],
  [
    `${TOOLS}/default-config/similarity_profiles.jsonl`,
    0,
    [
      `warning: ${TOOLS}/default-config/similarity_profiles.jsonl: not a model or judge profile file (no line has a model_id); skipped`,
    ],
  ],
  [`${MIGRATIONS}/default-config/models_profiles.jsonl`, 0, []],
  [`${MIGRATIONS}/default-config/judge_profiles.jsonl`, 0, []],
  [`${POC}/config/models_profiles.jsonl`, 0, []],
  [`${POC}/config/judge_profiles.jsonl`, 0, []],
  [
    `${POC}/prompt-evaluations/judge_profiles.jsonl`,
    0,
    [
      noPrefix(
        `${POC}/prompt-evaluations/judge_profiles.jsonl`,
        1,
        "us.anthropic.claude-3-7-sonnet-20250219-v1:0",
      ),
      noPrefix(
        `${POC}/prompt-evaluations/judge_profiles.jsonl`,
        2,
        "us.meta.llama4-maverick-17b-instruct-v1:0",
      ),
      noPrefix(`${POC}/prompt-evaluations/judge_profiles.jsonl`, 3, "us.amazon.nova-premier-v1:0"),
    ],
  ],
  [
    // The seed's validator checked the region of every model, so the OpenAI line's "NA" failed there; here a
    // region on a non-Bedrock model is only ignored.
    `${POC}/prompt-evaluations/model_profiles.jsonl`,
    0,
    [
      olderField(`${POC}/prompt-evaluations/model_profiles.jsonl`, 1),
      noPrefix(`${POC}/prompt-evaluations/model_profiles.jsonl`, 1, "us.amazon.nova-pro-v1:0"),
      olderField(`${POC}/prompt-evaluations/model_profiles.jsonl`, 2),
      noPrefix(`${POC}/prompt-evaluations/model_profiles.jsonl`, 2, "us.amazon.nova-lite-v1:0"),
      olderField(`${POC}/prompt-evaluations/model_profiles.jsonl`, 3),
      noPrefix(
        `${POC}/prompt-evaluations/model_profiles.jsonl`,
        3,
        "us.anthropic.claude-3-haiku-20240307-v1:0",
      ),
      olderField(`${POC}/prompt-evaluations/model_profiles.jsonl`, 4),
      `warning: ${POC}/prompt-evaluations/model_profiles.jsonl:4: region: ignored: only bedrock/ models use a region (got "NA"); remove it`,
    ],
  ],
];

describe("evals validate on the seed's sample profiles", () => {
  it.each(TABLE)("%s → exit %i", async (file, exit, warnings) => {
    const res = await runCli(SAMPLES, ["validate", file]);
    expect(res.code).toBe(exit);
    const lines = res.stdout.split("\n").filter((l) => l.startsWith("warning: ") || l.startsWith("error: "));
    expect(lines).toEqual(warnings);
    expect(res.stdout.trimEnd().split("\n").at(-1)).toBe(
      `✓ 1 file valid${warnings.length ? ` (${warnings.length} warning${warnings.length === 1 ? "" : "s"})` : ""}`,
    );
  });

  it("fails on an invalid line, naming file, line and field", async () => {
    const root = createFixtureProject({
      "models_profiles.jsonl": [
        '{"model_id":"bedrock/us.amazon.nova-pro-v1:0", "region": "us-west-2","input_token_cost": 0.0008, "output_token_cost": 0.0032}',
        '{"model_id":"bedrock/us.amazon.nova-pro-v1:0", "region": "us-west-2","input_token_cost": 0.0008, "output_token_cost": 0.0032}',
        '{"model_id":"bedrock/us.amazon.nova-lite-v1:0", "input_token_cost": 0.00006, "output_token_cost": 0.00024, "service_tier": "turbo"}',
      ].join("\n"),
    });
    const res = await runCli(root, ["validate", "models_profiles.jsonl"]);
    expect(res.code).toBe(2);
    expect(res.stdout).toBe(
      [
        'error: models_profiles.jsonl:2: model_id: duplicate profile "bedrock/us.amazon.nova-pro-v1:0@us-west-2" (also on line 1); give one a different region, service_tier or name',
        'error: models_profiles.jsonl:3: region: required for bedrock/ models: add "region": "us-east-1" (or the region to call)',
        'error: models_profiles.jsonl:3: service_tier: must be one of default, priority, flex (got "turbo")',
        "",
        "✗ 3 errors, 0 warnings in 1 file",
        "",
      ].join("\n"),
    );
  });
});

describe("evals validate on a project", () => {
  const files = {
    "config/models_profiles.jsonl": '{"model_id": "mock/a", "mock": {"quality": 1}}\n',
    "config/judge_profiles.jsonl": '{"model_id": "mock/judge"}\n',
    "evals/good.eval.ts": [
      'import { defineEval } from "jury";',
      'defineEval("good", { scenarios: [{ id: "a", prompt: "Hi", golden: "Hello", taskType: "QA", criteria: "c" }] });',
      "",
    ].join("\n"),
  };

  it("collects *.eval.ts files like a run does and exits 0 when all is well", async () => {
    const root = createFixtureProject(files);
    const res = await runCli(root, ["validate"]);
    expect(res.stderr).toBe("");
    expect(res.stdout).toBe("✓ 3 files valid\n");
    expect(res.code).toBe(0);
  });

  it("reports the problems of a *.eval.ts and of the config with exit 2", async () => {
    const root = createFixtureProject({
      ...files,
      "evals/bad.eval.ts": [
        'import { defineEval } from "jury";',
        'defineEval("bad", { scenarios: [{ id: "a", golden: "Hello", taskType: "QA" }] });',
        "",
      ].join("\n"),
      "evals.config.yaml": "jury:\n  threshold: 9\n",
    });
    const res = await runCli(root, ["validate"]);
    expect(res.code).toBe(2);
    const lines = res.stdout.split("\n");
    expect(lines.some((l) => l.startsWith("error: evals/bad.eval.ts") && l.includes("prompt"))).toBe(true);
    expect(lines.some((l) => l.startsWith("error: evals.config.yaml:2: jury.threshold:"))).toBe(true);
    expect(lines.at(-2)).toMatch(/^✗ 2 errors, \d+ warnings? in 5 files$/);
    expect(existsSync(join(root, "outputs"))).toBe(false);
  });
});
