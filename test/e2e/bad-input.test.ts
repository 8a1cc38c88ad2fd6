// The bad-input corpus: each bad input — a malformed file dropped into an otherwise valid project (fixtures/bad/
// and generated ones), a bad flag, a damaged run directory — must make the real CLI exit 2 with exactly the
// expected message (`file:line: field: problem` for input files, the flag or file for the rest) and its fix hint,
// no stack trace, and nothing written: the project's files are the same after as before.
//
// To add a case, add a row to CORPUS (by kind of input): `files` over the valid project (`sparse` for large
// ones), the `runs` made in it first, `args` (default `list`), and either the `problems` of an input error (a
// problem with its source excerpt is one multi-line string) or the one `error` line with its `hint`.
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  truncateSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import type { RunReport } from "../../src/types.ts";
import { pixels, writeBmp } from "../support/bitmaps.ts";
import { createFixtureProject } from "../support/fixture-project.ts";
import { listTree } from "../support/list-tree.ts";
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
  /** Files written over the valid project. */
  files?: Record<string, string | Uint8Array>;
  /** Large files: `head`, then a hole up to `size` bytes (nothing writes or reads them whole). */
  sparse?: Record<string, { head: Uint8Array; size: number }>;
  /** Command lines run (and passed) in the project first, each making a run dir. */
  runs?: string[][];
  /** @default ["list"]: validates everything without running. A function of the run dirs made by `runs`. */
  args?: string[] | ((runs: string[]) => string[]);
  /** An input error: every problem the run must report, in order, exactly (with its excerpt lines, if any). */
  problems?: (string | ReturnType<typeof expect.stringMatching>)[];
  /**
   * Any other error: its one line (after `error: `); a function of the project root (and run dirs) when it
   * names a path.
   */
  error?: string | ((root: string, runs: string[]) => string);
  /** The fix the error suggests (`hint: …`), when it gives one. */
  hint?: string;
  /** A 360-eval flag's note, printed before the error. */
  note?: string;
}

const REPORTERS =
  "use one of default, verbose, dot, json, junit, html, csv, github-actions, or a path to a module such as ./my-reporter.ts";
const SCENARIO = JSON.stringify({ text_prompt: "x".repeat(5_000_000), task: { task_type: "T" } });

const BLANK = 'A blank value is often an unset variable (--flag "$VAR"): set it, or leave the flag out.';
const FRACTION = "It is a fraction: 0.9 means 90% of cases must pass.";
const PASS = "Pass a run directory (outputs/runs/<runId>), its run.json, or a JSON report.";

/** A command line refused with one error line (and its hint). */
function flag(args: string[], error: BadInput["error"], hint?: string): BadInput {
  const shown = args.map((a) => (a === "" || /\s/.test(a) ? JSON.stringify(a) : a)).join(" ");
  return { name: `evals ${shown}`, args, error, ...(hint ? { hint } : {}) };
}

/** Six levels of ten aliases: a few hundred bytes that expand to a million strings. */
const ALIAS_BOMB = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
  .concat(
    ["b", "c", "d", "e", "f"].map((k, i) => {
      const prev = String.fromCharCode(97 + i);
      return `${k}: &${k} [${Array(10).fill(`*${prev}`).join(", ")}]`;
    }),
  )
  .join("\n");
const ALIAS_BOMB_PROBLEM =
  "invalid YAML: its aliases (*name) expand to too much data (a YAML alias bomb?); write the values out or use fewer aliases";

const DEFINE_EVAL = 'import { defineEval } from "jury";\n';

