import { createFixtureProject } from "../../test/support/fixture-project.ts";

/**
 * A fixture project with one `mock/` model (zero latency unless given) and `judges` mock judges, and `cases`
 * scenarios in one `.eval.jsonl` file. Returns the project root (a temp dir: the caller removes it).
 */
export function createMockProject(
  cases: number,
  options: { judges?: number; ttftMs?: number; tokensPerS?: number; golden?: (i: number) => string } = {},
): string {
  const judges = options.judges ?? 3;
  const golden = options.golden ?? ((i: number) => `The answer to question ${i} is ${i * 7}.`);
  const lines: string[] = [];
  for (let i = 0; i < cases; i++)
    lines.push(
      JSON.stringify({
        text_prompt: `question ${i}`,
        task: { task_type: `T${i % 4}`, task_criteria: "" },
        golden_answer: golden(i),
      }),
    );
  return createFixtureProject({
    "config/models_profiles.jsonl": JSON.stringify({
      model_id: "mock/bench",
      mock: { quality: 1, ttft_ms: options.ttftMs ?? 0, tokens_per_s: options.tokensPerS ?? 0 },
    }),
    "config/judge_profiles.jsonl": Array.from({ length: judges }, (_, i) =>
      JSON.stringify({ model_id: `mock/judge-${i}` }),
    ).join("\n"),
    "evals/bench.eval.jsonl": lines.join("\n"),
  });
}
