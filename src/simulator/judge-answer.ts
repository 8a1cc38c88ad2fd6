import { seededRandom } from "../metrics/random.ts";
import type { JudgeContext } from "../types.ts";

/**
 * A simulated judge's answer, the same for the simulator's judges and the in-process `mock/` judges: each
 * dimension scored from the word overlap of the response with the reference (golden answer, else the prompt),
 * exact → 5, unrelated → 1, with a seeded jitter in between. A judge whose name asks for an answer style
 * (`style-think`, `style-fraction`, `style-array`, `style-python`, `style-comments`) writes the same scores the
 * way some real models do, for the tests of the verdict reading.
 */
export function judgeAnswer(judgeKey: string, seed: string, ctx: JudgeContext): string {
  const reference = ctx.golden?.trim() ? ctx.golden : ctx.prompt;
  const exact = ctx.response.trim() === reference.trim();
  const sim = exact ? 1 : overlap(ctx.response, reference);
  // Drawn from only when there is jitter (the seed's hash is most of a judge's cost in a zero-latency run).
  let rng: (() => number) | undefined;
  // Entries, not assignments: a dimension named `__proto__` is a key like any other.
  const scores = ctx.dimensions.map((d) => {
    rng ??= exact || sim === 0 ? undefined : seededRandom(`${seed}|judge|${judgeKey}`);
    const jitter = rng ? rng() - 0.5 : 0;
    const score = Math.min(5, Math.max(1, Math.round(1 + 4 * sim + jitter)));
    const rationale = exact
      ? "Simulated judge: the response matches the reference answer exactly."
      : `Simulated judge: ${Math.round(sim * 100)}% word overlap with the reference answer.`;
    return [d.name, { score, rationale }] as const;
  });
  const style = /style-(think|fraction|array|python|comments)/.exec(judgeKey)?.[1];
  return style ? inStyle(style, scores) : JSON.stringify({ scores: Object.fromEntries(scores) });
}

/** Scores written in one of the answer styles real judge models use. */
function inStyle(
  style: string,
  scores: readonly (readonly [string, { score: number; rationale: string }])[],
) {
  const plain = JSON.stringify({ scores: Object.fromEntries(scores) });
  if (style === "think")
    return `<think>The verdict needs {score, rationale} per dimension.</think>\n${plain}`;
  if (style === "fraction") {
    return JSON.stringify(Object.fromEntries(scores.map(([n, v]) => [n, { ...v, score: `${v.score}/5` }])));
  }
  if (style === "array") {
    return JSON.stringify(
      scores.map(([dimension, v]) => ({ dimension, score: v.score, rationale: v.rationale })),
    );
  }
  const lines = scores.map(([n, v]) =>
    style === "python"
      ? `  ${pyString(n)}: {'score': ${v.score}, 'rationale': ${pyString(v.rationale)}},`
      : `  ${JSON.stringify(n)}: ${v.score}, // ${v.rationale}`,
  );
  return `{\n${lines.join("\n")}\n}`;
}

function pyString(s: string): string {
  return `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

/** F1 of the bag of lower-cased words of two texts: 1 identical, 0 nothing in common. */
export function overlap(a: string, b: string): number {
  const wa = words(a);
  const wb = words(b);
  if (wa.length === 0 || wb.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const w of wb) counts.set(w, (counts.get(w) ?? 0) + 1);
  let common = 0;
  for (const w of wa) {
    const c = counts.get(w) ?? 0;
    if (c > 0) {
      common++;
      counts.set(w, c - 1);
    }
  }
  if (common === 0) return 0;
  const p = common / wa.length;
  const r = common / wb.length;
  return (2 * p * r) / (p + r);
}

function words(s: string): string[] {
  return s.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}
