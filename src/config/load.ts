import { existsSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { Document, LineCounter } from "yaml";
import { importModule } from "../discovery/import-module.ts";
import { ConfigError, MissingFileError, type Problem } from "../errors.ts";
import { escapeRegExp } from "../escape-regexp.ts";
import { lazyRequire } from "../lazy-require.ts";
import type { LocateKey } from "./schema.ts";

/** Config file names, in the order they are looked for in each directory. */
export const CONFIG_NAMES = [
  "evals.config.ts",
  "evals.config.mts",
  "evals.config.js",
  "evals.config.mjs",
  "evals.config.yaml",
  "evals.config.yml",
] as const;

/** A config file's default export (or YAML document) before validation. */
export interface LoadedConfig {
  value: unknown;
  /** YAML only: the line of a key path, so problems can name it. */
  locate?: LocateKey;
}

/**
 * `--config` (relative to root), else `./evals.config.*`, else `./config/evals.config.*`; undefined when there
 * is none. An explicit path that does not exist is a usage error.
 */
export function findConfigFile(root: string, explicit?: string): string | undefined {
  if (explicit) {
    const abs = resolve(root, explicit);
    if (!existsSync(abs) || !statSync(abs).isFile())
      throw new MissingFileError(
        `config file not found: ${explicit}`,
        "Check the --config path (relative to the project root).",
      );
    return abs;
  }
  for (const dir of [root, resolve(root, "config")]) {
    for (const name of CONFIG_NAMES) {
      const abs = resolve(dir, name);
      if (existsSync(abs)) return abs;
    }
  }
  return undefined;
}

/**
 * Loads a config file: YAML as data; TS/JS with `importModule` (the same loader as eval files). The default export may
 * be the config or a (possibly async) function returning it. A file that cannot be loaded is an `InputError`
 * naming the file and the cause, without a stack.
 */
export async function loadConfigFile(abs: string, rel: string): Promise<LoadedConfig> {
  if (/\.ya?ml$/i.test(abs)) return loadYamlConfig(await readFile(abs, "utf8"), rel);
  let mod: Record<string, unknown>;
  try {
    mod = await importModule(abs);
  } catch (err) {
    const cause = causeOf(err, abs, rel);
    // esbuild names the position of a syntax error in the config itself: report it as that line.
    const syntax = new RegExp(`^${escapeRegExp(rel)}:(\\d+):\\d+: ERROR: (.*)$`).exec(cause);
    const problem = syntax
      ? { file: rel, line: Number(syntax[1]), message: `syntax error: ${syntax[2]}` }
      : { file: rel, message: `cannot load the config: ${cause}` };
    throw new ConfigError([problem], { cause: err });
  }
  // A CommonJS config compiled from ES modules (`module.exports = require(...)` of one): the default sits one level down.
  let value = mod.default;
  if (isObject(value) && value.__esModule === true) value = value.default;
  if (typeof value === "function") {
    try {
      value = await (value as () => unknown)();
    } catch (err) {
      const problem = { file: rel, message: `the config function threw: ${causeOf(err, abs, rel)}` };
      throw new ConfigError([problem], { cause: err });
    }
  }
  if (value === undefined)
    throw new ConfigError([
      { file: rel, message: "no default export; use export default defineConfig({ ... })" },
    ]);
  return { value };
}

/** yaml, loaded on the first YAML file: a project of JSONL profiles and no YAML config never loads it. */
const yamlLib = lazyRequire<typeof import("yaml")>("yaml");

/** Parses a YAML config (pure); `locate` maps a key path to its line. */
export function loadYamlConfig(text: string, rel: string): LoadedConfig {
  const yaml = parseYaml(text, rel);
  if ("problem" in yaml) throw new ConfigError([yaml.problem]);
  const { doc, lineCounter } = yaml;
  const { isMap, isSeq } = yamlLib();
  const locate: LocateKey = (path) => {
    // The deepest node that exists on the path: a bad key's own line, or its parent's when it is missing.
    for (let n = path.length; n > 0; n--) {
      const parent = n === 1 ? doc.contents : doc.getIn(path.slice(0, n - 1), true);
      const key = path[n - 1];
      if (isMap(parent)) {
        const pair = parent.items.find((p) => (p.key as { value?: unknown } | null)?.value === key);
        const range = (pair?.key as { range?: number[] } | null)?.range;
        if (range?.[0] !== undefined) return lineCounter.linePos(range[0]).line;
      } else if (isSeq(parent) && typeof key === "number") {
        const range = (parent.items[key] as { range?: number[] } | undefined)?.range;
        if (range?.[0] !== undefined) return lineCounter.linePos(range[0]).line;
      }
    }
    return undefined;
  };
  return { value: yaml.value ?? {}, locate };
}

/**
 * A YAML file's document and plain value, or the problem that stops it (pure): a syntax error at its line, or
 * aliases that expand past the parser's limit (a "billion laughs" file) — never the parser's exception.
 */
export function parseYaml(
  text: string,
  file: string,
): { doc: Document.Parsed; lineCounter: LineCounter; value: unknown } | { problem: Problem } {
  const { LineCounter, parseDocument } = yamlLib();
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const err = doc.errors[0];
  if (err)
    return {
      problem: {
        file,
        line: err.linePos?.[0].line ?? 1,
        message: `invalid YAML: ${yamlErrorMessage(err.message)}`,
      },
    };
  try {
    return { doc, lineCounter, value: doc.toJS() };
  } catch (e) {
    if (!(e instanceof ReferenceError && /alias/i.test(e.message))) throw e;
    return {
      problem: {
        file,
        message:
          "invalid YAML: its aliases (*name) expand to too much data (a YAML alias bomb?); write the values out or use fewer aliases",
      },
    };
  }
}

/** The first line of a YAML parser error, without the position it repeats (the problem names the line). */
export function yamlErrorMessage(message: string): string {
  const first = message.split("\n")[0] ?? message;
  return first.replace(/ at line \d+, column (\d+):?$/, " (column $1)");
}

/** The useful part of a load error: no stack, no "Require stack", no tsx namespace query; paths made relative. */
function causeOf(err: unknown, abs: string, rel: string): string {
  const message = err instanceof Error ? err.message : String(err);
  const lines = message
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !/^at /.test(l));
  const stop = lines.findIndex((l) => l.startsWith("Require stack"));
  const kept = (stop === -1 ? lines : lines.slice(0, stop)).filter(
    (l) => !/^(Transform|Build) failed with/.test(l),
  );
  return (kept.join("; ") || message)
    .replace(/\?namespace=[\w-]+/g, "")
    .split(abs)
    .join(rel);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