/** JSON.parse's message for `text` (its wording differs between Node versions). */
function jsonError(text: string): string {
  try {
    JSON.parse(text);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error(`valid JSON: ${text}`);
}

/** A problem at `column` of `source`, with the excerpt the CLI prints under it: the line and a caret. */
const excerpt = (problem: string, source: string, column: number) =>
  `${problem}\n    ${source}\n${" ".repeat(4 + column - 1)}^`;

/** A PNG's first bytes: a large image is this, then a hole. */
const PNG = readFileSync(join(BAD, "..", "images", "pixel.png"));
/** Models with image size limits (nothing is called at load). */
const VISION_MODELS = {
  "config/models_profiles.jsonl": [
    '{"model_id":"bedrock/us.amazon.nova-pro-v1:0","region":"us-east-1"}',
    '{"model_id":"openai-compatible/llava","base_url":"http://127.0.0.1:9/v1"}',
  ].join("\n"),
};
/** A 24-bit BMP whose header says RLE8 compression, which the BMP codec does not read. */
const RLE_BMP = (() => {
  const bmp = writeBmp(
    pixels(2, 2, () => [0, 0, 0, 255]),
    { bpp: 24 },
  );
  bmp.writeUInt32LE(1, 30);
  return new Uint8Array(bmp);
})();
const imageScenario = (image: string) =>
  `${JSON.stringify({ text_prompt: "Describe it.", task: { task_type: "Vision", task_criteria: "c" }, url_image: image })}\n`;
const BEDROCK_LIMIT =
  "too large for bedrock/us.amazon.nova-pro-v1:0@us-east-1: Bedrock Converse takes images up to 3.75 MB";
const LLAVA_LIMIT =
  "too large for openai-compatible/llava: OpenAI-compatible servers are held to OpenAI's 20 MB";

/** A tool as a scenario declares it. */
const WEATHER_TOOL = {
  name: "get_weather",
  parameters: { type: "object", properties: { city: { type: "string" } } },
};
/** One scenario row with the given fields (and a task), refused with these problems on its line. */
function conversationRow(name: string, fields: object, problems: string[]): BadInput {
  return {
    name: `${name} (generated)`,
    files: { "evals/t.eval.jsonl": `${JSON.stringify({ ...fields, task: { task_type: "QA" } })}\n` },
    problems: problems.map((p) => `evals/t.eval.jsonl:1: ${p}`),
  };
}

/** A project of 4 cases, quick to run (in process, no simulated latency), and its 3 shards as runs. */
const SHARDED = {
  "config/judge_profiles.jsonl": '{"model_id":"mock/j","mock":{"ttft_ms":0,"tokens_per_s":0}}\n',
  "evals/a.eval.jsonl": ["A1", "A2", "A3"]
    .map((p) => JSON.stringify({ text_prompt: p, task: { task_type: "T", task_criteria: "c" } }))
    .join("\n"),
};
const shard = (spec: string, ...filters: string[]) => [...filters, "--shard", spec, "--no-threads"];
const SHARDS = [shard("1/3"), shard("2/3"), shard("3/3")];
/** The plan a shard's run.json records. */
const planOf = (root: string, dir: string) =>
  (JSON.parse(readFileSync(join(root, dir, "run.json"), "utf8")) as RunReport).shard?.plan;
const SHARDS_HINT =
  "Pass the run dir of every shard once; run a missing shard with --shard i/n (or look at the shards so far with evals report, which has no gate).";

/** A run directory in the project, with the given run.json. */
const RUN_ID = "20260101-000000-000-aaaa";
const RUN = `outputs/runs/${RUN_ID}`;
const run = (runJson: string) => ({ [`${RUN}/run.json`]: runJson, [`${RUN}/results.jsonl`]: "" });
/** The head of a run.json, as a full disk or a crash leaves it. */
const TRUNCATED = JSON.stringify(
  { schemaVersion: 1, runId: RUN_ID, status: "running", cases: [{ id: "c1", file: "evals/ok.eval.jsonl" }] },
  null,
  2,
).slice(0, 120);
const CUT = `cut short after 120 bytes (${jsonError(TRUNCATED)})`;
const CUT_HINT =
  "A crash or a full disk stopped its writing; the run cannot be read back: start a new run, or pass another one.";

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
      'config/models_profiles.jsonl:2: model_id: unknown provider "cohere/"; use one of bedrock/, openai/, azure/, gemini/, anthropic/, openai-compatible/, mock/ (got "cohere/command-r-plus")',
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
      'config/judge_profiles.jsonl: no profiles: add one per line, e.g. {"model_id": "openai/gpt-4o", "input_cost_per_1k": 0.0025}',
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
      "evals.config.yaml:1: reporter: unknown option (known: include, exclude, models, judges, priceUnit, jury, run, gate, reporters, outputDir, cache)",
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
  // Flags: every class of bad value (blank, negative, out of range, not a number, missing, repeated), unknown
  // flags and switches given a value. Checked before anything loads. Every numeric flag of every command is
  // covered one by one in test/unit/cli/flags.test.ts.
  flag(
    ["--trial-pass", "2"],
    "--trial-pass 2 needs --trials N: it says how many of a case's N trials must pass",
    "Add --trials, e.g. --trials 3 --trial-pass 2.",
  ),
  flag(
    ["--trials", "2", "--trial-pass", "3"],
    "--trial-pass 3 is more than the 2 trials of --trials 2",
    "Lower --trial-pass to at most 2 or raise --trials.",
  ),
  flag(["--min-pass-rate", ""], "--min-pass-rate needs a number between 0 and 1 (got a blank value)", BLANK),
  flag(
    ["--min-pass-rate", "  "],
    "--min-pass-rate needs a number between 0 and 1 (got a blank value)",
    BLANK,
  ),
  flag(["--min-pass-rate="], "--min-pass-rate needs a number between 0 and 1 (got a blank value)", BLANK),
  flag(
    ["--min-pass-rate", "0.9", "--min-pass-rate", ""],
    "--min-pass-rate needs a number between 0 and 1 (got a blank value)",
    BLANK,
  ),
  flag(["--max-cost", ""], "--max-cost needs a number ≥ 0 (USD) (got a blank value)", BLANK),
  flag(["--threshold", ""], "--threshold needs a number between 1 and 5 (got a blank value)", BLANK),
  flag(["list", "--threshold", " "], "--threshold needs a number between 1 and 5 (got a blank value)", BLANK),
  flag(
    ["merge", "outputs/runs/x", "--min-pass-rate", ""],
    "--min-pass-rate needs a number between 0 and 1 (got a blank value)",
    BLANK,
  ),
  flag(["--max-p95-ttft-ms", ""], "--max-p95-ttft-ms needs a number ≥ 0 (ms) (got a blank value)", BLANK),
  flag(["--concurrency", ""], "--concurrency needs a positive integer (got a blank value)", BLANK),
  flag(["--bail="], "--bail needs an integer ≥ 0 (got a blank value)", BLANK),
  flag(["simulate", "--port", ""], "--port needs an integer from 0 to 65535 (got a blank value)", BLANK),
  flag(["ui", "--concurrency", ""], "--concurrency needs a positive integer (got a blank value)", BLANK),
  flag(
    ["import", "rows.csv", "--temperature", ""],
    "--temperature needs a number from 0 to 2 (got a blank value)",
    BLANK,
  ),
  flag(["--name", ""], "--name needs a value <name> (got a blank value)", BLANK),
  flag(["--metrics", " "], "--metrics needs a comma-separated list (got a blank value)", BLANK),
  flag(["--resume", ""], "--resume needs a value <run> (got a blank value)", BLANK),
  flag(["--changed="], "--changed needs a value <ref> (got a blank value)", BLANK),
  flag(["--aggregate", ""], "--aggregate needs one of mean, median or majority (got a blank value)", BLANK),
  flag(
    ["--resume", "latest", "--min-pass-rate", ""],
    "--min-pass-rate needs a number between 0 and 1 (got a blank value)",
    BLANK,
  ),
  flag(["--threshold", "-1"], "--threshold must be between 1 and 5 (got -1)"),
  flag(["--threshold=-2"], "--threshold must be between 1 and 5 (got -2)"),
  flag(["--threshold", "6"], "--threshold must be between 1 and 5 (got 6)"),
  flag(["--max-cost", "-5"], "--max-cost must be a number ≥ 0 (USD) (got -5)"),
  flag(["--min-pass-rate", "-1"], "--min-pass-rate must be between 0 and 1 (got -1)", FRACTION),
  flag(["--min-pass-rate", "90"], "--min-pass-rate must be between 0 and 1 (got 90)", FRACTION),
  flag(["--concurrency", "-1"], "--concurrency must be a positive integer (got -1)"),
  flag(["--bail", "-1"], "--bail must be an integer ≥ 0 (got -1)"),
  flag(["list", "--quorum", "0"], "--quorum must be a positive integer (got 0)"),
  flag(["--workers", "1.5"], "--workers must be a positive integer (got 1.5)"),
  flag(["--significance", "2"], "--significance must be between 0 and 1 (got 2)"),
  flag(["--max-regression", "-0.1"], "--max-regression must be between 0 and 1 (got -0.1)"),
  flag(["--temperature-variations", "-1"], "--temperature-variations must be an integer ≥ 0 (got -1)"),
  flag(["--invocation-sleep-ms", "-1"], "--invocation-sleep-ms must be a number ≥ 0 (ms) (got -1)"),
  flag(["simulate", "--port", "70000"], "--port must be an integer from 0 to 65535 (got 70000)"),
  flag(["simulate", "--fault-rate", "2"], "--fault-rate must be between 0 and 1 (got 2)"),
  flag(["import", "rows.csv", "--temperature", "3"], "--temperature must be a number from 0 to 2 (got 3)"),
  flag(["--threshold", "abc"], '--threshold needs a number between 1 and 5 (got "abc")'),
  flag(["--threshold", "0x3"], '--threshold needs a number between 1 and 5 (got "0x3")'),
  flag(["--max-cost", "1e400"], '--max-cost needs a number ≥ 0 (USD) (got "1e400")'),
  flag(["--concurrency", "-Infinity"], '--concurrency needs a positive integer (got "-Infinity")'),
  flag(["--timeout", "10s"], '--timeout needs a positive integer (got "10s")'),
  flag(["--experiments", "NaN"], '--experiments needs a positive integer (got "NaN")'),
  flag(["--threshold"], "--threshold needs a number between 1 and 5 (got nothing)"),
  flag(["--threshold", "2", "--threshold"], "--threshold needs a number between 1 and 5 (got nothing)"),
  flag(["list", "--models", "--json"], "--models needs a value <file> (got nothing)"),
  flag(["--reporter"], "--reporter needs a value <name> (got nothing)"),
  flag(["--config"], "--config needs a value <file> (got nothing)"),
  flag(["--aggregate", "avg"], '--aggregate must be mean, median or majority (got "avg")'),
  flag(["--cache", "maybe"], '--cache must be off, on or replay (got "maybe")'),
  flag(
    ["--prompt-optimization", "yes"],
    '--prompt-optimization must be none, optimize_only or evaluate_both (got "yes")',
  ),
  flag(["--frobnicate"], "unknown flag --frobnicate for evals", "Run evals --help for its flags."),
  flag(["--maxCost", "1"], "unknown flag --maxCost for evals", "Run evals --help for its flags."),
  flag(["-x"], "unknown flag -x for evals", "Run evals --help for its flags."),
  flag(["list", "-1"], "unknown flag -1 for evals list", "Run evals list --help for its flags."),
  flag(["list", "--max-cost", "1"], "unknown flag --max-cost for evals list", "It is a flag of evals."),
  flag(
    ["report", "--reporter", "json"],
    "unknown flag --reporter for evals report",
    "It is a flag of evals, evals merge.",
  ),
  flag(["--no-threads=1"], '--no-threads takes no value (got "1")'),
  flag(["list", "--json=yes"], '--json takes no value (got "yes")'),
  flag(["--reporter", "nope"], `--reporter: unknown reporter "nope"; ${REPORTERS}`),
  {
    ...flag(
      ["--reporter", "nope\u001b]0;pwned\u0007"],
      `--reporter: unknown reporter "nope␛]0;pwned␇"; ${REPORTERS}`,
    ),
    name: "evals --reporter with a name holding a terminal escape (shown, not obeyed)",
  },
  flag(
    ["--reporter", "json", "--reporter", "junit", "--outputFile", "j.xml"],
    "--outputFile needs a reporter name when several reporters run, e.g. --outputFile.junit=reports/junit.xml",
  ),
  flag(["--shard", "3/2"], '--shard must be i/n with 1 ≤ i ≤ n, e.g. --shard 2/3 (got "3/2")'),
  flag(["--shard", "x"], '--shard must be i/n with 1 ≤ i ≤ n, e.g. --shard 2/3 (got "x")'),
  flag(["report", "--since", "yesterday"], '--since must be a date such as 2026-11-01 (got "yesterday")'),
  flag(
    ["list", "--config", "missing.yaml"],
    "config file not found: missing.yaml",
    "Check the --config path (relative to the project root).",
  ),

  // 360-eval's flags (benchmarks_run.py): translated, then checked as ours.
  {
    ...flag(["--parallel_calls", "-3"], "--concurrency must be a positive integer (got -3)"),
    note: "--parallel_calls → --concurrency -3",
  },
  {
    ...flag(["--parallel_calls", ""], "--concurrency needs a positive integer (got a blank value)", BLANK),
    note: "--parallel_calls → --concurrency ",
  },
  {
    ...flag(["--evaluation_pass_threshold", "9"], "--threshold must be between 1 and 5 (got 9)"),
    note: "--evaluation_pass_threshold → --threshold 9",
  },
  flag(["--parallel_calls"], "--parallel_calls needs a value (the seed's flag; ours is --concurrency)"),
  flag(
    ["--sleep_between_invocations", "soon"],
    '--sleep_between_invocations must be a number of seconds (got "soon")',
  ),
  flag(
    ["--report", "maybe"],
    '--report must be true or false (got "maybe"); 360-eval reads anything but "true" as false',
  ),
  flag(
    ["--stream_evaluation", "1"],
    '--stream_evaluation must be true or false (got "1"); 360-eval reads anything but "true" as false',
  ),
  flag(
    ["--latency_only_mode"],
    "--latency_only_mode needs a value (the seed's flag; ours is --latency-only)",
  ),
  flag(
    ["--judge_file_name", "judges-typo.jsonl"],
    "--judge_file_name judges-typo.jsonl: no such file in runs/ (where 360-eval looks: runs/judges-typo.jsonl), nor at judges-typo.jsonl or config/judges-typo.jsonl",
    "Put the file in runs/, or give its path from the project root.",
  ),
  flag(["--model_file_name", "/nope/m.jsonl"], "--model_file_name /nope/m.jsonl: no such file"),
  {
    name: "an input file named bare that is both in the root and in runs/ (generated)",
    files: {
      "input.jsonl": '{"text_prompt":"a","task":{"task_type":"T","task_criteria":"c"}}\n',
      "runs/input.jsonl": '{"text_prompt":"b","task":{"task_type":"T","task_criteria":"c"}}\n',
    },
    args: ["list", "input.jsonl"],
    error:
      "input.jsonl names two eval files: input.jsonl and runs/input.jsonl (where 360-eval keeps its input files)",
    hint: "Give the one you mean: ./input.jsonl or runs/input.jsonl.",
  },

  // Config files (generated)
  {
    name: "a YAML alias bomb in evals.config.yaml (generated)",
    files: { "evals.config.yaml": ALIAS_BOMB },
    problems: [`evals.config.yaml: ${ALIAS_BOMB_PROBLEM}`],
  },
  {
    name: "evals.config.ts with a syntax error (generated)",
    files: { "evals.config.ts": "export default {\n  run: { concurrency: 2,\n};\n" },
    problems: ['evals.config.ts:3: syntax error: Expected "}" but found ";"'],
  },
  {
    name: "evals.config.ts without a default export (generated)",
    files: { "evals.config.ts": "export const config = { run: { concurrency: 2 } };\n" },
    problems: ["evals.config.ts: no default export; use export default defineConfig({ ... })"],
  },
  {
    name: "evals.config.ts whose config function throws (generated)",
    files: { "evals.config.ts": "export default () => {\n  throw new Error('no config today');\n};\n" },
    problems: ["evals.config.ts: the config function threw: no config today"],
  },
  {
    name: "a blank number in evals.config.yaml (generated)",
    files: { "evals.config.yaml": 'gate:\n  minPassRate: ""\n  maxCost: " "\n' },
    problems: [
      'evals.config.yaml:2: gate.minPassRate: must be a fraction from 0 to 1, e.g. 0.9 for 90% (got "")',
      'evals.config.yaml:3: gate.maxCost: must be a number ≥ 0 (USD) (got " ")',
    ],
  },
  {
    name: "an empty (null) number in evals.config.yaml (generated)",
    files: { "evals.config.yaml": "run:\n  concurrency: ~\n" },
    problems: ["evals.config.yaml:2: run.concurrency: must be a positive integer (got null)"],
  },
  {
    name: "a negative number in evals.config.yaml (generated)",
    files: { "evals.config.yaml": "gate:\n  maxCost: -1\n" },
    problems: ["evals.config.yaml:2: gate.maxCost: must be a number ≥ 0 (USD) (got -1)"],
  },
  {
    name: "a key twice in evals.config.yaml (generated)",
    files: { "evals.config.yaml": "run:\n  concurrency: 2\nrun:\n  workers: 1\n" },
    problems: ["evals.config.yaml:3: invalid YAML: Map keys must be unique (column 1)"],
  },
  {
    name: "tab indentation in evals.config.yaml (generated)",
    files: { "evals.config.yaml": "run:\n\tconcurrency: 2\n" },
    problems: ["evals.config.yaml:2: invalid YAML: Tabs are not allowed as indentation (column 1)"],
  },
  {
    name: "a number for a file in evals.config.yaml (generated)",
    files: { "evals.config.yaml": "models: 3\n" },
    problems: ["evals.config.yaml:1: models: must be a string (got 3)"],
  },
  {
    name: "an unknown jury rule in evals.config.yaml (generated)",
    files: { "evals.config.yaml": "jury:\n  aggregate: avg\n" },
    problems: ['evals.config.yaml:2: jury.aggregate: must be mean, median or majority (got "avg")'],
  },

  // Prices per 1,000 or per million tokens, service tiers, endpoints (issue 18) (generated)
  {
    name: "price_unit that is not a unit (generated)",
    files: {
      "config/models_profiles.jsonl": '{"model_id":"mock/a","input_token_cost":1,"price_unit":"per_token"}\n',
    },
    problems: [
      'config/models_profiles.jsonl:1: price_unit: must be "per_1k" or "per_million" (got "per_token")',
    ],
  },
  {
    name: "a negative tier price (generated)",
    files: {
      "config/models_profiles.jsonl":
        '{"model_id":"mock/a","tier_pricing":{"default":{"input":-1,"output":2}}}\n',
    },
    problems: [
      "config/models_profiles.jsonl:1: tier_pricing.default.input: must be a number ≥ 0, in USD per 1,000,000 tokens (got -1)",
    ],
  },
  {
    name: "batch that is not a boolean (generated)",
    files: { "config/models_profiles.jsonl": '{"model_id":"mock/a","batch":"yes"}\n' },
    problems: ['config/models_profiles.jsonl:1: batch: must be true or false (got "yes")'],
  },
  {
    name: "a batch_discount of 50 (generated)",
    files: { "config/models_profiles.jsonl": '{"model_id":"mock/a","batch_discount":50}\n' },
    problems: [
      "config/models_profiles.jsonl:1: batch_discount: must be a number from 0 up to (not including) 1, the share off the on-demand price: 0.5 is half price (got 50)",
    ],
  },
  {
    name: "a negative batch price (generated)",
    files: { "config/models_profiles.jsonl": '{"model_id":"mock/a","batch_input_token_cost":-1}\n' },
    problems: [
      "config/models_profiles.jsonl:1: batch_input_token_cost: must be a number ≥ 0, in USD per 1,000 tokens like input_token_cost (got -1)",
    ],
  },
  {
    name: "a batch_s3_uri that is not an S3 location (generated)",
    files: {
      "config/models_profiles.jsonl":
        '{"model_id":"bedrock/x","region":"us-east-1","batch_s3_uri":"bucket/x"}\n',
    },
    problems: [
      'config/models_profiles.jsonl:1: batch_s3_uri: must be an S3 location s3://bucket[/prefix] such as "s3://my-bucket/jury-batch" (got "bucket/x")',
    ],
  },
  {
    name: "a batch_role_arn that is not an ARN (generated)",
    files: {
      "config/models_profiles.jsonl":
        '{"model_id":"bedrock/x","region":"us-east-1","batch_role_arn":"BedrockBatch"}\n',
    },
    problems: [
      'config/models_profiles.jsonl:1: batch_role_arn: must be the ARN of the IAM role Bedrock assumes, such as "arn:aws:iam::123456789012:role/BedrockBatch" (got "BedrockBatch")',
    ],
  },
  {
    name: "a bedrock/ batch profile without its bucket and role (generated)",
    files: { "config/models_profiles.jsonl": '{"model_id":"bedrock/x","region":"us-east-1","batch":true}\n' },
    problems: [
      'config/models_profiles.jsonl:1: batch_s3_uri: required for bedrock/ batch inference ("batch": true): add "batch_s3_uri", the S3 location batch input and output go to, e.g. "s3://my-bucket/jury-batch"',
      'config/models_profiles.jsonl:1: batch_role_arn: required for bedrock/ batch inference ("batch": true): add "batch_role_arn", the ARN of an IAM role Bedrock can assume to read and write it',
    ],
  },
  {
    name: "an unknown endpoint (generated)",
    files: { "config/models_profiles.jsonl": '{"model_id":"mock/a","endpoint":"bedrock_runtime"}\n' },
    problems: [
      'config/models_profiles.jsonl:1: endpoint: must be "bedrock_mantle" (Bedrock\'s OpenAI-compatible endpoint) or left out (got "bedrock_runtime")',
    ],
  },
  // Profiles (generated)
  {
    name: "a YAML alias bomb as --models (generated)",
    files: { "config/models.yaml": ALIAS_BOMB },
    args: ["list", "--models", "config/models.yaml"],
    problems: [`config/models.yaml: ${ALIAS_BOMB_PROBLEM}`],
  },
  {
    name: "--models naming a file that does not exist",
    args: ["list", "--models", "missing.jsonl"],
    problems: ["missing.jsonl: model profile file not found (set by --models); check the path"],
  },
  {
    name: "--judges naming a file that does not exist",
    args: ["list", "--judges", "missing.jsonl"],
    problems: ["missing.jsonl: judge profile file not found (set by --judges); check the path"],
  },
  {
    name: "a model_id that is a number (generated)",
    files: { "config/models_profiles.jsonl": '{"model_id":3}\n' },
    problems: [
      'config/models_profiles.jsonl:1: model_id: required: a provider-prefixed id such as "bedrock/us.amazon.nova-pro-v1:0" (got 3)',
    ],
  },
  {
    name: "a model_id without a provider prefix is a Bedrock one, which needs a region (generated)",
    files: { "config/models_profiles.jsonl": '{"model_id":"gpt-4o"}\n' },
    problems: [
      'config/models_profiles.jsonl:1: region: required for bedrock/ models: add "region": "us-east-1" (or the region to call)',
    ],
  },
  {
    name: "a cost that is not a number (generated)",
    files: { "config/models_profiles.jsonl": '{"model_id":"mock/m","input_token_cost":"abc"}\n' },
    problems: [
      'config/models_profiles.jsonl:1: input_token_cost: must be a number ≥ 0, in USD per 1,000 tokens (got "abc")',
    ],
  },
  {
    name: "a profile line cut short (generated)",
    files: { "config/models_profiles.jsonl": '{"model_id":"mock/m"}\n{"model_id":\n' },
    problems: [
      "config/models_profiles.jsonl:2: invalid JSON (Unexpected end of JSON input); each line must be one JSON object",
    ],
  },
  {
    name: "a YAML profile file with a syntax error (generated)",
    files: { "config/models.yaml": "- model_id: mock/m\n  - x\n" },
    args: ["list", "--models", "config/models.yaml"],
    problems: [
      "config/models.yaml:2: invalid YAML: A block sequence may not be used as an implicit map key (column 1)",
    ],
  },
  {
    name: "a YAML profile file that is not a list (generated)",
    files: { "config/models.yaml": "model_id: mock/m\n" },
    args: ["list", "--models", "config/models.yaml"],
    problems: ["config/models.yaml:1: must be a list of profiles, or {models: [...]}"],
  },

  // Eval files (generated)
  {
    name: "out-of-range numbers in .eval.jsonl (generated)",
    files: {
      "evals/b.eval.jsonl": [
        { expected_output_tokens: -5 },
        { expected_output_tokens: 1.5 },
        { temperature: -0.1 },
      ]
        .map((o) => JSON.stringify({ text_prompt: "x", task: { task_type: "T" }, ...o }))
        .join("\n"),
    },
    problems: [
      "evals/b.eval.jsonl:1: expected_output_tokens: must be a positive integer (got -5)",
      "evals/b.eval.jsonl:2: expected_output_tokens: must be a positive integer (got 1.5)",
      "evals/b.eval.jsonl:3: temperature: must be a number from 0 to 2 (got -0.1)",
    ],
  },
  {
    name: "wrong types of the optional fields of .eval.jsonl (generated)",
    files: {
      "evals/b.eval.jsonl": [
        { task: { task_type: "T", task_criteria: 5 } },
        { url_image: 5 },
        { system: [1] },
        { only: "yes" },
        { id: { a: 1 } },
      ]
        .map((o) => JSON.stringify({ text_prompt: "x", task: { task_type: "T" }, ...o }))
        .join("\n"),
    },
    problems: [
      "evals/b.eval.jsonl:1: task.task_criteria: must be a string (got 5)",
      "evals/b.eval.jsonl:2: url_image: must be a string (got 5)",
      "evals/b.eval.jsonl:3: system: must be a string (got an array)",
      'evals/b.eval.jsonl:4: only: must be true or false (got "yes")',
      "evals/b.eval.jsonl:5: id: must be a string or a number (got an object)",
    ],
  },
  {
    name: "wrong types in the $eval header (generated)",
    files: {
      "evals/b.eval.jsonl": `${JSON.stringify({ $eval: { judges: "mock/j", metrics: 5 } })}\n${JSON.stringify({ text_prompt: "x", task: { task_type: "T" } })}\n`,
    },
    problems: [
      'evals/b.eval.jsonl:1: $eval.judges: must be an array of profile keys or model ids (got "mock/j")',
      "evals/b.eval.jsonl:1: $eval.metrics: must be a comma-separated string or an array of strings (got 5)",
    ],
  },
  // Conversations, tools and structured output (issue 20), one bad field a row.
  conversationRow("messages empty", { messages: [] }, [
    'messages: must be a non-empty array of turns like {"role": "user", "content": "..."} (got an empty array)',
  ]),
  conversationRow(
    "messages not ending with a user turn",
    {
      messages: [
        { role: "user", content: "a" },
        { role: "assistant", content: "b" },
      ],
    },
    [
      'messages[1].role: the last turn must be a user turn, which the model answers (got "assistant"); end with {"role": "user", …}',
    ],
  ),
  conversationRow(
    "text_prompt with messages",
    { text_prompt: "p", messages: [{ role: "user", content: "a" }] },
    ["text_prompt: leave it out when messages is given: the prompt is the last user turn"],
  ),
  conversationRow(
    "messages and turns",
    { turns: [{ user: "a" }], messages: [{ role: "user", content: "a" }] },
    ["turns: give messages or turns, not both (turns is a scripted exchange sent turn by turn)"],
  ),
  conversationRow(
    "a tool whose parameters are not a JSON Schema",
    { text_prompt: "p", tools: [{ name: "t", parameters: { type: "nope" } }] },
    [
      "tools[0].parameters: not a valid JSON Schema: schema is invalid: data/type must be equal to one of the allowed values, data/type must be array, data/type must match a schema in anyOf",
    ],
  ),
  conversationRow(
    "a tool result for a tool not declared",
    { text_prompt: "p", tools: [WEATHER_TOOL], tool_results: { get_time: "noon" } },
    [
      'tool_results.get_time: no tool "get_time" in tools (declared: get_weather); declare it or fix the name',
    ],
  ),
  conversationRow("an unknown tool_choice", { text_prompt: "p", tools: [WEATHER_TOOL], tool_choice: "any" }, [
    'tool_choice: must be "auto", "required", "none" or {"name": "<a tool in tools>"} (got "any")',
  ]),
  conversationRow(
    "a tool_choice naming an undeclared tool",
    { text_prompt: "p", tools: [WEATHER_TOOL], tool_choice: { name: "get_time" } },
    ['tool_choice.name: no tool "get_time" in tools (declared: get_weather); declare it or fix the name'],
  ),
  conversationRow("a tool_choice without tools", { text_prompt: "p", tool_choice: "required" }, [
    "tool_choice: needs tools: it says whether the model must call one of them; declare tools or remove tool_choice",
  ]),
  conversationRow("max_tool_steps 0", { text_prompt: "p", tools: [WEATHER_TOOL], max_tool_steps: 0 }, [
    "max_tool_steps: must be an integer of 1 or more: the most model calls of one turn's tool loop (got 0)",
  ]),
  conversationRow(
    "an unknown tool_order",
    {
      text_prompt: "p",
      tools: [WEATHER_TOOL],
      expected_tool_calls: [{ name: "get_weather" }],
      tool_order: "strict",
    },
    ['tool_order: must be "exact", "in_order" or "any" (got "strict")'],
  ),
  conversationRow(
    "an output_schema that is not a JSON Schema",
    { text_prompt: "p", output_schema: { type: "object", required: "a" } },
    ["output_schema: not a valid JSON Schema: schema is invalid: data/required must be array"],
  ),
  {
    name: "a last .eval.jsonl line cut short (generated)",
    files: {
      "evals/c.eval.jsonl": '{"text_prompt":"x","task":{"task_type":"T"}}\n{"text_prompt":"y","ta',
    },
    problems: ["evals/c.eval.jsonl:2: invalid JSON: Unterminated string at column 23"],
  },
  {
    name: "a local url_image of 5 MB, too large for Bedrock (generated)",
    files: { ...VISION_MODELS, "evals/v.eval.jsonl": imageScenario("img/five.png") },
    sparse: { "evals/img/five.png": { head: PNG, size: 5_000_000 } },
    problems: [`evals/v.eval.jsonl:1: url_image: evals/img/five.png is 5 MB, ${BEDROCK_LIMIT}`],
  },
  {
    name: "a local url_image of 300 MB, too large for every provider of the plan (generated)",
    files: { ...VISION_MODELS, "evals/v.eval.jsonl": imageScenario("img/huge.png") },
    sparse: { "evals/img/huge.png": { head: PNG, size: 300_000_000 } },
    problems: [
      `evals/v.eval.jsonl:1: url_image: evals/img/huge.png is 300 MB, ${BEDROCK_LIMIT}`,
      `evals/v.eval.jsonl:1: url_image: evals/img/huge.png is 300 MB, ${LLAVA_LIMIT}`,
    ],
  },
  {
    name: "a local url_image that is not an image (generated)",
    files: {
      ...VISION_MODELS,
      "evals/v.eval.jsonl": imageScenario("not-an-image.png"),
      "evals/not-an-image.png": readFileSync(join(BAD, "..", "images", "not-an-image.png")),
    },
    problems: [
      "evals/v.eval.jsonl:1: url_image: not an image: evals/not-an-image.png is not a JPG, PNG, GIF, WebP or BMP file",
    ],
  },
  {
    // One project for these: collecting .eval.ts files starts a worker pool, the slow part.
    name: ".eval.ts files with export problems: no defineEval, a throw, bad scenarios, a name twice (generated)",
    files: {
      "evals/a1.eval.ts": "export const x = 1;\n",
      "evals/a2.eval.ts": "throw new Error('boom at import');\n",
      "evals/a3.eval.ts": `${DEFINE_EVAL}defineEval("e", { scenarios: 3 });\n`,
      "evals/a4.eval.ts": `${DEFINE_EVAL}defineEval("e", { scenarios: [{ taskType: "T" }] });\n`,
      "evals/a5.eval.ts": `${DEFINE_EVAL}${['"a"', '"b"'].map((p) => `defineEval("e", { scenarios: [{ prompt: ${p}, taskType: "T" }] });\n`).join("")}`,
      "evals/a6.eval.ts": `${DEFINE_EVAL}defineEval("e", { scenarios: "./missing.jsonl" });\n`,
    },
    problems: [
      'evals/a1.eval.ts: no defineEval() call found; import { defineEval } from "jury" and declare an eval',
      // At the throwing expression: eval files are bundled with a source map, CommonJS projects' too.
      excerpt(
        "evals/a2.eval.ts:1:7: cannot load this eval file: boom at import",
        "throw new Error('boom at import');",
        7,
      ),
      `evals/a3.eval.ts:2: scenarios: must be an array, a function returning one, or a path to a .jsonl file`,
      `evals/a4.eval.ts:2: e.scenarios[0].prompt: required: a non-empty string`,
      `evals/a5.eval.ts:3: defineEval: duplicate eval name "e"; names must be unique within a file`,
      expect.stringMatching(
        /^evals\/a6\.eval\.ts:2: scenarios: cannot read \.\/missing\.jsonl: ENOENT: no such file or directory, open '.*\/evals\/missing\.jsonl'$/,
      ),
    ],
  },
  {
    // One project for the CommonJS ones (a package.json without "type": "module"), one for the ES module ones.
    name: ".eval.ts files that cannot be loaded: syntax errors, missing modules, a throw at import (generated)",
    files: {
      "evals/syntax.eval.ts": `${DEFINE_EVAL}\ndefineEval("x", {\n  scenarios: [{ prompt: "hi" }],\n  task: async () => { const a = 1 ) },\n});\n`,
      "evals/helper.ts": "export const rows = [\n  { prompt: 'a' }\n  { prompt: 'b' },\n];\n",
      "evals/uses-helper.eval.ts": `${DEFINE_EVAL}import { rows } from "./helper.ts";\ndefineEval("y", { scenarios: rows });\n`,
      "evals/multi.eval.ts": `${DEFINE_EVAL}const a = ;\nconst b = ;\n`,
      "evals/missing.eval.ts": `${DEFINE_EVAL}import { rows } from "./nope.ts";\ndefineEval("z", { scenarios: rows });\n`,
      "evals/missing-package.eval.ts": `${DEFINE_EVAL}import rows from "no-such-package-anywhere";\ndefineEval("w", { scenarios: rows });\n`,
      "evals/throws.eval.ts": `${DEFINE_EVAL}const model = process.env.NO_SUCH_EVAL_MODEL;\nif (!model) throw new Error("NO_SUCH_EVAL_MODEL is not set");\ndefineEval("u", { scenarios: [{ prompt: model }] });\n`,
      "evals/runtime.eval.ts": `${DEFINE_EVAL}const rows = JSON.parse("{not json");\ndefineEval("r", { scenarios: rows });\n`,
    },
    problems: [
      excerpt(
        "evals/missing-package.eval.ts:2:19: cannot load this eval file: Cannot find package 'no-such-package-anywhere'",
        'import rows from "no-such-package-anywhere";',
        19,
      ),
      excerpt(
        "evals/missing.eval.ts:2:23: cannot load this eval file: Cannot find module './nope.ts'",
        'import { rows } from "./nope.ts";',
        23,
      ),
      // Of two syntax errors, the first.
      excerpt('evals/multi.eval.ts:2:11: Unexpected ";"', "const a = ;", 11),
      // A throw on a line that does not spell its message: at the throwing call, from the mapped stack.
      excerpt(
        `evals/runtime.eval.ts:2:19: cannot load this eval file: SyntaxError: ${jsonError("{not json")}`,
        'const rows = JSON.parse("{not json");',
        19,
      ),
      excerpt(
        'evals/syntax.eval.ts:5:35: Expected ";" but found ")"',
        "  task: async () => { const a = 1 ) },",
        35,
      ),
      excerpt(
        `evals/throws.eval.ts:3:19: cannot load this eval file: NO_SUCH_EVAL_MODEL is not set`,
        'if (!model) throw new Error("NO_SUCH_EVAL_MODEL is not set");',
        19,
      ),
      excerpt(
        'evals/helper.ts:3:3: Expected "]" but found "{" (imported by evals/uses-helper.eval.ts)',
        "  { prompt: 'b' },",
        3,
      ),
    ],
  },
  {
    name: ".eval.ts ES modules that cannot be loaded: a missing package, a throw in an imported helper (generated)",
    files: {
      "package.json": '{ "type": "module" }\n',
      "evals/missing-package.eval.ts": `${DEFINE_EVAL}import rows from "no-such-package-anywhere";\ndefineEval("w", { scenarios: rows });\n`,
      "evals/lib/settings.ts":
        'export function settings() {\n  throw new TypeError("EVAL_MODEL is not set");\n}\n',
      "evals/throws.eval.ts": `${DEFINE_EVAL}import { settings } from "./lib/settings.ts";\n\nconst s = settings();\ndefineEval("v", { scenarios: [{ prompt: String(s) }] });\n`,
    },
    problems: [
      excerpt(
        "evals/missing-package.eval.ts:2:19: cannot load this eval file: Cannot find package 'no-such-package-anywhere'",
        'import rows from "no-such-package-anywhere";',
        19,
      ),
      excerpt(
        "evals/lib/settings.ts:2:9: cannot load evals/throws.eval.ts: TypeError: EVAL_MODEL is not set",
        '  throw new TypeError("EVAL_MODEL is not set");',
        9,
      ),
    ],
  },
  {
    name: "an RLE-compressed BMP as a scenario image: only what is true, no 'does not support vision' (generated)",
    files: { ...VISION_MODELS, "evals/v.eval.jsonl": imageScenario("rle.bmp"), "evals/rle.bmp": RLE_BMP },
    problems: [
      "evals/v.eval.jsonl:1: url_image: evals/rle.bmp: BMP with RLE8 compression is not supported; convert it to PNG",
    ],
  },
  {
    name: ".eval.ts scenarios with a missing image and one too large (generated)",
    files: {
      ...VISION_MODELS,
      "evals/v.eval.ts": `${DEFINE_EVAL}defineEval("vision", { scenarios: [
  { id: "gone", prompt: "p", taskType: "T", image: "missing.png" },
  { id: "big", prompt: "p", taskType: "T", image: "big.png" },
] });
`,
    },
    sparse: { "evals/big.png": { head: PNG, size: 25_000_000 } },
    problems: [
      "evals/v.eval.ts:2: vision › gone › image: file not found: evals/missing.png",
      `evals/v.eval.ts:2: vision › big › image: evals/big.png is 25 MB, ${BEDROCK_LIMIT}`,
      `evals/v.eval.ts:2: vision › big › image: evals/big.png is 25 MB, ${LLAVA_LIMIT}`,
    ],
  },

  // Run directories: --resume, --retry-errors, --baseline, report and merge of runs that are missing, cut
  // short or not runs. Nothing in them changes.
  flag(["--resume", "nope"], (root) => `no run "nope" in ${root}/outputs/runs`),
  flag(["--resume", "latest"], (root) => `no run to resume in ${root}/outputs/runs`),
  flag(["--retry-errors", "latest"], (root) => `no run to resume in ${root}/outputs/runs`),
  {
    ...flag(["--resume", "latest"], (root) => `${root}/${RUN}/run.json: ${CUT}`, CUT_HINT),
    name: "--resume latest of a run whose run.json is cut short",
    files: run(TRUNCATED),
  },
  {
    ...flag(["--retry-errors", "latest"], (root) => `${root}/${RUN}/run.json: ${CUT}`, CUT_HINT),
    name: "--retry-errors latest of a run whose run.json is cut short",
    files: run(TRUNCATED),
  },
  {
    ...flag(
      ["--resume", "latest"],
      (root) => `${root}/${RUN}/run.json: not a run's JSON (got an array)`,
      PASS,
    ),
    name: "--resume latest of a run whose run.json is a list",
    files: run("[]\n"),
  },
  {
    ...flag(
      ["--resume", "latest"],
      (root) => `${root}/${RUN}/run.json: no "cases" list: not the run.json of a run`,
      "Pass a run id or latest.",
    ),
    name: "--resume latest of a run whose run.json has no plan",
    files: run("{}\n"),
  },
  {
    ...flag(["report", RUN], (root) => `${root}/${RUN}/run.json: ${CUT}`, CUT_HINT),
    name: "evals report of a run whose run.json is cut short",
    files: run(TRUNCATED),
  },
  {
    ...flag(
      ["report", `${RUN}/run.json`],
      (root) => `${root}/${RUN}/run.json: not valid JSON (${jsonError('{"a":1,}')})`,
      PASS,
    ),
    name: "evals report of a run.json that is not JSON",
    files: run('{"a":1,}\n'),
  },
  flag(["report", "nowhere"], (root) => `${root}/nowhere/run.json: not found`, PASS),
  {
    ...flag(["report", "config"], (root) => `${root}/config/run.json: not found`, PASS),
    name: "evals report of a directory that is not a run",
  },
  {
    ...flag(["merge", RUN], (root) => `${root}/${RUN}/run.json: ${CUT}`, CUT_HINT),
    name: "evals merge of a run whose run.json is cut short",
    files: run(TRUNCATED),
  },
  flag(["merge", "a", "b"], (root) => `${root}/a/run.json: not found`, PASS),
  {
    ...flag(
      ["merge", RUN],
      (root) => `${root}/${RUN} has not finished (its run.json has no results yet)`,
      "Resume it with --resume first.",
    ),
    name: "evals merge of a run that has not finished",
    files: run(`${JSON.stringify({ runId: RUN_ID, status: "running", cases: [] })}\n`),
  },
  flag(["--baseline", "nowhere"], (root) => `${root}/nowhere/run.json: not found`, PASS),
  {
    ...flag(["--baseline", RUN], (root) => `${root}/${RUN}/run.json: ${CUT}`, CUT_HINT),
    name: "--baseline naming a run whose run.json is cut short",
    files: run(TRUNCATED),
  },
  {
    name: "evals merge of 2 of 3 shards",
    files: SHARDED,
    runs: SHARDS,
    args: ([d1 = "", d2 = ""]) => ["merge", d1, d2],
    error: "cannot merge a partial or repeated set of shards: missing shard 3/3",
    hint: SHARDS_HINT,
  },
  {
    name: "evals merge of a shard given twice",
    files: SHARDED,
    runs: SHARDS,
    args: ([d1 = "", d2 = ""]) => ["merge", d1, d2, d2],
    error: (_, [, d2]) =>
      `cannot merge a partial or repeated set of shards: missing shard 3/3; shard 2/3 given twice: ${d2}, ${d2}`,
    hint: SHARDS_HINT,
  },
  {
    name: "evals merge of shards of different plans",
    files: SHARDED,
    runs: [shard("1/3"), shard("2/3"), shard("3/3", "a.eval")],
    args: (runs) => ["merge", ...runs],
    error: (root, [d1 = "", , d3 = ""]) =>
      `${d1} is shard 1/3 of plan ${planOf(root, d1)} but ${d3} is shard 3/3 of plan ${planOf(root, d3)}; only the shards of one plan can be merged`,
    hint: "Merge the runs of one --shard i/n series, made from the same eval files, profiles and flags.",
  },
];

