import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parse as parseYaml } from "yaml";
import { InputError, UsageError } from "../errors.ts";

const NAMES = [
  "evals.config.ts",
  "evals.config.mts",
  "evals.config.js",
  "evals.config.mjs",
  "evals.config.yaml",
  "evals.config.yml",
];

/** `--config`, else `./evals.config.*`, else `./config/evals.config.*`; undefined when there is none. */
export function findConfigFile(root: string, explicit?: string): string | undefined {
  if (explicit) {
    const abs = resolve(root, explicit);
    if (!existsSync(abs))
      throw new UsageError(`config file not found: ${explicit}`, "Check the --config path.");
    return abs;
  }
  for (const dir of [root, resolve(root, "config")]) {
    for (const name of NAMES) {
      const abs = resolve(dir, name);
      if (existsSync(abs)) return abs;
    }
  }
  return undefined;
}

/**
 * Loads a config file: YAML as data; TS/JS through tsx (the same loader as eval files). The default export may
 * be the config or a function returning it.
 */
export async function loadConfigFile(abs: string, rel: string): Promise<unknown> {
  if (/\.ya?ml$/.test(abs)) {
    try {
      return parseYaml(await readFile(abs, "utf8")) ?? {};
    } catch (err) {
      throw new InputError([{ file: rel, message: `invalid YAML: ${firstLine(err)}` }]);
    }
  }
  let mod: { default?: unknown };
  try {
    const { tsImport } = await import("tsx/esm/api");
    mod = (await tsImport(pathToFileURL(abs).href, import.meta.url)) as { default?: unknown };
  } catch (err) {
    throw new InputError([{ file: rel, message: `cannot load the config: ${firstLine(err)}` }]);
  }
  let value = mod.default;
  if (typeof value === "function") value = await (value as () => unknown)();
  if (value === undefined)
    throw new InputError([
      { file: rel, message: "no default export; use export default defineConfig({...})" },
    ]);
  return value;
}

function firstLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.split("\n")[0] ?? msg;
}
