import { existsSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { InputError, type Problem, UsageError } from "../errors.ts";
import type { ReporterSpec, ResolvedConfig, StartOptions, UserConfig } from "../types.ts";
import { DEFAULT_OUTPUT_FILES, DEFAULTS } from "./defaults.ts";
import { findConfigFile, loadConfigFile } from "./load.ts";
import { loadProfiles } from "./profiles.ts";
import { validateUserConfig } from "./schema.ts";

/**
 * The one resolver: command line > config file > defaults. Loads the profiles and returns every problem at once
 * (as an `InputError`) so a user fixes them in one go; warnings are returned as data.
 */
export async function resolveConfig(
  options: StartOptions,
): Promise<{ config: ResolvedConfig; warnings: Problem[] }> {
  checkRanges(options);
  const root = resolve(options.root ?? process.cwd());
  loadDotEnv(root);
  const rel = (abs: string) => relative(root, abs).split("\\").join("/") || ".";

  const configFile = findConfigFile(root, options.config);
  let user: UserConfig = {};
  if (configFile) {
    const { config, problems } = validateUserConfig(
      await loadConfigFile(configFile, rel(configFile)),
      rel(configFile),
    );
    if (problems.length) throw new InputError(problems);
    user = config ?? {};
  }
  const configDir = configFile ? dirname(configFile) : root;

  const modelsFile = options.models
    ? resolve(root, options.models)
    : user.models
      ? resolve(configDir, user.models)
      : resolve(root, DEFAULTS.modelsFile);
  const judgesFile = options.judges
    ? resolve(root, options.judges)
    : user.judges
      ? resolve(configDir, user.judges)
      : resolve(root, DEFAULTS.judgesFile);
  const [models, judges] = await Promise.all([
    loadProfiles(modelsFile, rel(modelsFile)),
    loadProfiles(judgesFile, rel(judgesFile)),
  ]);
  const problems = [...models.problems, ...judges.problems];
  if (problems.length) throw new InputError(problems);

  const run = { ...DEFAULTS.run, ...user.run };
  const pick = <K extends keyof typeof run>(k: K, v: (typeof run)[K] | undefined) => {
    if (v !== undefined) run[k] = v;
  };
  pick("concurrency", options.concurrency);
  pick("workers", options.workers);
  pick("threads", options.threads);
  pick("invocations", options.invocations);
  pick("experiments", options.experiments);
  pick("temperatureVariations", options.temperatureVariations);
  pick("stream", options.stream);
  pick("timeoutMs", options.timeoutMs);
  pick("bail", options.bail);
  run.workers = Math.min(run.workers, run.concurrency);

  const quorum = options.quorum ?? user.jury?.quorum;
  const jury = {
    threshold: options.threshold ?? user.jury?.threshold ?? DEFAULTS.jury.threshold,
    aggregate: options.aggregate ?? user.jury?.aggregate ?? DEFAULTS.jury.aggregate,
    metrics: options.metrics ?? user.jury?.metrics ?? [],
    ...(quorum === undefined ? {} : { quorum }),
  };
  if (quorum !== undefined && quorum > judges.profiles.length) {
    throw new UsageError(
      `quorum ${quorum} is more than the ${judges.profiles.length} judge(s) in ${rel(judgesFile)}`,
      "Lower --quorum (or jury.quorum) or add judges.",
    );
  }

  const outputDir = options.outputDir ?? user.outputDir ?? DEFAULTS.outputDir;
  const reporters = resolveReporters(options, user, outputDir, configDir, root);

  return {
    config: {
      root,
      ...(configFile ? { configFile } : {}),
      include: user.include ?? [...DEFAULTS.include],
      exclude: user.exclude ?? [...DEFAULTS.exclude],
      filters: options.filters ?? [],
      ...(options.testNamePattern ? { testNamePattern: options.testNamePattern } : {}),
      modelsFile,
      judgesFile,
      models: models.profiles,
      judges: judges.profiles,
      jury,
      run,
      gate: { minPassRate: options.minPassRate ?? user.gate?.minPassRate ?? DEFAULTS.gate.minPassRate },
      reporters,
      outputDir,
      passWithNoEvals: options.passWithNoEvals === true,
    },
    warnings: [...models.warnings, ...judges.warnings],
  };
}

/**
 * `--reporter` replaces the config's list; `--outputFile.<name>` sets where that reporter writes. Paths from the
 * config are relative to the config file, from the CLI to the root; built-in files default under the output dir.
 */
function resolveReporters(
  options: StartOptions,
  user: UserConfig,
  outputDir: string,
  configDir: string,
  root: string,
): ReporterSpec[] {
  const fromConfig: ReporterSpec[] | undefined = user.reporters?.map((r) =>
    typeof r === "string"
      ? { name: r }
      : {
          name: r[0],
          ...(r[1].outputFile ? { outputFile: relative(root, resolve(configDir, r[1].outputFile)) } : {}),
        },
  );
  const specs: ReporterSpec[] = options.reporters?.map((name) => ({ name })) ??
    fromConfig ?? [...DEFAULTS.reporters];
  return specs.map((spec) => {
    const file = options.outputFile?.[spec.name] ?? spec.outputFile;
    const fallback = DEFAULT_OUTPUT_FILES[spec.name];
    if (file) return { ...spec, outputFile: file };
    return fallback ? { ...spec, outputFile: `${outputDir}/${fallback}` } : spec;
  });
}

function checkRanges(o: StartOptions): void {
  const int = (flag: string, v: number | undefined, min: number) => {
    if (v !== undefined && !(Number.isInteger(v) && v >= min))
      throw new UsageError(
        `--${flag} must be ${min === 0 ? "an integer ≥ 0" : "a positive integer"} (got ${v})`,
      );
  };
  if (o.threshold !== undefined && !(o.threshold >= 1 && o.threshold <= 5))
    throw new UsageError(`--threshold must be between 1 and 5 (got ${o.threshold})`);
  if (o.minPassRate !== undefined && !(o.minPassRate >= 0 && o.minPassRate <= 1))
    throw new UsageError(
      `--min-pass-rate must be between 0 and 1 (got ${o.minPassRate})`,
      "It is a fraction: 0.9 means 90% of cases must pass.",
    );
  int("concurrency", o.concurrency, 1);
  int("workers", o.workers, 1);
  int("invocations", o.invocations, 1);
  int("experiments", o.experiments, 1);
  int("temperature-variations", o.temperatureVariations, 0);
  int("quorum", o.quorum, 1);
  int("bail", o.bail, 0);
  int("timeout", o.timeoutMs, 1);
}

/** Loads `.env` from the root (without overriding the environment): secrets live there or in the environment. */
function loadDotEnv(root: string): void {
  const file = resolve(root, ".env");
  if (existsSync(file)) process.loadEnvFile(file);
}
