import { STANDARD_DIMENSIONS } from "../../src/discovery/metric-keys.ts";
import { judgeAnswer } from "../../src/simulator/judge-answer.ts";
import { countTokens, simulatedAnswer } from "../../src/simulator/respond.ts";

/**
 * Scenarios whose simulated answer (the simulator quotes the prompt) has `tokens` tokens and is also the golden
 * answer, so every judge finds an exact match and scores alike; with the tokens of an answer and of a judge's
 * verdict, to compute the ideal latency of a case.
 */
export function simScenarios(
  n: number,
  tokens: number,
): { cases: { prompt: string; answer: string }[]; answerTokens: number; verdictTokens: number } {
  const filler = Array.from({ length: tokens }, (_, i) => `w${i}`).join(" ");
  const cases = Array.from({ length: n }, (_, i) => {
    const prompt = `Question ${i}: ${filler}`;
    const answer = simulatedAnswer(
      { model: "sim", system: "", prompt, images: [], maxTokens: tokens },
      "x",
    ).text;
    return { prompt, answer };
  });
  const first = cases[0] ?? { prompt: "", answer: "" };
  const verdict = judgeAnswer("sim:judge", "x", {
    prompt: first.prompt,
    response: first.answer,
    golden: first.answer,
    dimensions: STANDARD_DIMENSIONS,
  });
  return { cases, answerTokens: countTokens(first.answer), verdictTokens: countTokens(verdict) };
}
