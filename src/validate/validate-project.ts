import { existsSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { basename, relative, resolve } from "node:path";
import { type ProfileFileContext, parseProfiles } from "../config/profiles.ts";
import { resolveConfigWithProblems } from "../config/resolve.ts";
import { discoverEvalFiles, fastGlob } from "../discovery/glob.ts";
import { loadEvalJsonl, parseEvalJsonl } from "../discovery/jsonl.ts";
import type { Problem } from "../errors.ts";
import { planCases } from "../plan/expand.ts";
import { type CapabilityCache, capabilityKey, readCapabilityCache } from "../probe/capability-cache.ts";
import { createPool, type WorkerPool } from "../runner/pool.ts";
import { planSettings } from "../runner/prepare.ts";
import type { EvalDefinition } from "../types.ts";
import { readProfileRows } from "./profile-rows.ts";
import { checkProfileRows } from "./profile-rules.ts";

export interface ValidateOptions {
  /** Project root: relative paths and the capability cache are read from here. */
  root: string;
  /** Files or directories; none means the project: its config, profiles and every eval file. */
  paths?: readonly string[];
  config?: string;
  models?: string;
  judges?: string;
}

export interface ValidationReport {
  /** Files checked, relative to the root, in the order checked. */
  files: string[];
  /** Every problem, each with a severity; grouped by file, in line order. */
  problems: Problem[];
  errors: number;
  warnings: number;
}

type FileKind = "profiles" | "eval" | "config";

const CONFIG_NAME = /^evals\.config\.(ts|mts|js|mjs|ya?ml)$/;
const EVAL_NAME = /\.eval\.(jsonl|ts)$/;
const PROFILE_NAME = /profile.*\.(jsonl|ya?ml)$/i;
const IGNORE = ["**/node_modules/**", "**/outputs/**", "**/dist/**", "**/.git/**", "**/.cache/**"];

/**
 * `evals validate`: checks model and judge profiles (the seed's rules, see `profile-rules.ts`, plus everything
 * the loader rejects), eval files through the real loaders (`*.eval.ts` collected in a worker, like a run) and
 * the config. Never throws on a problem: all of them come back as data with a severity.
 */
export async function validateProject(options: ValidateOptions): Promise<ValidationReport> {
  const root = resolve(options.root);
  const rel = (abs: string) => relative(root, abs).split("\\").join("/") || ".";
  const cache = readCapabilityCache(root);
  const files: string[] = [];
  const problems: Problem[] = [];
  let pool: Promise<WorkerPool> | undefined;
  const ctx: Context = {
    rel,
    cache,
    pool: () => {
      pool ??= createPool({ threads: true, workers: 1, concurrency: 1 });
      return pool;
    },
  };
  const add = (file: string, found: Problem[]) => {
    for (const f of [file, ...found.map((p) => p.file)]) if (!files.includes(f)) files.push(f);
    problems.push(...found);
  };
  try {
    if (!options.paths || options.paths.length === 0) {
      await validateConfig(root, options, ctx, add, true);
    } else {
      for (const path of options.paths) {
        const abs = resolve(root, path);
        const stat = statSync(abs, { throwIfNoEntry: false });
        if (!stat) {
          add(path, [{ file: path, message: "not found", severity: "error" }]);
          continue;
        }
        const fg = await fastGlob();
        const targets = stat.isDirectory()
          ? (
              await fg(
                ["**/*.eval.jsonl", "**/*.eval.ts", "**/*profile*.{jsonl,yaml,yml}", "**/evals.config.*"],
                {
                  cwd: abs,
                  absolute: true,
                  ignore: IGNORE,
                  onlyFiles: true,
                  caseSensitiveMatch: false,
                  // As discovery walks: a linked directory (or a link loop) is not entered.
                  followSymbolicLinks: false,
                },
              )
            ).sort()
          : [abs];
        if (targets.length === 0)
          add(rel(abs), [
            {
              file: rel(abs),
              message: "no profiles, eval files or config found in this directory",
              severity: "warning",
            },
          ]);
        for (const target of targets) await validateFile(root, target, options, ctx, add);
      }
    }
  } finally {
    if (pool) await (await pool).close();
  }
  const sorted = files.flatMap((f) =>
    dedupe(problems.filter((p) => p.file === f)).sort((a, b) => (a.line ?? 0) - (b.line ?? 0)),
  );
  return {
    files,
    problems: sorted,
    errors: sorted.filter((p) => p.severity === "error").length,
    warnings: sorted.filter((p) => p.severity === "warning").length,
  };
}

interface Context {
  rel: (abs: string) => string;
  cache: CapabilityCache | undefined;
  pool: () => Promise<WorkerPool>;
}
type Add = (file: string, problems: Problem[]) => void;

async function validateFile(root: string, abs: string, options: ValidateOptions, ctx: Context, add: Add) {
  const file = ctx.rel(abs);
  const kind = await kindOf(abs);
  if (kind === "config") return validateConfig(root, { ...options, config: abs }, ctx, add, false);
  if (kind === "eval") return add(file, await validateEvalFile(abs, file, ctx));
  if (kind === "profiles")
    return add(file, await validateProfileFile(abs, file, ctx.cache, { role: roleByName(abs) }));
  if (kind === "scenarios") {
    const loaded = parseEvalJsonl(await readFile(abs, "utf8"), abs, file);
    return add(file, [
      {
        file,
        message: `scenarios in a file the runner does not pick up: rename it to ${basename(abs).replace(/\.jsonl$/, ".eval.jsonl")}`,
        severity: "warning",
      },
      ...withSeverity(loaded.problems, "error"),
      ...withSeverity(loaded.warnings, "warning"),
    ]);
  }
  add(file, [
    {
      file,
      message:
        "not a file validate knows: expected *profiles*.jsonl|yaml (model or judge profiles), *.eval.jsonl, *.eval.ts or evals.config.*",
      severity: "error",
    },
  ]);
}

/** What a file is: by name first, then (for JSONL/YAML) by what its lines hold. */
async function kindOf(abs: string): Promise<FileKind | "scenarios" | undefined> {
  const name = basename(abs);
  if (CONFIG_NAME.test(name)) return "config";
  if (EVAL_NAME.test(name)) return "eval";
  if (PROFILE_NAME.test(name)) return "profiles";
  if (!/\.(jsonl|ya?ml)$/i.test(name)) return undefined;
  const text = await readFile(abs, "utf8").catch(() => "");
  const rows = readProfileRows(text, /\.ya?ml$/i.test(name) ? "yaml" : "jsonl");
  const has = (k: string) =>
    rows.some((r) => typeof r.value === "object" && r.value !== null && k in r.value);
  if (has("model_id") && !has("text_prompt")) return "profiles";
  if (has("text_prompt") && /\.jsonl$/i.test(name)) return "scenarios";
  return undefined;
}

/**
 * A model or judge profile file: the rules, plus every problem of the real loader the rules did not already
 * report on the same line and field, plus tiers the capability cache says are unavailable.
 */
export async function validateProfileFile(
  abs: string,
  file: string,
  cache: CapabilityCache | undefined,
  context: ProfileFileContext = {},
): Promise<Problem[]> {
  let text: string;
  try {
    text = await readFile(abs, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return [
      {
        file,
        message: code === "ENOENT" ? "profile file not found" : `cannot read it (${code})`,
        severity: "error",
      },
    ];
  }
  const format = /\.ya?ml$/i.test(abs) ? "yaml" : "jsonl";
  const rows = readProfileRows(text, format);
  const anyModelId = rows.some(
    (r) => typeof r.value === "object" && r.value !== null && "model_id" in (r.value as object),
  );
  if (rows.length > 0 && !anyModelId && !/model|judge/i.test(basename(abs)))
    return [
      {
        file,
        message: "not a model or judge profile file (no line has a model_id); skipped",
        severity: "warning",
      },
    ];
  const found = checkProfileRows(rows, file, context);
  const loaded = parseProfiles(text, file, format, context);
  const at = (p: Problem) => `${p.line ?? ""}|${p.path ?? ""}`;
  const errorsAt = new Set(found.filter((p) => p.severity === "error").map(at));
  const anyAt = new Set(found.map(at));
  for (const p of loaded.problems) if (!errorsAt.has(at(p))) found.push({ ...p, severity: "error" });
  for (const p of loaded.warnings) if (!anyAt.has(at(p))) found.push({ ...p, severity: "warning" });
  if (cache) found.push(...unavailableTiers(loaded.profiles, cache));
  return found;
}

/** Profiles asking for a service tier the capability cache (`evals probe`) found unavailable. */
function unavailableTiers(
  profiles: ReturnType<typeof parseProfiles>["profiles"],
  cache: CapabilityCache,
): Problem[] {
  const out: Problem[] = [];
  for (const p of profiles) {
    if (p.provider !== "bedrock" || !p.serviceTier || !p.region) continue;
    const tier = cache.entries[capabilityKey(p.modelId, p.region)]?.tiers[p.serviceTier];
    if (!tier || tier.available) continue;
    out.push({
      file: p.source.file,
      line: p.source.line,
      path: "service_tier",
      message:
        `"${p.serviceTier}" is not available for ${p.modelId} in ${p.region} (evals probe, ${cache.probedAt}` +
        `${tier.reason ? `: ${tier.reason}` : ""}); calls will fail — run evals probe --force to re-check`,
      severity: "warning",
    });
  }
  return out;
}

async function validateEvalFile(abs: string, file: string, ctx: Context): Promise<Problem[]> {
  const loaded = await loadEval(abs, file, ctx);
  return [...withSeverity(loaded.problems, "error"), ...withSeverity(loaded.warnings, "warning")];
}

async function loadEval(
  abs: string,
  file: string,
  ctx: Context,
): Promise<{ evals: EvalDefinition[]; problems: Problem[]; warnings: Problem[] }> {
  if (file.endsWith(".ts")) return (await ctx.pool()).collect(abs, file);
  const r = await loadEvalJsonl(abs, file);
  return { evals: [r.eval], problems: r.problems, warnings: r.warnings };
}

/**
 * The config through the real resolver, its model and judge profiles through the rules, and (with `evals`)
 * every eval file it includes, then the plan (an eval naming a model no profile has, …).
 */
async function validateConfig(
  root: string,
  options: ValidateOptions,
  ctx: Context,
  add: Add,
  evals: boolean,
): Promise<void> {
  const resolved = await resolveConfigWithProblems({
    root,
    filters: [],
    ...(options.config ? { config: options.config } : {}),
    ...(options.models ? { models: options.models } : {}),
    ...(options.judges ? { judges: options.judges } : {}),
  });
  const { config } = resolved;
  const profileFiles = [config.modelsFile, config.judgesFile].filter((f) => existsSync(f));
  const profileNames = new Set(profileFiles.map(ctx.rel));
  // The profile files are re-checked below with every rule; the resolver's findings on them would repeat those.
  const fromResolver = [
    ...withSeverity(resolved.problems, "error"),
    ...withSeverity(resolved.warnings, "warning"),
  ].filter((p) => !profileNames.has(p.file));
  if (config.configFile) add(ctx.rel(config.configFile), []);
  for (const p of fromResolver) add(p.file, [p]);
  for (const f of [...new Set(profileFiles)])
    add(
      ctx.rel(f),
      await validateProfileFile(f, ctx.rel(f), ctx.cache, {
        role: f === config.judgesFile ? "judge" : "model",
        ...(config.priceUnit ? { priceUnit: config.priceUnit } : {}),
      }),
    );
  if (!evals) return;

  const loaded: EvalDefinition[] = [];
  let failed = resolved.problems.length > 0;
  for (const f of await discoverEvalFiles(config.root, config.include, config.exclude, [])) {
    const r = await loadEval(f.absFile, f.file, ctx);
    add(f.file, [...withSeverity(r.problems, "error"), ...withSeverity(r.warnings, "warning")]);
    failed ||= r.problems.length > 0;
    loaded.push(...r.evals);
  }
  if (failed) return;
  const plan = planCases({ ...planSettings(config), evals: loaded });
  for (const p of plan.problems) add(p.file, [{ ...p, severity: "error" }]);
}

/** Whose profiles a file named on the command line holds, by its name (`judge_profiles.jsonl`). */
function roleByName(abs: string): "model" | "judge" {
  return /judge/i.test(basename(abs)) ? "judge" : "model";
}

function withSeverity(problems: readonly Problem[], severity: "error" | "warning"): Problem[] {
  return problems.map((p) => ({ ...p, severity: p.severity ?? severity }));
}

function dedupe(problems: readonly Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const k = `${p.severity}|${p.line ?? ""}|${p.path ?? ""}|${p.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
