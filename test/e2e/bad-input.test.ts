// The bad-input corpus (fixtures/bad/): each malformed file, dropped into an otherwise valid project, must make
// the real CLI exit 2 with exactly these `file:line: field: problem` lines, no stack trace, and nothing run.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createFixtureProject } from "../support/fixture-project.ts";
import { type CliResult, runCli } from "../support/run-cli.ts";

const BAD = join(import.meta.dirname, "..", "..", "fixtures", "bad");
const read = (path: string) => readFileSync(join(BAD, path));

const VALID = {
  "config/models_profiles.jsonl": '{"model_id":"mock/m","mock":{"ttft_ms":0,"tokens_per_s":0}}\n',
  "config/judge_profiles.jsonl": '{"model_id":"mock/j"}\n',
  "evals/ok.eval.jsonl": '{"text_prompt":"Say hi.","task":{"task_type":"Chat","task_criteria":"Polite."}}\n',
};

/** Where each kind of corpus file goes in the fixture project. */
const asEval = (name: string) => ({ [`evals/${name}`]: read(`evals/${name}`) });
const asModels = (name: string) => ({ "config/models_profiles.jsonl": read(`profiles/${name}`) });
const asJudges = (name: string) => ({ "config/judge_profiles.jsonl": read(`profiles/${name}`) });
const asConfig = (name: string) => ({
  [name.endsWith(".ts") ? "evals.config.ts" : "evals.config.yaml"]: read(`config/${name}`),
});

interface BadInput {
  /** The corpus file under fixtures/bad/, or what a generated case is. */
  name: string;
  files: Record<string, string | Uint8Array>;
  /** @default ["list"]: validates everything without running. */
  args?: string[];
  /** Every problem the run must report, in order, exactly. */
  problems: string[];
}

const REPORTERS =
  "use one of default, json, junit, html, github-actions, or a path to a module such as ./my-reporter.ts";
const SCENARIO = JSON.stringify({ text_prompt: "x".repeat(5_000_000), task: { task_type: "T" } });

