import { metricKey } from "../discovery/metric-keys.ts";

export type ParsedVerdict =
  | { ok: true; scores: Record<string, number>; rationales: Record<string, string> }
  | { ok: false; reason: "unparseable" | "refused"; detail: string };

const REFUSAL = /\b(I can(?:'|’)?t|I cannot|I won(?:'|’)?t|I am unable|I'm unable|as an AI)\b/i;

/**
 * Reads a judge's answer. Tolerant of code fences, prose around the JSON, dimension names in any case or
 * spelling that normalises to the same key, `{score, rationale}` objects or bare numbers, numeric strings.
 * Strict about what matters: every requested dimension needs a score in 1..5, or the judge abstains —
 * an unparseable answer is never coerced into a score.
 */
export function parseVerdict(
  text: string,
  dimensions: readonly { key: string; name: string }[],
): ParsedVerdict {
  const json = extractJson(text);
  if (json === undefined) {
    if (REFUSAL.test(text)) return { ok: false, reason: "refused", detail: "the judge declined to score" };
    return { ok: false, reason: "unparseable", detail: "no JSON object in the answer" };
  }
  const root = isObject(json) && isObject(json.scores) ? json.scores : json;
  if (!isObject(root)) return { ok: false, reason: "unparseable", detail: "the JSON is not an object" };
  const byKey = new Map<string, unknown>();
  for (const [k, v] of Object.entries(root)) byKey.set(metricKey(k), v);

  const scores: Record<string, number> = {};
  const rationales: Record<string, string> = {};
  for (const d of dimensions) {
    const entry = byKey.get(d.key);
    if (entry === undefined) return { ok: false, reason: "unparseable", detail: `no score for ${d.name}` };
    const rawScore = isObject(entry) ? entry.score : entry;
    const score = typeof rawScore === "string" ? Number(rawScore.trim()) : rawScore;
    if (typeof score !== "number" || !Number.isFinite(score) || score < 1 || score > 5) {
      return {
        ok: false,
        reason: "unparseable",
        detail: `${d.name}: score must be 1..5 (got ${JSON.stringify(rawScore)})`,
      };
    }
    scores[d.key] = score;
    const rationale = isObject(entry) ? entry.rationale : undefined;
    if (typeof rationale === "string") rationales[d.key] = rationale;
  }
  return { ok: true, scores, rationales };
}

/** The first JSON object in a text: the whole text, a fenced block, or the first balanced `{…}`. */
export function extractJson(text: string): unknown {
  const trimmed = text.trim();
  const candidates = [trimmed];
  const fence = /```(?:json)?\s*([\s\S]*?)```/i.exec(trimmed);
  if (fence?.[1]) candidates.push(fence[1].trim());
  const start = trimmed.indexOf("{");
  if (start >= 0) {
    const end = balancedEnd(trimmed, start);
    if (end > start) candidates.push(trimmed.slice(start, end + 1));
  }
  for (const c of candidates) {
    for (const text of [c, withoutTrailingCommas(c)]) {
      try {
        const value: unknown = JSON.parse(text);
        if (isObject(value)) return value;
      } catch {
        // try the next form
      }
    }
  }
  return undefined;
}

/** Removes commas before `}` or `]` outside strings — a common slip of models writing JSON by hand. */
function withoutTrailingCommas(s: string): string {
  let out = "";
  let inString = false;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i] as string;
    if (inString) {
      out += ch;
      if (ch === "\\") out += s[++i] ?? "";
      else if (ch === '"') inString = false;
    } else if (ch === '"') {
      inString = true;
      out += ch;
    } else if (ch === "," && /^\s*[}\]]/.test(s.slice(i + 1))) {
      // drop it
    } else out += ch;
  }
  return out;
}

function balancedEnd(s: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < s.length; i++) {
    const ch = s[i];
    if (inString) {
      if (ch === "\\") i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === "{") depth++;
    else if (ch === "}" && --depth === 0) return i;
  }
  return -1;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
