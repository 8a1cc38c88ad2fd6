import { createFixtureProject } from "../../test/support/fixture-project.ts";

/**
 * A fixture project with `mock/` models (zero latency unless given; by default one, `mock/bench`, of quality 1 —
 * with `models`, `mock/m0`, `mock/m1`… of those qualities and error rates), `judges` mock judges, and `cases`
 * scenarios in one `.eval.jsonl` file. Returns the project root (a temp dir: the caller removes it).
 */
export function createMockProject(
  cases: number,
  options: {
    judges?: number;
    ttftMs?: number;
    tokensPerS?: number;
    golden?: (i: number) => string;
    models?: { quality: number; errorRate?: number }[];
  } = {},
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
    "config/models_profiles.jsonl": (options.models ?? [{ quality: 1 }])
      .map((m, i) =>
        JSON.stringify({
          model_id: options.models ? `mock/m${i}` : "mock/bench",
          mock: {
            quality: m.quality,
            ttft_ms: options.ttftMs ?? 0,
            tokens_per_s: options.tokensPerS ?? 0,
            ...(m.errorRate === undefined ? {} : { error_rate: m.errorRate }),
          },
        }),
      )
      .join("\n"),
    "config/judge_profiles.jsonl": Array.from({ length: judges }, (_, i) =>
      JSON.stringify({ model_id: `mock/judge-${i}` }),
    ).join("\n"),
    "evals/bench.eval.jsonl": lines.join("\n"),
  });
}