const CORPUS: BadInput[] = [
  // Eval JSONL
  {
    name: "evals/invalid-json.eval.jsonl",
    files: asEval("invalid-json.eval.jsonl"),
    problems: [
      "evals/invalid-json.eval.jsonl:2: invalid JSON: Expected ',' or '}' after property value at column 48",
    ],
  },
  {
    name: "evals/array-line.eval.jsonl",
    files: asEval("array-line.eval.jsonl"),
    problems: ["evals/array-line.eval.jsonl:1: each line must be a JSON object (got an array)"],
  },
  {
    name: "evals/scalar-lines.eval.jsonl",
    files: asEval("scalar-lines.eval.jsonl"),
    problems: [
      "evals/scalar-lines.eval.jsonl:1: each line must be a JSON object (got a number)",
      "evals/scalar-lines.eval.jsonl:2: each line must be a JSON object (got a string)",
      "evals/scalar-lines.eval.jsonl:3: each line must be a JSON object (got null)",
    ],
  },
  {
    name: "evals/missing-prompt.eval.jsonl",
    files: asEval("missing-prompt.eval.jsonl"),
    problems: ["evals/missing-prompt.eval.jsonl:1: text_prompt: required: the prompt sent to the model"],
  },
  {
    name: "evals/missing-task.eval.jsonl",
    files: asEval("missing-task.eval.jsonl"),
    problems: [
      'evals/missing-task.eval.jsonl:1: task: required: an object like {"task_type": "Summarization", "task_criteria": "..."}',
    ],
  },
  {
    name: "evals/missing-task-type.eval.jsonl",
    files: asEval("missing-task-type.eval.jsonl"),
    problems: [
      'evals/missing-task-type.eval.jsonl:1: task.task_type: required: the kind of task, e.g. "Summarization" or "Text-to-SQL"',
    ],
  },
  {
    name: "evals/task-string.eval.jsonl",
    files: asEval("task-string.eval.jsonl"),
    problems: [
      'evals/task-string.eval.jsonl:1: task: must be an object with task_type and task_criteria (got "Summarization")',
    ],
  },
  {
    name: "evals/tokens-not-number.eval.jsonl",
    files: asEval("tokens-not-number.eval.jsonl"),
    problems: [
      'evals/tokens-not-number.eval.jsonl:1: expected_output_tokens: must be a positive integer (got "abc")',
    ],
  },
  {
    name: "evals/temperature-string.eval.jsonl",
    files: asEval("temperature-string.eval.jsonl"),
    problems: [
      'evals/temperature-string.eval.jsonl:1: temperature: must be a number from 0 to 2 (got "hot")',
    ],
  },
  {
    name: "evals/many-wrong-types.eval.jsonl",
    files: asEval("many-wrong-types.eval.jsonl"),
    problems: [
      'evals/many-wrong-types.eval.jsonl:1: text_prompt: must be a non-empty string (got "")',
      "evals/many-wrong-types.eval.jsonl:1: task.task_type: must be a non-empty string (got 3)",
      "evals/many-wrong-types.eval.jsonl:1: golden_answer: must be a string (got 42)",
      "evals/many-wrong-types.eval.jsonl:1: user_defined_metrics: must be a comma-separated string or an array of strings (got an object)",
      'evals/many-wrong-types.eval.jsonl:1: tags: must be an array of strings (got "x")',
      'evals/many-wrong-types.eval.jsonl:1: skip: must be true or false (got "yes")',
    ],
  },
  {
    name: "evals/header-threshold.eval.jsonl",
    files: asEval("header-threshold.eval.jsonl"),
    problems: ["evals/header-threshold.eval.jsonl:1: $eval.threshold: must be a number from 1 to 5 (got 9)"],
  },
  {
    name: "evals/header-types.eval.jsonl",
    files: asEval("header-types.eval.jsonl"),
    problems: [
      'evals/header-types.eval.jsonl:1: $eval.name: must be a non-empty string (got "")',
      'evals/header-types.eval.jsonl:1: $eval.models: must be an array of profile keys or model ids (got "mock/a")',
      "evals/header-types.eval.jsonl:1: $eval.invocations: must be a positive integer (got 0)",
    ],
  },
  {
    name: "evals/header-not-first.eval.jsonl",
    files: asEval("header-not-first.eval.jsonl"),
    problems: [
      "evals/header-not-first.eval.jsonl:2: $eval: the $eval header must be the first line of the file",
    ],
  },
  {
    name: "evals/empty.eval.jsonl",
    files: asEval("empty.eval.jsonl"),
    problems: [
      "evals/empty.eval.jsonl: no scenarios: add one JSON object per line with at least text_prompt and task.task_type",
    ],
  },
  {
    name: "evals/blank-lines.eval.jsonl",
    files: asEval("blank-lines.eval.jsonl"),
    problems: [
      "evals/blank-lines.eval.jsonl: no scenarios: add one JSON object per line with at least text_prompt and task.task_type",
    ],
  },
  {
    name: "evals/bom-error.eval.jsonl",
    files: asEval("bom-error.eval.jsonl"),
    problems: [
      "evals/bom-error.eval.jsonl:1: task.task_type: must be a non-empty string (got 7)",
      "evals/bom-error.eval.jsonl:3: text_prompt: required: the prompt sent to the model",
    ],
  },
  {
    name: "evals/crlf-error.eval.jsonl",
    files: asEval("crlf-error.eval.jsonl"),
    problems: [
      "evals/crlf-error.eval.jsonl:3: invalid JSON: Expected double-quoted property name at column 92",
      "evals/crlf-error.eval.jsonl:4: expected_output_tokens: must be a positive integer (got 0)",
    ],
  },
  {
    name: "evals/bom-crlf-error.eval.jsonl",
    files: asEval("bom-crlf-error.eval.jsonl"),
    problems: ["evals/bom-crlf-error.eval.jsonl:1: temperature: must be a number from 0 to 2 (got 3)"],
  },
  {
    name: "evals/utf16.eval.jsonl",
    files: asEval("utf16.eval.jsonl"),
    problems: ["evals/utf16.eval.jsonl: encoded as UTF-16; save it as UTF-8"],
  },
  {
    name: "a scenario line of 5 MB with an error at its end (generated)",
    files: { "evals/huge.eval.jsonl": `${SCENARIO.slice(0, -1)}, "task": 3}\n` },
    problems: [`evals/huge.eval.jsonl:1: task: must be an object with task_type and task_criteria (got 3)`],
  },
  {
    name: "a scenario line of 5 MB that is cut short (generated)",
    files: { "evals/huge.eval.jsonl": SCENARIO.slice(0, 4_000_000) },
    problems: ["evals/huge.eval.jsonl:1: invalid JSON: Unterminated string at column 4000001"],
  },
  {
    name: "evals/duplicate-id.eval.jsonl",
    files: asEval("duplicate-id.eval.jsonl"),
    problems: [
      'evals/duplicate-id.eval.jsonl:2: id: duplicate id "x" (first used on line 1); ids must be unique in a file',
    ],
  },
  {
    name: "evals/duplicate-id-number.eval.jsonl",
    files: asEval("duplicate-id-number.eval.jsonl"),
    problems: [
      'evals/duplicate-id-number.eval.jsonl:2: id: duplicate id "1" (first used on line 1); ids must be unique in a file',
    ],
  },
  {
    name: "evals/image-not-found.eval.jsonl",
    files: asEval("image-not-found.eval.jsonl"),
    problems: [
      "evals/image-not-found.eval.jsonl:1: url_image: file not found: evals/images/missing.png",
      "evals/image-not-found.eval.jsonl:3: url_image: file not found: pictures/gone.jpg",
    ],
  },
  {
    name: "evals/image-scheme.eval.jsonl",
    files: asEval("image-scheme.eval.jsonl"),
    problems: [
      'evals/image-scheme.eval.jsonl:1: url_image: unsupported URL scheme "s3:"; use an http(s) URL or a path relative to the eval file',
    ],
  },

  // Model and judge profiles
  {
    name: "profiles/unknown-prefix.models.jsonl",
    files: asModels("unknown-prefix.models.jsonl"),
    problems: [
      'config/models_profiles.jsonl:2: model_id: unknown provider "anthropic/"; use one of bedrock/, openai/, azure/, gemini/, openai-compatible/, mock/ (got "anthropic/claude-3-5-sonnet")',
    ],
  },
  {
    name: "profiles/bedrock-no-region.models.jsonl",
    files: asModels("bedrock-no-region.models.jsonl"),
    problems: [
      'config/models_profiles.jsonl:1: region: required for bedrock/ models: add "region": "us-east-1" (or the region to call)',
    ],
  },
  {
    name: "profiles/bedrock-bad-region-type.models.jsonl",
    files: asModels("bedrock-bad-region-type.models.jsonl"),
    problems: [
      'config/models_profiles.jsonl:1: region: must be a string such as "us-west-2" (got 1)',
      'config/models_profiles.jsonl:2: model_id: missing the model after "bedrock/" (got "bedrock/")',
    ],
  },
  {
    name: "profiles/negative-cost.models.jsonl",
    files: asModels("negative-cost.models.jsonl"),
    problems: [
      "config/models_profiles.jsonl:1: input_token_cost: must be a number ≥ 0, in USD per 1,000 tokens (got -0.0025)",
      'config/models_profiles.jsonl:2: output_cost_per_1m: must be a number ≥ 0, in USD per 1,000,000 tokens (got "0.60")',
    ],
  },
  {
    name: "profiles/costs-disagree.models.jsonl",
    files: asModels("costs-disagree.models.jsonl"),
    problems: [
      "config/models_profiles.jsonl:1: input_cost_per_1m: disagrees with input_token_cost; give the input cost once",
    ],
  },
  {
    name: "profiles/bad-tier.models.jsonl",
    files: asModels("bad-tier.models.jsonl"),
    problems: [
      'config/models_profiles.jsonl:1: service_tier: must be one of default, priority, flex (got "fast")',
    ],
  },
  {
    name: "profiles/bad-rpm.models.jsonl",
    files: asModels("bad-rpm.models.jsonl"),
    problems: [
      "config/models_profiles.jsonl:1: target_rpm: must be a number above 0, or null for no rate limit (got 0)",
      'config/models_profiles.jsonl:2: target_rpm: must be a number above 0, or null for no rate limit (got "60")',
      "config/models_profiles.jsonl:3: target_rpm: must be a number above 0, or null for no rate limit (got -30)",
    ],
  },
  {
    name: "profiles/mock-out-of-range.models.jsonl",
    files: asModels("mock-out-of-range.models.jsonl"),
    problems: [
      "config/models_profiles.jsonl:1: mock.quality: must be a number from 0 to 1 (got 2)",
      "config/models_profiles.jsonl:1: mock.error_rate: must be a number from 0 to 1 (got -0.1)",
    ],
  },
  {
    name: "profiles/duplicate.models.jsonl",
    files: asModels("duplicate.models.jsonl"),
    problems: [
      'config/models_profiles.jsonl:3: model_id: duplicate profile "mock/a" (also on line 1); give one a different region, service_tier or name',
    ],
  },
  {
    name: "profiles/duplicate-name.judges.jsonl",
    files: asJudges("duplicate-name.judges.jsonl"),
    problems: [
      'config/judge_profiles.jsonl:2: name: duplicate profile "judge" (also on line 1); give one a different region, service_tier or name',
    ],
  },
  {
    name: "profiles/invalid-json.judges.jsonl",
    files: asJudges("invalid-json.judges.jsonl"),
    problems: [
      "config/judge_profiles.jsonl:2: invalid JSON (Expected double-quoted property name); each line must be one JSON object",
    ],
  },
  {
    name: "profiles/missing-model-id.judges.jsonl",
    files: asJudges("missing-model-id.judges.jsonl"),
    problems: [
      'config/judge_profiles.jsonl:1: model_id: required: a provider-prefixed id such as "bedrock/us.amazon.nova-pro-v1:0" (got nothing)',
      'config/judge_profiles.jsonl:2: each profile must be an object with at least "model_id" (got an array)',
    ],
  },
  {
    name: "profiles/empty.judges.jsonl",
    files: asJudges("empty.judges.jsonl"),
    problems: [
      'config/judge_profiles.jsonl: no profiles: add one per line, e.g. {"model_id": "openai/gpt-4o", "input_token_cost": 0.0025}',
    ],
  },
  {
    name: "profiles/wrong-types.models.yaml",
    files: { "config/models.yaml": read("profiles/wrong-types.models.yaml") },
    args: ["list", "--models", "config/models.yaml"],
    problems: [
      'config/models.yaml:4: region: required for bedrock/ models: add "region": "us-east-1" (or the region to call)',
      'config/models.yaml:4: service_tier: must be one of default, priority, flex (got "premium")',
    ],
  },

  // Config
  {
    name: "config/wrong-types.yaml",
    files: asConfig("wrong-types.yaml"),
    problems: [
      'evals.config.yaml:1: include: must be a list of strings (got "evals/*.eval.jsonl")',
      'evals.config.yaml:3: jury.threshold: must be a number from 1 to 5 (got "high")',
      'evals.config.yaml:5: run.concurrency: must be a positive integer (got "4")',
      'evals.config.yaml:6: run.threads: must be true or false (got "yes please")',
    ],
  },
  {
    name: "config/wrong-types.config.ts",
    files: asConfig("wrong-types.config.ts"),
    problems: [
      'evals.config.ts: jury.aggregate: must be mean, median or majority (got "avg")',
      "evals.config.ts: run.concurrency: must be a positive integer (got 0)",
    ],
  },
  {
    name: "config/unknown-keys.yaml",
    files: asConfig("unknown-keys.yaml"),
    problems: [
      "evals.config.yaml:1: reporter: unknown option (known: include, exclude, models, judges, jury, run, gate, reporters, outputDir, cache)",
      "evals.config.yaml:3: jury.treshold: unknown option (known: threshold, aggregate, quorum, metrics)",
      expect.stringMatching(
        /^evals\.config\.yaml:6: run\.retries: unknown option \(known: concurrency, .*\)$/,
      ),
    ],
  },
  {
    name: "config/unknown-reporter.yaml",
    files: asConfig("unknown-reporter.yaml"),
    problems: [
      `evals.config.yaml:3: reporters.1: unknown reporter "nope"; ${REPORTERS}`,
      `evals.config.yaml:4: reporters.2: unknown reporter "junitt"; ${REPORTERS}`,
    ],
  },
  {
    name: "config/reporters-not-a-list.yaml",
    files: asConfig("reporters-not-a-list.yaml"),
    problems: [
      'evals.config.yaml:1: reporters: must be a list of reporters (got "json")',
      "evals.config.yaml:2: outputDir: must be a string (got 7)",
    ],
  },
  {
    name: "config/pass-rate-percent.yaml",
    files: asConfig("pass-rate-percent.yaml"),
    problems: [
      "evals.config.yaml:2: gate.minPassRate: must be a fraction from 0 to 1, e.g. 0.9 for 90% (got 90)",
    ],
  },
  {
    name: "config/quorum-too-high.yaml",
    files: asConfig("quorum-too-high.yaml"),
    problems: [
      "evals.config.yaml:2: jury.quorum: quorum 3 is more than the 1 judge(s) in config/judge_profiles.jsonl; lower it or add judges",
    ],
  },
  {
    name: "config/invalid-yaml.yaml",
    files: asConfig("invalid-yaml.yaml"),
    problems: [
      "evals.config.yaml:3: invalid YAML: All mapping items must start at the same column (column 1)",
    ],
  },
  {
    name: "config/not-a-mapping.yaml",
    files: asConfig("not-a-mapping.yaml"),
    problems: [
      "evals.config.yaml: must be a mapping of options such as run:, jury: and reporters: (got a list)",
    ],
  },
  {
    name: "config/missing-profile-file.yaml",
    files: asConfig("missing-profile-file.yaml"),
    problems: [
      "profiles/models.jsonl: model profile file not found (set by models in evals.config.yaml); check the path",
    ],
  },
];

