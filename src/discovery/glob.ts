import { existsSync, statSync } from "node:fs";
import { isAbsolute, relative, resolve } from "node:path";
import { UsageError } from "../errors.ts";
import { vendored } from "../vendor.ts";

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
  const fg = await fastGlob();
  const found = await fg([...include], {
    cwd: root,
    ignore: [...exclude],
    absolute: true,
    dot: false,
    followSymbolicLinks: false,
    onlyFiles: true,
  });
  // A filter that names an eval file runs it even when the include patterns miss it (`evals scenarios.jsonl`),
  // looked up from the root or in `runs/`, where the seed kept its input files. A bare name found in both is
  // refused rather than picked: the seed reads `runs/`, a Vitest habit the root.
  const named = filters
    .map((f) => {
      const found = [resolve(root, f), resolve(root, "runs", f)].filter(isEvalFile);
      if (found.length === 2 && !isAbsolute(f) && !f.startsWith("./") && !f.startsWith("runs/"))
        throw new UsageError(
          `${f} names two eval files: ${f} and runs/${f} (where 360-eval keeps its input files)`,
          {
            hint: `Give the one you mean: ./${f} or runs/${f}.`,
          },
        );
      return found[0];
    })
    .filter((f): f is string => f !== undefined);
  const wanted = filters.map((f) => normaliseFilter(root, f)).filter(Boolean);
  const picked = found.filter((absFile) => {
    const file = toPosix(relative(root, absFile));
    return wanted.length === 0 || wanted.some((w) => file.includes(w));
  });
  return [...new Set([...picked, ...named])]
    .map((absFile) => ({ absFile, file: toPosix(relative(root, absFile)) }))
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

function isEvalFile(abs: string): boolean {
  return /\.(jsonl|ts)$/.test(abs) && existsSync(abs) && statSync(abs).isFile();
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

/** fast-glob, loaded by the first search (its one-file bundle when built: src/vendor.ts). */
export async function fastGlob(): Promise<typeof import("fast-glob")> {
  return ((await import(vendored("fast-glob"))) as { default: typeof import("fast-glob") }).default;
}
