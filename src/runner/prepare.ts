import { realpathSync } from "node:fs";
import { batchingWanted } from "../batch/wanted.ts";
import { resolveConfigWithProblems } from "../config/resolve.ts";
import { changedFiles } from "../discovery/changed.ts";
import { compileTestNamePattern } from "../discovery/filters.ts";
import { discoverEvalFiles } from "../discovery/glob.ts";
import { planImageProblems } from "../discovery/image-check.ts";
import { loadEvalJsonl } from "../discovery/jsonl.ts";
import {
  ConfigError,
  EvalFileError,
  formatProblem,
  InputError,
  NoEvalsError,
  type Problem,
} from "../errors.ts";
import { plural } from "../number-text.ts";
import { type Plan, type PlanInput, planCases } from "../plan/expand.ts";
import { planOptionsOf } from "../plan/plan-options.ts";
import { parseShard, shardPlan } from "../plan/shard.ts";
import type { EvalDefinition, ModelProfile, ResolvedConfig, StartOptions } from "../types.ts";
import { createPool, type WorkerPool } from "./pool.ts";
import { readRetryPlan, retriedPlan } from "./retry-plan.ts";

/** What a run tells the pool it creates (`PreparedRun.pool`). */
export interface RunPool {
  warm: readonly ModelProfile[];
  cases: number;
}

export interface PreparedRun {
  config: ResolvedConfig;
  evals: EvalDefinition[];
  plan: Plan;
  warnings: string[];
  /**
   * Created only when something needs a worker (a `.eval.ts` to collect, or the run itself). `run`, from the call
   * that creates the pool: the profiles whose providers its threads load and warm up as they start, and how many
   * cases it will run (no more threads than they fill).
   */
  pool(run?: RunPool): Promise<WorkerPool>;
  close(): Promise<void>;
}

/** What planning takes from a resolved config (the evals and CLI overrides aside). */
export function planSettings(config: ResolvedConfig): Omit<PlanInput, "evals"> {
  return {
    models: config.models,
    judges: config.judges,
    jury: config.jury,
    invocations: config.run.invocations,
    experiments: config.run.experiments,
    temperatureVariations: config.run.temperatureVariations,
    stream: config.run.stream,
    timeoutMs: config.run.timeoutMs,
    caseTimeoutMs: config.run.caseTimeoutMs,
    retry: config.run.retry,
    promptOptimization: config.run.promptOptimization,
    vision: config.run.vision,
    latencyOnly: config.run.latencyOnly,
  };
}

/**
 * Steps 1–4 of a run (DESIGN §1): resolve config, discover, load, plan. Throws an `InputError` with every problem
 * found, before anything runs (a `ConfigError` or `EvalFileError` when they are all of one kind). Shared by
 * `evals` and `evals list`. `checkConfig` runs on a config without problems before any eval file is loaded.
 */
export async function prepareRun(
  given: StartOptions,
  checkConfig?: (config: ResolvedConfig) => void,
): Promise<PreparedRun> {
  // --retry-errors plans the named run's own cases, from the options it recorded, whatever today's flags are.
  const retry =
    given.retryErrors !== undefined && given.resume === undefined
      ? await readRetryPlan({ ...given, retryErrors: given.retryErrors })
      : undefined;
  const options = retry?.options ?? given;
  // Problems of the config and profiles are reported with the eval files' own, so one run shows all to fix.
  const {
    config,
    warnings: configWarnings,
    problems: configProblems,
  } = await resolveConfigWithProblems(options);
  if (configProblems.length === 0) checkConfig?.(config);
  const warnings = configWarnings.map(formatProblem);
  const testNamePattern = compileTestNamePattern(config.testNamePattern);

  let poolPromise: Promise<WorkerPool> | undefined;
  const pool = (run?: RunPool) => {
    // Made earlier to collect the `.eval.ts` files: its threads are started (their number without `run.cases`), and
    // warm up the run's profiles now.
    if (poolPromise && run)
      void poolPromise.then(
        (made) => made.warm?.(run.warm),
        () => undefined,
      );
    poolPromise ??= createPool({
      ...run,
      // Batched calls wait on this process's one collector: cases run in the main thread (docs/batch.md).
      threads: config.run.threads && !batchingWanted(config, options),
      workers: config.run.workers,
      concurrency: config.run.concurrency,
      ...(config.run.workerMemoryMb === undefined ? {} : { workerMemoryMb: config.run.workerMemoryMb }),
    });
    return poolPromise;
  };
  const close = async () => {
    if (poolPromise) await (await poolPromise).close();
  };

  try {
    let files = await discoverEvalFiles(config.root, config.include, config.exclude, config.filters);
    if (options.changed !== undefined) {
      const changed = changedFiles(config.root, options.changed === true ? "HEAD" : options.changed);
      files = files.filter((f) => changed.has(realpathSync(f.absFile)) || changed.has(f.absFile));
    }
    const problems: Problem[] = [...configProblems];
    const evals: EvalDefinition[] = [];
    for (const f of files) {
      const loaded = f.file.endsWith(".ts")
        ? await (await pool()).collect(f.absFile, f.file)
        : await loadEvalJsonl(f.absFile, f.file).then((r) => ({
            evals: [r.eval],
            problems: r.problems,
            warnings: r.warnings,
          }));
      problems.push(...loaded.problems);
      warnings.push(...loaded.warnings.map(formatProblem));
      evals.push(...loaded.evals);
    }
    if (problems.length)
      throw problems.length === configProblems.length
        ? new ConfigError(problems)
        : configProblems.length === 0
          ? new EvalFileError(problems)
          : new InputError(problems);
    const planned = planCases({
      ...planSettings(config),
      evals,
      overrides: {
        ...((options.invocations ?? options.trials) === undefined
          ? {}
          : { invocations: options.invocations ?? options.trials }),
        ...(options.threshold === undefined ? {} : { threshold: options.threshold }),
      },
      ...(testNamePattern ? { testNamePattern } : {}),
    });
    if (planned.problems.length) throw new EvalFileError(planned.problems);
    const imageProblems = planImageProblems(planned.cases, config.root, evals);
    if (imageProblems.length) throw new EvalFileError(imageProblems);
    const whole = { ...planned, options: planOptionsOf(options) };
    const sharded = options.shard ? shardPlan(whole, parseShard(options.shard)) : whole;
    const retried = retry ? retriedPlan(sharded, retry, config) : undefined;
    warnings.push(...(retried?.warnings ?? []));
    const plan = retried?.plan ?? sharded;
    // Like Vitest: nothing changed is not a failure.
    if (
      plan.cases.length + plan.skipped.length === 0 &&
      !config.passWithNoEvals &&
      options.changed === undefined
    ) {
      throw new NoEvalsError(
        files.length === 0
          ? `no eval files found in ${config.root} (include: ${config.include.join(", ")}${config.filters.length ? `; filters: ${config.filters.join(", ")}` : ""})`
          : `no cases matched${config.testNamePattern ? ` -t ${JSON.stringify(config.testNamePattern)}` : ""} in ${plural(files.length, "eval file")}`,
      );
    }
    return { config, evals, plan, warnings, pool, close };
  } catch (err) {
    await close();
    throw err;
  }
}