/** The CLI's whole stderr for these problems. */
function inputError(problems: string[]): string {
  const n = problems.length;
  return `error: ${n} problem${n === 1 ? "" : "s"} in the input; nothing was run.\n${problems.map((p) => `  ${p}\n`).join("")}`;
}

function expectRefused(res: CliResult, root: string, e: typeof expect): void {
  e(res.stderr).not.toMatch(/\n\s+at /);
  e(res.stdout).toBe("");
  e(res.code).toBe(2);
  e(existsSync(join(root, "outputs"))).toBe(false);
}

describe.concurrent("bad input: exit 2, every problem as file:line: field: problem, nothing run", () => {
  it("the corpus has at least 30 files and every one of them is in the table", () => {
    const files = ["evals", "profiles", "config"].flatMap((kind) =>
      readdirSync(join(BAD, kind)).map((f) => `${kind}/${f}`),
    );
    expect(files.length).toBeGreaterThanOrEqual(30);
    expect(files.filter((f) => !CORPUS.some((c) => c.name === f))).toEqual([]);
  });

  it.for(CORPUS)("$name", async ({ files, args, problems }, { expect }) => {
    const root = createFixtureProject({ ...VALID, ...files });
    const res = await runCli(root, args ?? ["list"]);
    const [header, ...lines] = res.stderr.split("\n");
    expect(header).toBe(inputError(problems).split("\n")[0]);
    expect(lines.map((l) => l.replace(/^ {2}/, ""))).toEqual([...problems, ""]);
    expectRefused(res, root, expect);
  });

  it("reports every problem of the config, both profile files and two eval files in one run", async ({
    expect,
  }) => {
    const root = createFixtureProject({
      ...VALID,
      ...asConfig("unknown-reporter.yaml"),
      ...asModels("negative-cost.models.jsonl"),
      ...asJudges("bedrock-no-region.models.jsonl"),
      ...asEval("invalid-json.eval.jsonl"),
      ...asEval("image-not-found.eval.jsonl"),
    });
    const res = await runCli(root, []);
    expect(res.stderr).toBe(
      inputError([
        `evals.config.yaml:3: reporters.1: unknown reporter "nope"; ${REPORTERS}`,
        `evals.config.yaml:4: reporters.2: unknown reporter "junitt"; ${REPORTERS}`,
        "config/models_profiles.jsonl:1: input_token_cost: must be a number ≥ 0, in USD per 1,000 tokens (got -0.0025)",
        'config/models_profiles.jsonl:2: output_cost_per_1m: must be a number ≥ 0, in USD per 1,000,000 tokens (got "0.60")',
        'config/judge_profiles.jsonl:1: region: required for bedrock/ models: add "region": "us-east-1" (or the region to call)',
        "evals/image-not-found.eval.jsonl:1: url_image: file not found: evals/images/missing.png",
        "evals/image-not-found.eval.jsonl:3: url_image: file not found: pictures/gone.jpg",
        "evals/invalid-json.eval.jsonl:2: invalid JSON: Expected ',' or '}' after property value at column 48",
      ]),
    );
    expectRefused(res, root, expect);
  });

  it("refuses --reporter with an unknown name before creating anything", async ({ expect }) => {
    const root = createFixtureProject(VALID);
    const res = await runCli(root, ["--reporter", "json", "--reporter", "nope"]);
    expect(res.stderr).toBe(`error: --reporter: unknown reporter "nope"; ${REPORTERS}\n`);
    expectRefused(res, root, expect);
  });

  it("loads a valid scenario line of 5 MB", async ({ expect }) => {
    const root = createFixtureProject({ ...VALID, "evals/huge.eval.jsonl": `${SCENARIO}\n` });
    const res = await runCli(root, ["list", "--json"]);
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    const plan = JSON.parse(res.stdout) as { cases: { file: string }[] };
    expect(plan.cases.map((c) => c.file).sort()).toEqual(["evals/huge.eval.jsonl", "evals/ok.eval.jsonl"]);
  });
});
