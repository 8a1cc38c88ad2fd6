import { createRequire } from "node:module";
import { join } from "node:path";

/**
 * Whether `import "jury"` resolves from a file in `root` (installed there or in a parent's node_modules), as an
 * `evals.config.ts` or `.eval.ts` there needs.
 */
export function juryResolvable(root: string): boolean {
  try {
    createRequire(join(root, "package.json")).resolve("jury/package.json");
    return true;
  } catch {
    return false;
  }
}
