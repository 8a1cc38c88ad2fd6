/** A file `evals init` writes: path relative to the project root, and its content. */
export interface ScaffoldFile {
  path: string;
  content: string;
}

/** What `evals init` will do with each file. */
export interface ScaffoldPlan {
  write: ScaffoldFile[];
  /** Files that exist and are kept (without `force`). */
  skip: ScaffoldFile[];
}

// What the config explains, as comment lines (without the comment marker): the same in both formats. `run` is
// the command that runs the evals.
const profilesNote = (run: string) => [
  `The profiles below are simulated mock/ models and judges: \`${run}\` runs offline, without credentials,`,
  "and everything it reports is labelled simulated. To evaluate real models, add lines to these files (or",
  "point at new ones) — costs are USD per 1,000 tokens:",
  '  {"model_id": "bedrock/us.amazon.nova-pro-v1:0", "region": "us-west-2", "input_token_cost": 0.0008, "output_token_cost": 0.0032}',
  '  {"model_id": "openai/gpt-4o", "input_token_cost": 0.0025, "output_token_cost": 0.01}',
  '  {"model_id": "gemini/gemini-2.5-flash", "input_token_cost": 0.0003, "output_token_cost": 0.0025}',
  "and put credentials in the environment or a .env file: AWS credentials (AWS_PROFILE or AWS_ACCESS_KEY_ID…)",
  "for bedrock/, OPENAI_API_KEY for openai/, GEMINI_API_KEY for gemini/. Judges work the same way.",
];
const JURY_NOTE = "A dimension whose jury average is below the threshold (1-5) fails the case.";
const gateNote = (run: string) =>
  `The share of cases that must pass for \`${run}\` to exit 0 (1 = every case).`;
const comment = (marker: string, lines: readonly string[]) => lines.map((l) => `${marker} ${l}\n`).join("");

const configTs = (run: string) => `import { defineConfig } from "jury";

export default defineConfig({
  include: ["evals/**/*.eval.{jsonl,ts}"],
${comment("  //", profilesNote(run))}  models: "config/models_profiles.jsonl",
  judges: "config/judge_profiles.jsonl",
${comment("  //", [JURY_NOTE])}  jury: { threshold: 3, aggregate: "mean" },
${comment("  //", [gateNote(run)])}  gate: { minPassRate: 1 },
});
`;

const configYaml = (
  run: string,
) => `${comment("#", ["jury config (evals.config.ts works too, with types, once jury is installed here)."])}include: ["evals/**/*.eval.{jsonl,ts}"]
${comment("#", profilesNote(run))}models: config/models_profiles.jsonl
judges: config/judge_profiles.jsonl
${comment("#", [JURY_NOTE])}jury: { threshold: 3, aggregate: mean }
${comment("#", [gateNote(run)])}gate: { minPassRate: 1 }
`;

const MODELS = `${[
  '{"model_id": "mock/nova-like", "input_token_cost": 0.0008, "output_token_cost": 0.0032, "mock": {"quality": 0.97, "ttft_ms": 120, "tokens_per_s": 300}}',
  '{"model_id": "mock/haiku-like", "input_token_cost": 0.001, "output_token_cost": 0.005, "mock": {"quality": 0.92, "ttft_ms": 80, "tokens_per_s": 400}}',
].join("\n")}\n`;

const JUDGES = `${[
  '{"model_id": "mock/judge-a", "input_cost_per_1k": 0.003, "output_cost_per_1k": 0.015}',
  '{"model_id": "mock/judge-b", "input_cost_per_1k": 0.00024, "output_cost_per_1k": 0.00097}',
  '{"model_id": "mock/judge-c", "input_cost_per_1k": 0.0025, "output_cost_per_1k": 0.0125}',
].join("\n")}\n`;

const scenario = (id: string, prompt: string, taskType: string, criteria: string, golden: string) =>
  JSON.stringify({
    id,
    text_prompt: prompt,
    expected_output_tokens: 200,
    task: { task_type: taskType, task_criteria: criteria },
    golden_answer: golden,
  });

const FIRST_EVAL = `${[
  scenario(
    "edge-computing",
    "Summarize the principles of edge computing in one sentence.",
    "Summarization",
    "Keep the main message intact in a single sentence.",
    "Edge computing processes data close to where it is produced instead of in a distant data center, which cuts latency and saves bandwidth.",
  ),
  scenario(
    "capital-uruguay",
    "What is the capital of Uruguay?",
    "Question Answering",
    "Name the city correctly; one short sentence.",
    "Montevideo is the capital of Uruguay.",
  ),
  scenario(
    "top-customers-sql",
    "Given the table orders(order_id, customer_id, total_amount), write a SQL query that returns the 5 customers with the highest total spend.",
    "Text-to-SQL",
    "Valid SQL that answers the question; no explanation.",
    "SELECT customer_id, SUM(total_amount) AS total_spend FROM orders GROUP BY customer_id ORDER BY total_spend DESC LIMIT 5;",
  ),
].join("\n")}\n`;

/**
 * The files of a new project: a config, mock model and judge profiles, and a first eval of 3 scenarios. The
 * config is `evals.config.ts` (typed by `defineConfig` from "jury") or, where "jury" cannot be imported (not
 * installed in the project: run with `npx jury`), `evals.config.yaml`, which imports nothing. `run` is the
 * command the comments name for running the evals.
 */
export function createScaffold(config: "ts" | "yaml" = "ts", run = "npx evals"): ScaffoldFile[] {
  return [
    config === "ts"
      ? { path: "evals.config.ts", content: configTs(run) }
      : { path: "evals.config.yaml", content: configYaml(run) },
    { path: "config/models_profiles.jsonl", content: MODELS },
    { path: "config/judge_profiles.jsonl", content: JUDGES },
    { path: "evals/first.eval.jsonl", content: FIRST_EVAL },
  ];
}

/** Splits the files into those to write and those kept because they exist (all are written with `force`). */
export function planScaffold(
  files: readonly ScaffoldFile[],
  exists: (path: string) => boolean,
  force: boolean,
): ScaffoldPlan {
  const plan: ScaffoldPlan = { write: [], skip: [] };
  for (const f of files) (force || !exists(f.path) ? plan.write : plan.skip).push(f);
  return plan;
}
