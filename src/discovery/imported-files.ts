import { readFileSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";

/**
 * Relative path literals (`"./x"`, `'../y'`) in a source file: static and dynamic imports and `export … from`, and
 * the paths it hands to readers too (`scenarios: "./rows.jsonl"`, `new URL("./data.json", import.meta.url)`).
 */
const RELATIVE_LITERAL = /(["'`])(\.{1,2}\/[^"'`\n\r$]*)\1/g;
const CODE = /\.[cm]?[jt]sx?$/;
/** What a specifier may leave out: TypeScript's extensions, or `index` of a directory. */
const TRY = [".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs", ".json"];
const JS_AS_TS: Readonly<Record<string, string[]>> = {
  ".js": [".ts", ".tsx"],
  ".jsx": [".tsx"],
  ".mjs": [".mts"],
  ".cjs": [".cts"],
};

/**
 * The files `entries` (absolute paths of eval files or a config) reach through relative path literals,
 * transitively through the code files among them, as absolute paths (an entry only when one of them imports it). A regex, not a
 * parser: a literal in a comment adds a file to watch, which costs nothing; packages (`node_modules`) are left out.
 */
export function importedFiles(entries: readonly string[]): Set<string> {
  const found = new Set<string>();
  const seen = new Set<string>(entries);
  const queue = entries.filter((f) => CODE.test(f));
  for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch {
      continue;
    }
    for (const [, , spec] of text.matchAll(RELATIVE_LITERAL)) {
      const target = resolveSpecifier(dirname(file), spec as string);
      if (!target || /[\\/]node_modules[\\/]/.test(target)) continue;
      found.add(target);
      if (seen.has(target)) continue;
      seen.add(target);
      if (CODE.test(target)) queue.push(target);
    }
  }
  return found;
}

function resolveSpecifier(dir: string, spec: string): string | undefined {
  const base = resolve(dir, spec.replace(/[?#].*$/, ""));
  const ext = /\.[^./\\]+$/.exec(base)?.[0] ?? "";
  const candidates = [
    base,
    ...(JS_AS_TS[ext] ?? []).map((e) => base.slice(0, -ext.length) + e),
    ...TRY.map((e) => base + e),
    ...TRY.map((e) => resolve(base, `index${e}`)),
  ];
  return candidates.find((c) => statSync(c, { throwIfNoEntry: false })?.isFile());
}
