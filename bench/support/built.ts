import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const REPO = fileURLToPath(new URL("../..", import.meta.url));

/** How many `.ts` files under `dir` changed after `than` (ms since the epoch): a dist/ older than them is stale. */
export function newerSources(dir: string, than: number): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) n += newerSources(p, than);
    else if (e.name.endsWith(".ts") && statSync(p).mtimeMs > than) n++;
  }
  return n;
}

/**
 * Imports a module of the runner from dist/ (what users run) when the build is current, else from the sources
 * (`module` without extension, e.g. `src/index`), and says which.
 */
export async function builtOrSource<T>(module: string): Promise<T & { label: string }> {
  const built = join(REPO, "dist", `${module}.js`);
  const current = existsSync(built) && newerSources(join(REPO, "src"), statSync(built).mtimeMs) === 0;
  const file = current ? built : join(REPO, `${module}.ts`);
  const mod = (await import(pathToFileURL(file).href)) as T;
  return { ...mod, label: current ? "built (dist/)" : "sources (tsx; npm run build for the built runner)" };
}
