/** A jury dimension: its canonical key and the name judges and reports show. */
export interface Dimension {
  key: string;
  name: string;
}

/** The six dimensions of the seed's jury, in its order. */
export const STANDARD_DIMENSIONS: readonly Dimension[] = [
  { key: "correctness", name: "Correctness" },
  { key: "completeness", name: "Completeness" },
  { key: "relevance", name: "Relevance" },
  { key: "format", name: "Format" },
  { key: "coherence", name: "Coherence" },
  { key: "following_instructions", name: "Following instructions" },
];

/**
 * The one canonical key of a dimension name: lower case, runs of non-alphanumerics → `_`, trimmed.
 * `"Following instructions"` → `following_instructions`, `" Brand-Voice "` → `brand_voice`.
 */
export function metricKey(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "_")
    .replace(/^_+|_+$/g, "");
}

/**
 * A record's value at a dimension key — its own property only, so that a metric named like a member of
 * Object.prototype (`constructor`, `valueOf`) is never read as the prototype's member.
 */
export function atKey<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** A comma-separated string or an array of names → trimmed, non-empty names, de-duplicated by key. */
export function parseMetricList(value: string | readonly string[] | undefined): string[] {
  if (value === undefined) return [];
  const names = (typeof value === "string" ? value.split(",") : value.map(String))
    .map((s) => s.trim())
    .filter(Boolean);
  const seen = new Set<string>();
  return names.filter((n) => {
    const k = metricKey(n);
    if (!k || seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** The standard six plus user metrics from every source, de-duplicated by key (first spelling wins). */
export function resolveDimensions(...lists: readonly (readonly string[])[]): Dimension[] {
  const out: Dimension[] = [...STANDARD_DIMENSIONS];
  const seen = new Set(out.map((d) => d.key));
  for (const name of lists.flat()) {
    const key = metricKey(name);
    if (!key || seen.has(key)) continue;
    seen.add(key);
    out.push({ key, name: name.trim() });
  }
  return out;
}
