import { LineCounter, parseDocument } from "yaml";

/** One profile as written: its 1-based line and the parsed value. */
export interface ProfileRow {
  line: number;
  value: unknown;
}

/**
 * The rows of a profile file (pure): one per JSON line, or one per item of a YAML list (or of `models:` /
 * `judges:`). Lines that don't parse are left out: the profile loader reports them.
 */
export function readProfileRows(text: string, format: "jsonl" | "yaml"): ProfileRow[] {
  return format === "yaml" ? yamlRows(text) : jsonlRows(text);
}

function jsonlRows(text: string): ProfileRow[] {
  const rows: ProfileRow[] = [];
  for (const [i, raw] of text
    .replace(/^\uFEFF/, "")
    .split(/\r?\n/)
    .entries()) {
    if (raw.trim() === "") continue;
    try {
      rows.push({ line: i + 1, value: JSON.parse(raw) });
    } catch {
      // reported by the loader
    }
  }
  return rows;
}

function yamlRows(text: string): ProfileRow[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  if (doc.errors.length) return [];
  const root = doc.toJS() as unknown;
  const wrapper =
    typeof root === "object" && root !== null && !Array.isArray(root)
      ? (["models", "judges"] as const).find((k) => Array.isArray((root as Record<string, unknown>)[k]))
      : undefined;
  const list = Array.isArray(root)
    ? root
    : wrapper
      ? ((root as Record<string, unknown>)[wrapper] as unknown[])
      : undefined;
  if (!list) return [];
  const seq = (wrapper ? doc.get(wrapper, true) : doc.contents) as { items?: { range?: number[] }[] } | null;
  return list.map((value, i) => {
    const offset = seq?.items?.[i]?.range?.[0];
    return { line: offset === undefined ? 1 : lineCounter.linePos(offset).line, value };
  });
}