/** The CLI's whole stderr for these problems. */
function inputError(problems: BadInput["problems"] & {}): string {
  const n = problems.length;
  return `error: ${n} problem${n === 1 ? "" : "s"} in the input; nothing was run.\n${problems.map((p) => `  ${p}\n`).join("")}`;
}

/** Runs each command line in the project; the run dir each made (relative to the project), in order. */
async function makeRuns(root: string, runs: string[][]): Promise<string[]> {
  const dirs: string[] = [];
  const runsDir = join(root, "outputs", "runs");
  for (const args of runs) {
    const before = new Set(existsSync(runsDir) ? readdirSync(runsDir) : []);
    const res = await runCli(root, args);
    if (res.code !== 0) throw new Error(`evals ${args.join(" ")} exited ${res.code}:\n${res.stderr}`);
    const made = readdirSync(runsDir).filter((d) => !before.has(d));
    if (made.length !== 1) throw new Error(`evals ${args.join(" ")} made ${made.length} run dirs`);
    dirs.push(join("outputs", "runs", made[0] as string));
  }
  return dirs;
}

/** Every file of the project (its node_modules link aside) with its size and time: what a refused run must not change. */
function filesOf(root: string): string[] {
  return listTree(root, { skip: ["node_modules"] })
    .map((e) => {
      const path = join(e.parentPath, e.name);
      const st = statSync(path);
      return `${relative(root, path)} ${e.isDirectory() ? "dir" : `${st.size} ${st.mtimeMs}`}`;
    })
    .sort();
}

