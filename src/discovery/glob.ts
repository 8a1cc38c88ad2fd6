import { isAbsolute, relative, resolve } from "node:path";
import fg from "fast-glob";

export interface EvalFile {
  absFile: string;
  /** Relative to the root, with `/` separators. */
  file: string;
}

/**
 * Finds eval files under `root`, sorted by relative path. Positional filters work like Vitest's: a file is kept
 * when its relative path contains one of them (`./evals/a.eval.jsonl` and absolute paths are normalised first).
 */
export async function discoverEvalFiles(
  root: string,
  include: readonly string[],
  exclude: readonly string[],
  filters: readonly string[],
): Promise<EvalFile[]> {
  const found = await fg([...include], {
    cwd: root,
    ignore: [...exclude],
    absolute: true,
    dot: false,
    followSymbolicLinks: false,
    onlyFiles: true,
  });
  const wanted = filters.map((f) => normaliseFilter(root, f)).filter(Boolean);
  return found
    .map((absFile) => ({ absFile, file: toPosix(relative(root, absFile)) }))
    .filter((f) => wanted.length === 0 || wanted.some((w) => f.file.includes(w)))
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

function normaliseFilter(root: string, filter: string): string {
  if (isAbsolute(filter) || filter.startsWith("./") || filter.startsWith("../")) {
    return toPosix(relative(root, resolve(root, filter)));
  }
  return toPosix(filter);
}

function toPosix(p: string): string {
  return p.split("\\").join("/");
}
