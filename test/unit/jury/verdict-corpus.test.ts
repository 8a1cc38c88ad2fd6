// Issue 16 #1: judge answers in the styles real models write, each with the reading a careful human would make.
// Sources of the shapes: the issue's third-party server run (the first ten), DeepSeek-R1's chat template (an
// opening <think> in the prompt, so the answer holds only the close), Anthropic's prompting guide (<thinking>
// before the answer, XML tags), MT-Bench's judge ("Rating: [[5]]", 1–10), Prometheus' absolute grading
// ("Feedback: … [RESULT] 4"), and rubric judges in public eval code (arrays of {dimension, score, rationale},
// `justification`/`reason` keys, `{"overall": …, "dimensions": {…}}`, reasoning in <evaluation> then <results>).
import { describe, expect, it } from "vitest";
import { parseVerdict } from "../../../src/jury/parse-verdict.ts";

const dims = [
  { key: "correctness", name: "Correctness" },
  { key: "following_instructions", name: "Following instructions" },
  // A user-defined metric.
  { key: "brand_voice", name: "Brand voice" },
];
const S = { correctness: 4, following_instructions: 5, brand_voice: 3 };
const requested = JSON.stringify({
  scores: {
    Correctness: { score: 4, rationale: "One date is off." },
    "Following instructions": { score: 5, rationale: "Bullet list as asked." },
    "Brand voice": { score: 3, rationale: "A bit stiff." },
  },
});
const flat = '{"Correctness": 4, "Following instructions": 5, "Brand voice": 3}';