/** Exit 2, no stack trace, nothing on stdout, no file created or changed (`before` is `filesOf` before the run). */
function expectRefused(res: CliResult, root: string, before: string[], e: typeof expect): void {
  e(res.stderr).not.toMatch(/\n\s+at |internal error/);
  e(res.stdout).toBe("");
  e(res.code).toBe(2);
  e(filesOf(root)).toEqual(before);
}

describe.concurrent("bad input: exit 2, every problem as file:line: field: problem, nothing run", () => {
  it("the corpus has at least 120 cases and every file of fixtures/bad/ is one of them", () => {
    const files = ["evals", "profiles", "config"].flatMap((kind) =>
      readdirSync(join(BAD, kind)).map((f) => `${kind}/${f}`),
    );
    expect(files.length).toBeGreaterThanOrEqual(30);
    expect(files.filter((f) => !CORPUS.some((c) => c.name === f))).toEqual([]);
    expect(CORPUS.length).toBeGreaterThanOrEqual(120);
    expect(new Set(CORPUS.map((c) => c.name)).size).toBe(CORPUS.length);
    for (const c of CORPUS) expect(c.problems === undefined, c.name).toBe(c.error !== undefined);
  });

  it.for(CORPUS)("$name", async ({ files, sparse, runs, args, problems, error, hint, note }, { expect }) => {
    const root = createFixtureProject({ ...VALID, ...files });
    for (const [path, { head, size }] of Object.entries(sparse ?? {})) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), head);
      truncateSync(join(root, path), size);
    }
    const runDirs = await makeRuns(root, runs ?? []);
    const before = filesOf(root);
    const res = await runCli(root, typeof args === "function" ? args(runDirs) : (args ?? ["list"]));
    if (problems) {
      const [header, ...lines] = res.stderr.split("\n");
      expect(header).toBe(inputError(problems).split("\n")[0]);
      expect(lines.map((l) => l.replace(/^ {2}/, ""))).toEqual([
        ...problems.flatMap((p) => (typeof p === "string" ? p.split("\n") : [p])),
        "",
      ]);
    } else {
      const message = typeof error === "function" ? error(root, runDirs) : error;
      expect(res.stderr).toBe(
        `${note ? `note: 360-eval flag ${note}\n` : ""}error: ${message}\n${hint ? `hint: ${hint}\n` : ""}`,
      );
    }
    expectRefused(res, root, before, expect);
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
    const before = filesOf(root);
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
    expectRefused(res, root, before, expect);
  });

  it("refuses --reporter with an unknown name before creating anything", async ({ expect }) => {
    const root = createFixtureProject(VALID);
    const before = filesOf(root);
    const res = await runCli(root, ["--reporter", "json", "--reporter", "nope"]);
    expect(res.stderr).toBe(`error: --reporter: unknown reporter "nope"; ${REPORTERS}\n`);
    expectRefused(res, root, before, expect);
    expect(existsSync(join(root, "outputs"))).toBe(false);
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
