import { describe, expect, it } from "vitest";
import { parseVerdict } from "../../../src/jury/parse-verdict.ts";

const dims = [
  { key: "correctness", name: "Correctness" },
  { key: "following_instructions", name: "Following instructions" },
];

describe("parseVerdict", () => {
  it("reads the requested shape", () => {
    const text = JSON.stringify({
      scores: {
        Correctness: { score: 4, rationale: "mostly right" },
        "Following instructions": { score: 5, rationale: "yes" },
      },
    });
    expect(parseVerdict(text, dims)).toEqual({
      ok: true,
      scores: { correctness: 4, following_instructions: 5 },
      rationales: { correctness: "mostly right", following_instructions: "yes" },
    });
  });

  it("tolerates fences, prose, other spellings of names, bare numbers and numeric strings", () => {
    const text =
      'Here is my verdict:\n```json\n{"correctness": "3", "following-instructions": 2}\n```\nThanks.';
    expect(parseVerdict(text, dims)).toEqual({
      ok: true,
      scores: { correctness: 3, following_instructions: 2 },
      rationales: {},
    });
  });

  it("finds a JSON object inside prose, braces in strings included", () => {
    const text =
      'Verdict {"scores": {"Correctness": {"score": 1, "rationale": "uses } and { wrongly"}, "Following instructions": {"score": 1, "rationale": ""}}} end';
    const v = parseVerdict(text, dims);
    expect(v).toMatchObject({
      ok: true,
      scores: { correctness: 1 },
      rationales: { correctness: "uses } and { wrongly" },
    });
  });

  it("abstains when a dimension is missing or out of range — never coerces", () => {
    expect(parseVerdict('{"Correctness": 4}', dims)).toEqual({
      ok: false,
      reason: "unparseable",
      detail: "no score for Following instructions",
    });
    expect(parseVerdict('{"Correctness": 7, "Following instructions": 3}', dims)).toEqual({
      ok: false,
      reason: "unparseable",
      detail: "Correctness: score must be 1..5 (got 7)",
    });
    expect(parseVerdict('{"Correctness": "good", "Following instructions": 3}', dims)).toMatchObject({
      ok: false,
      reason: "unparseable",
    });
  });

  it("tells a refusal from garbage", () => {
    expect(parseVerdict("I cannot evaluate this content.", dims)).toMatchObject({
      ok: false,
      reason: "refused",
    });
    expect(parseVerdict("score: four", dims)).toEqual({
      ok: false,
      reason: "unparseable",
      detail: "no JSON object in the answer",
    });
  });
});

describe("a corpus of messy judge outputs", () => {
  const two = [
    { key: "correctness", name: "Correctness" },
    { key: "format", name: "Format" },
  ];
  it.each([
    [
      "trailing commas",
      '{"scores": {"Correctness": {"score": 4, "rationale": "ok",}, "Format": {"score": 3,},},}',
      { correctness: 4, format: 3 },
    ],
    [
      "prose before and after",
      'Sure! Here is the evaluation:\n{"Correctness": 5, "Format": 4}\nLet me know.',
      { correctness: 5, format: 4 },
    ],
    [
      "a fence without a language",
      '```\n{"Correctness": 2, "Format": 2}\n```',
      { correctness: 2, format: 2 },
    ],
    [
      "scores as strings",
      '{"scores": {"Correctness": {"score": "5"}, "Format": {"score": " 1 "}}}',
      { correctness: 5, format: 1 },
    ],
    ["upper-case and spaced names", '{"CORRECTNESS": 3, " format ": 4}', { correctness: 3, format: 4 }],
    [
      "a comma inside a rationale string",
      '{"Correctness": {"score": 4, "rationale": "a, b,}"}, "Format": 4}',
      { correctness: 4, format: 4 },
    ],
  ])("%s", (_name, text, scores) => {
    expect(parseVerdict(text, two)).toMatchObject({ ok: true, scores });
  });

  it.each([
    ["a missing dimension", '{"Correctness": 4}', "no score for Format"],
    ["a score of 0", '{"Correctness": 0, "Format": 4}', "Correctness: score must be 1..5 (got 0)"],
    ["a score of 6", '{"Correctness": 4, "Format": 6}', "Format: score must be 1..5 (got 6)"],
    ["a null score", '{"Correctness": null, "Format": 4}', "Correctness: score must be 1..5 (got null)"],
    ["no JSON at all", "Correctness: 4/5, Format: 3/5", "no JSON object in the answer"],
    [
      "truncated JSON",
      '{"scores": {"Correctness": {"score": 4, "rationale": "goo',
      "no JSON object in the answer",
    ],
  ])("abstains on %s", (_name, text, detail) => {
    expect(parseVerdict(text, two)).toEqual({ ok: false, reason: "unparseable", detail });
  });
});

describe("a user metric named like a wrapper", () => {
  it("is that metric, not a wrapper", () => {
    const withEvaluation = [
      { key: "correctness", name: "Correctness" },
      { key: "evaluation", name: "Evaluation" },
    ];
    expect(parseVerdict('{"Correctness": 4, "Evaluation": {"score": 2}}', withEvaluation)).toMatchObject({
      ok: true,
      scores: { correctness: 4, evaluation: 2 },
    });
  });
});