type Expected = { scores: Record<string, number> } | { abstain: "unparseable" | "refused"; detail: string };
const corpus: [name: string, answer: string, expected: Expected][] = [
  // ——— read ———
  ["the requested shape", requested, { scores: S }],
  ["a flat object", flat, { scores: S }],
  [
    "fenced JSON with prose around",
    `Here is my evaluation:\n\`\`\`json\n${requested}\n\`\`\`\nHope this helps!`,
    { scores: S },
  ],
  [
    "numeric strings",
    '{"Correctness": "4", "Following instructions": " 5 ", "Brand voice": "3.0"}',
    { scores: S },
  ],
  [
    "key-case and spelling variants",
    '{"CORRECTNESS": 4, "following_instructions": 5, "brand-voice": 3}',
    { scores: S },
  ],
  ["floats", '{"Correctness": 4.0, "Following instructions": 5.0, "Brand voice": 3.0}', { scores: S }],
  [
    "a <think> block whose reasoning holds braces",
    `<think>The answer should be {"scores": {...}}. Correctness {maybe 3?} — no, one date is off, so 4.</think>\n${requested}`,
    { scores: S },
  ],
  [
    "DeepSeek-R1: only the closing </think> (the template opened it)",
    `Okay, let me check the dates {1999, 2001}. The list format is right.\n</think>\n\n${flat}`,
    { scores: S },
  ],
  [
    "a <thinking> block (Anthropic's guide)",
    `<thinking>\nFirst the facts: one is wrong.\n</thinking>\n\n${requested}`,
    { scores: S },
  ],
  [
    "a <reasoning> block",
    `<reasoning>{"Correctness": 1} would be too harsh.</reasoning>${flat}`,
    { scores: S },
  ],
  [
    "a full draft verdict inside the reasoning, a different final one after it",
    `<think>Draft: {"Correctness": 2, "Following instructions": 2, "Brand voice": 2}. Too harsh.</think>${flat}`,
    { scores: S },
  ],
  [
    "an unclosed <think> with the verdict as the answer's end",
    `<think>\nChecking each criterion in turn; the tone is stiff.\n\n${flat}\n`,
    { scores: S },
  ],
  [
    'scores written "4/5"',
    '{"Correctness": {"score": "4/5", "rationale": "ok"}, "Following instructions": {"score": "5/5"}, "Brand voice": {"score": "3 / 5"}}',
    { scores: S },
  ],
  [
    'scores written "4 out of 5"',
    '{"Correctness": "4 out of 5", "Following instructions": "5 out of 5", "Brand voice": "3 Out Of 5"}',
    { scores: S },
  ],
  ["unquoted 4/5", "{Correctness: 4/5, 'Following instructions': 5/5, \"Brand voice\": 3/5}", { scores: S }],
  [
    "the array form [{dimension, score, rationale}]",
    JSON.stringify([
      { dimension: "Correctness", score: 4, rationale: "One date is off." },
      { dimension: "Following instructions", score: 5, rationale: "As asked." },
      { dimension: "Brand voice", score: 3, rationale: "Stiff." },
    ]),
    { scores: S },
  ],
  [
    "the array form with name/rating/explanation keys, fenced",
    '```json\n[{"name": "correctness", "rating": 4, "explanation": "x"}, {"name": "following instructions", "rating": 5}, {"name": "brand voice", "rating": 3}]\n```',
    { scores: S },
  ],
  [
    '{"scores": [ … ]}: the array form wrapped',
    '{"scores": [{"metric": "Correctness", "score": 4}, {"metric": "Following instructions", "score": 5}, {"metric": "Brand voice", "score": 3}]}',
    { scores: S },
  ],
  [
    '{"evaluation": { … }} wrapped',
    '{"evaluation": {"Correctness": {"score": 4, "justification": "minor slip"}, "Following instructions": {"score": 5}, "Brand voice": {"score": 3}}}',
    { scores: S },
  ],
  [
    '{"overall": …, "dimensions": { … }}',
    '{"overall": 4, "dimensions": {"correctness": 4, "following_instructions": 5, "brand_voice": 3}, "notes": "fine"}',
    { scores: S },
  ],
  [
    "a Python dict: single quotes, an escaped quote, True and None",
    "{'Correctness': {'score': 4, 'rationale': 'it\\'s mostly right'}, 'Following instructions': {'score': 5, 'rationale': \"it's a list\"}, 'Brand voice': {'score': 3, 'rationale': None}, 'confident': True}",
    { scores: S },
  ],
  [
    "JSON with // comments",
    '{\n  "Correctness": 4, // one date is off\n  "Following instructions": 5, // https://example.com/style stays a comment\n  "Brand voice": 3\n}',
    { scores: S },
  ],
  [
    "JSON with /* */ comments and trailing commas",
    '{\n  /* per dimension */\n  "scores": {\n    "Correctness": {"score": 4, "rationale": "a // in a string is text",},\n    "Following instructions": {"score": 5,},\n    "Brand voice": {"score": 3 /* stiff */},\n  },\n}',
    { scores: S },
  ],
  [
    "dimension names as other word orders and numbers",
    '{"Correctness": 4, "Instruction following": 5, "Voice (brand)": 3}',
    { scores: S },
  ],
  [
    "bare keys (JavaScript style)",
    "{correctness: 4, following_instructions: 5, brand_voice: 3}",
    { scores: S },
  ],
  [
    "names with a score/rating suffix, an overall score beside them",
    '{"correctness_score": 4, "instruction_following_score": 5, "Brand voice rating": 3, "overall_score": 4}',
    { scores: S },
  ],
  [
    "a wrapper-named key beside the dimensions",
    '{"Correctness": 4, "Following instructions": 5, "Brand voice": 3, "Evaluation": {"score": 2}}',
    { scores: S },
  ],
  [
    "the restated template first, the answer last",
    `I will answer as {"Correctness": {"score": 1, "rationale": "..."}, "Following instructions": {"score": 1, "rationale": "..."}, "Brand voice": {"score": 1, "rationale": "..."}}.\nMy verdict:\n${flat}`,
    { scores: S },
  ],
  ["braces in the prose after the verdict", `${flat}\n\n{Note: the tone could be warmer.}`, { scores: S }],
  [
    "reasoning in <evaluation>, the verdict in <results>",
    `<evaluation>Facts mostly right {one slip}.</evaluation>\n<results>${flat}</results>`,
    { scores: S },
  ],
  [
    "a reason key beside the score",
    '{"Correctness": {"score": 4, "reason": "slip"}, "Following instructions": {"score": 5, "reason": "yes"}, "Brand voice": {"score": 3, "reason": "stiff"}}',
    { scores: S },
  ],
  [
    "a broken outer object around a whole scores object",
    '{"scores": {"Correctness": 4, "Following instructions": 5, "Brand voice": 3}, "summary": "Go',
    { scores: S },
  ],

  // ——— abstain ———
  ["a refusal", "I'm sorry, but I can't evaluate this content.", { abstain: "refused", detail: "declined" }],
  [
    "a refusal beside a JSON error",
    'I cannot score this response. {"error": "policy"}',
    { abstain: "refused", detail: "declined" },
  ],
  [
    "prose scores without JSON",
    "Correctness: 4/5\nFollowing instructions: 5/5\nBrand voice: 3/5",
    { abstain: "unparseable", detail: "no JSON object" },
  ],
  [
    "a 1–10 scale",
    '{"Correctness": 8, "Following instructions": 9, "Brand voice": 6}',
    { abstain: "unparseable", detail: "Correctness: score must be 1..5 (got 8)" },
  ],
  [
    'a "/10" denominator',
    '{"Correctness": "8/10", "Following instructions": "9/10", "Brand voice": "6/10"}',
    { abstain: "unparseable", detail: 'Correctness: a score out of 10, not 1..5 (got "8/10")' },
  ],
  [
    "a 0–100 scale",
    '{"Correctness": 85, "Following instructions": 90, "Brand voice": 60}',
    { abstain: "unparseable", detail: "score must be 1..5 (got 85)" },
  ],
  [
    "a missing dimension",
    '{"Correctness": 4, "Following instructions": 5}',
    { abstain: "unparseable", detail: "no score for Brand voice" },
  ],
  [
    'MT-Bench\'s "Rating: [[4]]"',
    "The answer is accurate but terse.\n\nRating: [[4]]",
    { abstain: "unparseable", detail: "one overall rating" },
  ],
  [
    'Prometheus\' "[RESULT] 4"',
    "Feedback: The response is mostly correct but the tone is stiff. [RESULT] 4",
    { abstain: "unparseable", detail: "one overall rating" },
  ],
  [
    "XML score tags without dimension names",
    "<analysis>Mostly right.</analysis>\n<score>4</score>",
    { abstain: "unparseable", detail: "no JSON object" },
  ],
  [
    "an unclosed <think> cut short after a draft",
    `<think>\nA first guess: ${flat}. But wait, the second date — let me re-check the`,
    { abstain: "unparseable", detail: "reasoning block is never closed" },
  ],
  [
    "a verdict only inside a closed reasoning block",
    `<think>${flat}</think>`,
    { abstain: "unparseable", detail: "no JSON object" },
  ],
  [
    "two partial objects: never combined",
    '{"Correctness": 4}\n{"Following instructions": 5, "Brand voice": 3}',
    { abstain: "unparseable", detail: "no score for" },
  ],
  [
    "one dimension scored twice, differently",
    '{"Correctness": 4, "correctness": 2, "Following instructions": 5, "Brand voice": 3}',
    { abstain: "unparseable", detail: "Correctness: scored more than once" },
  ],
  [
    "two spellings of one dimension, different scores",
    '{"Correctness": 4, "Following instructions": 5, "Instruction following": 3, "Brand voice": 3}',
    { abstain: "unparseable", detail: "Following instructions: scored more than once" },
  ],
  [
    "truncated JSON",
    '{"scores": {"Correctness": {"score": 4, "rationale": "goo',
    { abstain: "unparseable", detail: "no JSON object" },
  ],
  [
    "a score in words",
    '{"Correctness": "four", "Following instructions": 5, "Brand voice": 3}',
    { abstain: "unparseable", detail: 'Correctness: score must be 1..5 (got "four")' },
  ],
  [
    "a boolean score",
    '{"Correctness": true, "Following instructions": 5, "Brand voice": 3}',
    { abstain: "unparseable", detail: "Correctness: score must be 1..5 (got true)" },
  ],
  [
    "a range instead of a score",
    '{"Correctness": "4-5", "Following instructions": 5, "Brand voice": 3}',
    { abstain: "unparseable", detail: "Correctness: score must be 1..5" },
  ],
  [
    "an array entry without a dimension name",
    '[{"score": 4}, {"dimension": "Following instructions", "score": 5}, {"dimension": "Brand voice", "score": 3}]',
    { abstain: "unparseable", detail: "no score for Correctness" },
  ],
  ["an empty answer", "", { abstain: "unparseable", detail: "no JSON object" }],
  [
    "an overall score only, in JSON",
    '{"score": 4, "reason": "good"}',
    { abstain: "unparseable", detail: "no score for Correctness" },
  ],
  ["a pathological run of braces", "{".repeat(5000), { abstain: "unparseable", detail: "no JSON object" }],
];

describe("the verdict corpus: every judge answer read as a careful human would, and never more", () => {
  it("holds at least 40 answers", () => {
    expect(corpus.length).toBeGreaterThanOrEqual(40);
  });

  it.each(corpus)("%s", (_name, answer, expected) => {
    const v = parseVerdict(answer, dims);
    if ("scores" in expected) {
      expect(v).toMatchObject({ ok: true, scores: expected.scores });
    } else {
      expect(v).toMatchObject({ ok: false, reason: expected.abstain });
      expect(v.ok ? "" : v.detail).toContain(expected.detail);
    }
  });
});
