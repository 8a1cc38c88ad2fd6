import { boundedMemo } from "../bounded-memo.ts";
import { metricKey as canonicalKey } from "../discovery/metric-keys.ts";
import { LenientObject, type LenientValue, parseLenientAt } from "./lenient-json.ts";
import { withoutReasoning } from "./without-reasoning.ts";

/** Canonical keys of the names judges write, remembered: a verdict looks each name up many times. */
const metricKey = boundedMemo(canonicalKey, 10_000);

export type ParsedVerdict =
  | { ok: true; scores: Record<string, number>; rationales: Record<string, string> }
  | { ok: false; reason: "unparseable" | "refused"; detail: string };

type Dim = { key: string; name: string };
type Reading =
  | { ok: true; scores: Record<string, number>; rationales: Record<string, string> }
  | { ok: false; detail: string; matched: number };

const REFUSAL = /\b(I can(?:'|’)?t|I cannot|I won(?:'|’)?t|I am unable|I'm unable|as an AI)\b/i;
/** MT-Bench's `[[4]]`, Prometheus' `[RESULT] 4`: one overall rating, on a scale the answer does not state. */
const OVERALL_RATING = /\[\[\s*\d+(?:\.\d+)?\s*\]\]|\[RESULT\]\s*\d/i;
/** Keys that wrap the scores: `{"scores": …}`, `{"evaluation": …}`. */
const WRAPPERS = ["scores", "evaluation", "evaluations", "verdict", "ratings", "dimensions"];
/** In the array form `[{dimension, score, rationale}]`, the keys naming each part, by preference. */
const NAME_KEYS = ["dimension", "name", "metric", "criterion", "criteria", "aspect", "category"];
const SCORE_KEYS = ["score", "rating"];
const RATIONALE_KEYS = [
  "rationale",
  "reason",
  "reasoning",
  "explanation",
  "justification",
  "feedback",
  "comment",
];

/**
 * Reads a judge's answer as a careful human would, and never more. Reasoning blocks (`<think>`, `<thinking>`,
 * `<reasoning>`) are set aside; every JSON-like object or array in the rest is a candidate (fenced or in prose,
 * with comments, trailing commas, single quotes or Python's literals), and the last one that reads as a whole
 * verdict wins — scores are never combined from two candidates. A dimension is found by its canonical key or
 * by the same words in another order (`Instruction following` = `Following instructions`); a score is a number
 * or a numeric string in 1..5, `"4/5"` or `"4 out of 5"` included. Anything else abstains with its reason:
 * a missing dimension, another scale (`8/10`, 7), an overall rating, a refusal, prose without JSON.
 */
export function parseVerdict(text: string, dimensions: readonly Dim[]): ParsedVerdict {
  const visible = withoutReasoning(text);
  const candidates = jsonCandidates(visible.text).filter(
    // After an unclosed reasoning block only a value that ends the answer can be the answer, not a draft.
    (c) => !visible.unclosed || /^[\s`]*$/.test(visible.text.slice(c.end)),
  );
  if (candidates.length === 0 && visible.unclosed) {
    return {
      ok: false,
      reason: "unparseable",
      detail: "the reasoning block is never closed: no answer after it",
    };
  }
  let failure: Extract<Reading, { ok: false }> | undefined;
  for (const c of candidates.reverse()) {
    const reading = readVerdict(c.value, dimensions);
    if (reading.ok) return reading;
    if (failure === undefined || reading.matched > failure.matched) failure = reading;
  }
  // Nothing that even names a dimension: say what the answer is instead.
  if (failure === undefined || failure.matched === 0) {
    if (REFUSAL.test(visible.text))
      return { ok: false, reason: "refused", detail: "the judge declined to score" };
    if (OVERALL_RATING.test(visible.text)) {
      return { ok: false, reason: "unparseable", detail: "one overall rating, not a score per dimension" };
    }
  }
  return { ok: false, reason: "unparseable", detail: failure?.detail ?? "no JSON object in the answer" };
}

/** Every top-level JSON-like object or array in the text, in order; a broken one leaves its insides to be tried. */
function jsonCandidates(text: string): { value: LenientValue; end: number }[] {
  const out: { value: LenientValue; end: number }[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch !== "{" && ch !== "[") continue;
    const parsed = parseLenientAt(text, i);
    if (parsed === undefined) continue;
    out.push(parsed);
    i = parsed.end - 1;
  }
  return out;
}

/**
 * One candidate read as a whole verdict: every dimension, each score once, in 1..5. A wrapped object is read
 * through its wrapper first, then as it is (`{"Correctness": 4, …, "evaluation": {…}}`), each view whole.
 */
function readVerdict(value: LenientValue, dimensions: readonly Dim[]): Reading {
  // A wrapper's name that is also a requested dimension is that dimension, not a wrapper.
  const wrappers = WRAPPERS.filter((w) => !dimensions.some((d) => d.key === w));
  let failure: Extract<Reading, { ok: false }> = {
    ok: false,
    detail: `no score for ${dimensions[0]?.name}`,
    matched: 0,
  };
  for (const entries of views(value, wrappers)) {
    const reading = readEntries(entries, dimensions);
    if (reading.ok) return reading;
    if (reading.matched > failure.matched || failure.matched === 0) failure = reading;
  }
  return failure;
}

function readEntries(
  entries: readonly (readonly [string, LenientValue])[],
  dimensions: readonly Dim[],
): Reading {
  const found = new Map<string, LenientValue[]>();
  for (const [name, v] of entries) {
    const d = matchDimension(name, dimensions);
    if (d) found.set(d.key, [...(found.get(d.key) ?? []), v]);
  }
  const scores: Record<string, number> = {};
  const rationales: Record<string, string> = {};
  for (const d of dimensions) {
    const values = found.get(d.key);
    if (values === undefined) return { ok: false, detail: `no score for ${d.name}`, matched: found.size };
    const read = values.map((v) => readScore(d, v));
    const first = read[0] as ReturnType<typeof readScore>;
    if (typeof first === "string") return { ok: false, detail: first, matched: found.size };
    if (read.some((r) => typeof r === "string" || r.score !== first.score)) {
      return { ok: false, detail: `${d.name}: scored more than once`, matched: found.size };
    }
    scores[d.key] = first.score;
    if (first.rationale !== undefined) rationales[d.key] = first.rationale;
  }
  return { ok: true, scores, rationales };
}

/** The ways to read a value as (name, value) pairs: the array form, a wrapped object, a flat object. */
function views(
  value: LenientValue,
  wrappers: readonly string[],
  depth = 0,
): (readonly [string, LenientValue])[][] {
  if (Array.isArray(value)) {
    const out: [string, LenientValue][] = [];
    for (const item of value) {
      if (!(item instanceof LenientObject)) return [];
      const name = field(item, NAME_KEYS);
      if (typeof name !== "string") return [];
      out.push([name, item]);
    }
    return [out];
  }
  if (!(value instanceof LenientObject)) return [];
  const inner = depth < 2 ? wrappers.map((w) => field(value, [w])).find(isContainer) : undefined;
  return [...(inner === undefined ? [] : views(inner, wrappers, depth + 1)), [...value.entries]];
}

function isContainer(v: LenientValue | undefined): v is LenientValue[] | LenientObject {
  return v instanceof LenientObject || Array.isArray(v);
}

/** A score (and its rationale) from a bare value or a `{score, rationale}` object; a string is the reason not. */
function readScore(d: Dim, entry: LenientValue): { score: number; rationale?: string } | string {
  const raw = entry instanceof LenientObject ? field(entry, SCORE_KEYS) : entry;
  const rationale = entry instanceof LenientObject ? field(entry, RATIONALE_KEYS) : undefined;
  const score = typeof raw === "string" ? scoreFromText(raw) : raw;
  if (typeof score === "string") return `${d.name}: ${score} (got ${JSON.stringify(raw)})`;
  if (typeof score !== "number" || !Number.isFinite(score) || score < 1 || score > 5) {
    return `${d.name}: score must be 1..5 (got ${JSON.stringify(raw instanceof LenientObject ? "{…}" : (raw ?? null))})`;
  }
  return typeof rationale === "string" ? { score, rationale } : { score };
}

/** `"4"`, `"4/5"`, `"4 out of 5"` → 4; another denominator is another scale (a string says why not). */
function scoreFromText(s: string): number | string {
  const t = s.trim();
  if (/^-?\d+(?:\.\d+)?$/.test(t)) return Number(t);
  const m = /^(-?\d+(?:\.\d+)?)\s*(?:\/|out of)\s*(\d+(?:\.\d+)?)$/i.exec(t);
  if (!m) return Number.NaN;
  return Number(m[2]) === 5 ? Number(m[1]) : `a score out of ${m[2]}, not 1..5`;
}

/** The value of the first of `names` an object has, matched by canonical key. */
function field(o: LenientObject, names: readonly string[]): LenientValue | undefined {
  for (const n of names) {
    const hit = o.entries.find(([k]) => metricKey(k) === n);
    if (hit) return hit[1];
  }
  return undefined;
}

/**
 * The requested dimension a judge's name stands for: the same canonical key, else the same words in any order
 * and number (`Instruction following` → `following_instructions`), when that bag of words is one dimension's only;
 * a trailing `score`/`rating` word is the judge's label, not the name (`correctness_score` → `correctness`).
 */
function matchDimension(name: string, dimensions: readonly Dim[]): Dim | undefined {
  const key = metricKey(name);
  const exact = dimensions.find((d) => d.key === key);
  if (exact) return exact;
  for (const bag of [wordBag(key), wordBag(key.replace(/_(?:score|rating)$/, ""))]) {
    const same = dimensions.filter((d) => wordBag(d.key) === bag);
    if (same.length === 1) return same[0];
  }
  return undefined;
}

/** The words of a key, singular, sorted: `following_instructions` → `following instruction`. */
function wordBag(key: string): string {
  return key
    .split("_")
    .filter(Boolean)
    .map((w) => (w.length > 3 && w.endsWith("s") && !w.endsWith("ss") ? w.slice(0, -1) : w))
    .sort()
    .join(" ");
}
