import { existsSync, readFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { parseEnv } from "node:util";
import { isReporterName, REPORTER_CHOICES } from "../../reporters/index.ts";
import { ConfigError, FlagError, InputError, type Problem, UnknownReporterError } from "../errors.ts";
import { currentEnv } from "../io-context.ts";
import type {
  GateSettings,
  JurySettings,
  ModelProfile,
  PriceUnit,
  ReporterSpec,
  ResolvedConfig,
  RunSettings,
  StartOptions,
  UserConfig,
} from "../types.ts";
import { DEFAULT_OUTPUT_FILES, DEFAULTS, LIVE_RUN_WORKERS } from "./defaults.ts";
import { findConfigFile, loadConfigFile } from "./load.ts";
import { checkOptionValues } from "./option-table.ts";
import { configOverrides, START_OPTIONS } from "./options.ts";
import { type LoadedProfiles, loadProfiles } from "./profiles.ts";
import type { LocateKey } from "./schema.ts";

/** What a command needs of the profile files, so it loads only what it uses. */
export interface ResolveNeeds {
  /**
   * `"all"`: both files must load (a run). `"present"`: those that exist (at least one must); a default path
   * with no file is skipped, a path the config or a flag names must exist (probe, report's summary model).
   * `"none"`: neither is read (merge, report: they read finished runs). @default "all"
   */
  profiles?: "all" | "present" | "none";
  /** Whether the command takes --models/--judges, so a missing file's hint may name them. @default true */
  profileFlags?: boolean;
}

/**
 * The one resolver: command line (`options`) > config file > defaults. Loads the model and judge profiles and
 * throws one `InputError` carrying every problem of the config and both profile files, so a user fixes them in
 * one go; out-of-range options are a `FlagError` naming the flag. Warnings are returned as data.
 *
 * Paths from the config file are relative to its directory; paths from options, to the root. Include/exclude
 * globs are always matched from the root. Every path in the result is absolute.
 */
export async function resolveConfig(
  options: StartOptions,
  needs: ResolveNeeds = {},
): Promise<{ config: ResolvedConfig; warnings: Problem[] }> {
  const { config, warnings, problems } = await resolveConfigWithProblems(options, needs);
  if (problems.length) throw new ConfigError(problems);
  return { config, warnings };
}

/**
 * `resolveConfig` that returns the config's and profiles' problems as data instead of throwing them, so the
 * caller can add the eval files' problems and report everything at once. When there are problems, the config
 * is a best effort (the valid parts of the config file, profiles that loaded) and must not be run.
 */
export async function resolveConfigWithProblems(
  options: StartOptions,
  needs: ResolveNeeds = {},
): Promise<{ config: ResolvedConfig; warnings: Problem[]; problems: Problem[] }> {
  checkOptions(options);
  const root = resolve(options.root ?? process.cwd());
  loadDotEnv(root);
  const rel = (abs: string) => relative(root, abs).split("\\").join("/") || ".";
  const problems: Problem[] = [];
  const warnings: Problem[] = [];

  const configFile = findConfigFile(root, options.config);
  let user: UserConfig = {};
  let locate: LocateKey | undefined;
  if (configFile) {
    const loaded = await loadConfigFile(configFile, rel(configFile)).catch((err: unknown) => {
      if (!(err instanceof InputError)) throw err;
      problems.push(...err.problems);
      return undefined;
    });
    if (loaded) {
      locate = loaded.locate;
      // zod (~100 ES modules) is loaded only when there is a config to validate.
      const schema = await import("./schema.ts");
      const checked = schema.validateUserConfig(loaded.value, rel(configFile), loaded.locate);
      problems.push(...checked.problems);
      // An invalid config still names its profile files and evals, so their problems are reported in the same go.
      user = checked.config ?? validPartsOf(loaded.value, schema.userConfigSchema);
      problems.push(...unknownReporters(user, rel(configFile), loaded.locate));
    }
  }
  const configDir = configFile ? dirname(configFile) : root;
  const configName = configFile ? rel(configFile) : "the config";

  const pickFile = (kind: "models" | "judges", flag: string | undefined) => {
    if (flag) return { abs: resolve(root, flag), from: `--${kind}` };
    const fromConfig = user[kind];
    if (fromConfig) return { abs: resolve(configDir, fromConfig), from: `${kind} in ${configName}` };
    return { abs: resolve(root, kind === "models" ? DEFAULTS.modelsFile : DEFAULTS.judgesFile) };
  };
  const modelsFile = pickFile("models", options.models);
  const judgesFile = pickFile("judges", options.judges);
  // Latency-only runs have no jury: they read no judge file (as in the seed, whose dashboard leaves it empty).
  const latencyOnly = options.latencyOnly ?? user.run?.latencyOnly ?? false;
  const wanted = needs.profiles ?? "all";
  const anyPresent = existsSync(modelsFile.abs) || existsSync(judgesFile.abs);
  // A file is skipped when the command reads no profiles; when it reads those present and this one is absent from
  // its default path while the other file exists; or when absent is fine (a latency-only run's judges).
  const skip = (file: { abs: string; from?: string }, absentIsFine: boolean) => {
    if (wanted === "none") return true;
    const absent = !existsSync(file.abs);
    return wanted === "present" ? absent && !file.from && anyPresent : absent && absentIsFine;
  };
  const flags = needs.profileFlags ?? true;
  const judgesRead = !(latencyOnly && wanted === "all") && !skip(judgesFile, latencyOnly);
  const [models, judges] = await Promise.all([
    skip(modelsFile, false) ? noProfiles() : readProfiles("model", modelsFile, rel, flags, user.priceUnit),
    judgesRead ? readProfiles("judge", judgesFile, rel, flags, user.priceUnit) : noProfiles(),
  ]);
  const priceUnits = [models.priceUnit, judges.priceUnit].filter((n) => n !== undefined);
  problems.push(...models.problems, ...judges.problems);
  warnings.push(...models.warnings, ...judges.warnings);

  const judgesName = judgesRead && judges.problems.length === 0 ? rel(judgesFile.abs) : undefined;
  // What the options set, shaped like the config file (the option table names each key), goes over the file.
  const cli = configOverrides(options);
  const jury = resolveJury(cli, user, judges.profiles, judgesName, configName, problems, locate);
  const run = resolveRun(options, cli, user, configName, warnings, [...models.profiles, ...judges.profiles]);
  const gate = resolveGate(options, cli, user, { root, configDir });
  checkTrialPass(options, gate, configName, problems, locate);

  const outputDir = options.outputDir
    ? resolve(root, options.outputDir)
    : user.outputDir
      ? resolve(configDir, user.outputDir)
      : resolve(root, DEFAULTS.outputDir);

  return {
    config: {
      root,
      ...(configFile ? { configFile } : {}),
      include: [...(user.include ?? DEFAULTS.include)],
      exclude: [...(user.exclude ?? DEFAULTS.exclude)],
      filters: options.filters ?? [],
      ...(options.testNamePattern ? { testNamePattern: options.testNamePattern } : {}),
      modelsFile: modelsFile.abs,
      judgesFile: judgesFile.abs,
      models: models.profiles,
      judges: judges.profiles,
      ...(user.priceUnit ? { priceUnit: user.priceUnit } : {}),
      priceUnits,
      jury,
      run,
      gate,
      reporters: resolveReporters(options, user, { root, configDir, outputDir }),
      outputDir,
      passWithNoEvals: options.passWithNoEvals === true,
      cache: cli.cache ?? user.cache ?? "off",
    },
    warnings,
    problems,
  };
}

/** A profile file not read, or read into nothing (fresh arrays: the config keeps `profiles`). */
const noProfiles = (problems: Problem[] = []): LoadedProfiles => ({
  profiles: [] as ModelProfile[],
  problems,
  warnings: [] as Problem[],
});

/**
 * Loads one profile file; a missing one is a problem that says where the path came from and what to do (naming
 * --models/--judges only when the command takes them).
 */
async function readProfiles(
  kind: "model" | "judge",
  file: { abs: string; from?: string },
  rel: (abs: string) => string,
  profileFlags: boolean,
  priceUnit: PriceUnit | undefined,
): Promise<LoadedProfiles> {
  if (existsSync(file.abs))
    return loadProfiles(file.abs, rel(file.abs), { role: kind, ...(priceUnit ? { priceUnit } : {}) });
  const example =
    kind === "model"
      ? '{"model_id": "openai/gpt-4o", "input_token_cost": 0.0025, "output_token_cost": 0.01}'
      : '{"model_id": "bedrock/us.amazon.nova-premier-v1:0", "region": "us-east-2"}';
  const message = file.from
    ? `${kind} profile file not found (set by ${file.from}); check the path`
    : `no ${kind} profile file: create it with one ${kind} per line, e.g. ${example}, ` +
      (profileFlags
        ? `or point --${kind}s (or ${kind}s in the config) at one`
        : `or point ${kind}s in the config at one`);
  return noProfiles([{ file: rel(file.abs), message }]);
}

function resolveJury(
  cli: UserConfig,
  user: UserConfig,
  judges: ModelProfile[],
  /** The judge file's name, when it loaded without problems. */
  judgesFile: string | undefined,
  configName: string,
  problems: Problem[],
  locate?: LocateKey,
): JurySettings {
  const quorum = cli.jury?.quorum ?? user.jury?.quorum;
  if (quorum !== undefined && judgesFile !== undefined && quorum > judges.length) {
    const message = `quorum ${quorum} is more than the ${judges.length} judge(s) in ${judgesFile}`;
    if (cli.jury?.quorum !== undefined) throw new FlagError(`--${message}`, "Lower --quorum or add judges.");
    const line = locate?.(["jury", "quorum"]);
    problems.push({
      file: configName,
      ...(line === undefined ? {} : { line }),
      path: "jury.quorum",
      message: `${message}; lower it or add judges`,
    });
  }
  return {
    threshold: cli.jury?.threshold ?? user.jury?.threshold ?? DEFAULTS.jury.threshold,
    aggregate: cli.jury?.aggregate ?? user.jury?.aggregate ?? DEFAULTS.jury.aggregate,
    ...(quorum === undefined ? {} : { quorum }),
    metrics: [...(cli.jury?.metrics ?? user.jury?.metrics ?? DEFAULTS.jury.metrics)],
  };
}

/**
 * K of `--trial-pass K` must be at most N of `--trials N`; the flag needs `--trials` (the config's `gate.trialPass`
 * is read only in a `--trials` run, so a config can set it for the runs that trial).
 */
function checkTrialPass(
  options: StartOptions,
  gate: GateSettings,
  configName: string,
  problems: Problem[],
  locate?: LocateKey,
): void {
  const k = gate.trialPass;
  if (k === undefined) return;
  const fromFlag = options.trialPass !== undefined;
  if (options.trials === undefined) {
    if (fromFlag)
      throw new FlagError(
        `--trial-pass ${k} needs --trials N: it says how many of a case's N trials must pass`,
        `Add --trials, e.g. --trials ${Math.max(k, 3)} --trial-pass ${k}.`,
      );
    return;
  }
  if (k <= options.trials) return;
  const message = `trial-pass ${k} is more than the ${options.trials} trials of --trials ${options.trials}`;
  if (fromFlag)
    throw new FlagError(`--${message}`, `Lower --trial-pass to at most ${options.trials} or raise --trials.`);
  const line = locate?.(["gate", "trialPass"]);
  problems.push({
    file: configName,
    ...(line === undefined ? {} : { line }),
    path: "gate.trialPass",
    message: `${message}; lower it to at most ${options.trials} or raise --trials`,
  });
}

/** Gate settings: flags over the config's `gate`; a baseline path from the config is relative to the config. */
function resolveGate(
  options: StartOptions,
  cli: UserConfig,
  user: UserConfig,
  dirs: { root: string; configDir: string },
): GateSettings {
  const { baseline: _flag, ...fromCli } = cli.gate ?? {};
  const { baseline: _file, ...fromFile } = user.gate ?? {};
  const baseline = options.baseline
    ? resolve(dirs.root, options.baseline)
    : user.gate?.baseline
      ? resolve(dirs.configDir, user.gate.baseline)
      : undefined;
  return {
    ...DEFAULTS.gate,
    ...defined(fromFile),
    ...fromCli,
    ...(options.trials !== undefined ? { trials: true } : {}),
    ...(baseline === undefined ? {} : { baseline }),
  };
}

function resolveRun(
  options: StartOptions,
  cli: UserConfig,
  user: UserConfig,
  configName: string,
  warnings: Problem[],
  profiles: readonly ModelProfile[],
): RunSettings {
  const live = profiles.length > 0 && profiles.every((p) => p.provider !== "mock");
  const run: RunSettings = {
    ...DEFAULTS.run,
    ...(live ? { workers: LIVE_RUN_WORKERS } : {}),
    ...defined(user.run),
    ...cli.run,
    retry: { ...DEFAULTS.run.retry, ...defined(user.run?.retry), ...cli.run?.retry },
  };
  if (options.trials !== undefined) run.invocations = options.trials;
  if (run.workers > run.concurrency) {
    const explicit = options.workers !== undefined || user.run?.workers !== undefined;
    if (explicit)
      warnings.push({
        file: options.workers !== undefined ? "--workers" : configName,
        ...(options.workers !== undefined ? {} : { path: "run.workers" }),
        message: `${run.workers} workers for ${run.concurrency} cases in flight: using ${run.concurrency} workers`,
      });
    run.workers = run.concurrency;
  }
  return run;
}

/**
 * `--reporter` replaces the config's list. `--outputFile.<name>` sets where that reporter writes when it runs
 * (it adds no reporter). Built-in file reporters default under the output dir.
 */
function resolveReporters(
  options: StartOptions,
  user: UserConfig,
  dirs: { root: string; configDir: string; outputDir: string },
): ReporterSpec[] {
  const fromConfig = user.reporters?.map((r): ReporterSpec => {
    const [name, opts] = typeof r === "string" ? [r, {}] : r;
    return {
      name: modulePathFromConfig(name, dirs),
      ...(opts.outputFile ? { outputFile: resolve(dirs.configDir, opts.outputFile) } : {}),
    };
  });
  const chosen =
    options.reporters?.map((name): ReporterSpec => ({ name })) ?? fromConfig ?? DEFAULTS.reporters;
  // In GitHub Actions, annotations and the job summary come on their own, whatever else reports.
  const onGithub = currentEnv().GITHUB_ACTIONS === "true" && !chosen.some((r) => r.name === "github-actions");
  const specs = onGithub ? [...chosen, { name: "github-actions" }] : chosen;
  return specs.map((spec) => {
    const cli = options.outputFile?.[spec.name];
    if (cli) return { ...spec, outputFile: resolve(dirs.root, cli) };
    if (spec.outputFile) return { ...spec };
    const fallback = DEFAULT_OUTPUT_FILES[spec.name];
    return fallback ? { ...spec, outputFile: resolve(dirs.outputDir, fallback) } : { ...spec };
  });
}

/** A reporter module path written in the config is relative to the config file; reporters load from the root. */
function modulePathFromConfig(name: string, dirs: { root: string; configDir: string }): string {
  if (!/^\.\.?[/\\]/.test(name)) return name;
  const fromRoot = relative(dirs.root, resolve(dirs.configDir, name)).split("\\").join("/");
  return fromRoot.startsWith("../") ? fromRoot : `./${fromRoot}`;
}

/** The top-level options of a config that failed validation that are valid on their own (profile paths, globs). */
function validPartsOf(value: unknown, userConfigSchema: { shape: object }): UserConfig {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return {};
  const shape = userConfigSchema.shape as Record<string, { safeParse(v: unknown): { success: boolean } }>;
  return Object.fromEntries(
    Object.entries(value).filter(([key, v]) => shape[key]?.safeParse(v).success === true),
  ) as UserConfig;
}

/** A reporter in the config that is neither built in nor a module path: a problem on its list item. */
function unknownReporters(user: UserConfig, file: string, locate?: LocateKey): Problem[] {
  return (user.reporters ?? []).flatMap((r, i) => {
    const name = typeof r === "string" ? r : r[0];
    if (isReporterName(name)) return [];
    const line = locate?.(["reporters", i]);
    const message = `unknown reporter "${name}"; ${REPORTER_CHOICES}`;
    return [{ file, ...(line === undefined ? {} : { line }), path: `reporters.${i}`, message }];
  });
}

/** Ranges and choices of the options (the option table's), and the reporter names; each message names the flag. */
function checkOptions(o: StartOptions): void {
  checkOptionValues(START_OPTIONS, o);
  for (const name of o.reporters ?? [])
    if (!isReporterName(name))
      throw new UnknownReporterError(`--reporter: unknown reporter "${name}"; ${REPORTER_CHOICES}`);
}

/** The keys of an object that have a value (a TS config may spell out `key: undefined`). */
function defined<T extends object>(o: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * Loads `.env` from the root into the current environment (without overriding it): secrets live there or in
 * the environment. The CLI call's env, not necessarily the process's (see io-context.ts).
 */
function loadDotEnv(root: string): void {
  const file = resolve(root, ".env");
  if (!existsSync(file)) return;
  const env = currentEnv();
  for (const [k, v] of Object.entries(parseEnv(readFileSync(file, "utf8")))) env[k] ??= v;
}
