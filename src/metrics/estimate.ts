import { DEFAULT_MAX_TOKENS } from "../plan/expand.ts";
import type { CaseTask } from "../types.ts";
import { callCost } from "./cost.ts";

/** Tokens a judge's answer takes per dimension (a score and a one-sentence rationale), for estimates only. */
const JUDGE_TOKENS_PER_DIMENSION = 40;
/** Fixed part of the judge prompt (instructions and rubric), in tokens. */
const JUDGE_PROMPT_TOKENS = 350;
const DIMENSIONS = 6;

/**
 * A pre-run cost estimate for one case: the response is assumed to use all of `expected_output_tokens`
 * (≈ 4 characters a token for the input), and each judge reads prompt, golden answer and response.
 */
export function estimateCaseCost(task: CaseTask): { response: number; judges: number } {
  const tokens = (s: string | undefined) => Math.ceil((s?.length ?? 0) / 4);
  const input = tokens(task.scenario.system) + tokens(task.scenario.prompt);
  const output = task.scenario.maxTokens ?? DEFAULT_MAX_TOKENS;
  const dims = DIMENSIONS + task.jury.metrics.length + task.scenario.metrics.length;
  const judgeInput = JUDGE_PROMPT_TOKENS + input + tokens(task.scenario.golden) + output;
  const judgeOutput = dims * JUDGE_TOKENS_PER_DIMENSION;
  return {
    response: callCost(task.model, input, output),
    judges: task.judges.reduce((sum, j) => sum + callCost(j, judgeInput, judgeOutput), 0),
  };
}
