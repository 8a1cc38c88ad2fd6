import { resolve } from "node:path";
import { resolveConfigWithProblems } from "../config/resolve.ts";
import type { Plan } from "../plan/expand.ts";
import { keepCases } from "../plan/keep-cases.ts";
import { retryOptions } from "../plan/plan-options.ts";
import { findRunDir, readRunPlan } from "../store/resume.ts";
import type { PlanOptions, ResolvedConfig, ShardSpec, StartOptions } from "../types.ts";
import { configSnapshot } from "./run-report.ts";

/** The run `--retry-errors` names, as recorded: what its retry plans with and keeps. */
export interface RetryPlan {
  runId: string;
  /** The options to plan with: the run's plan options, today's others (see `retryOptions`). */
  options: StartOptions;
  caseIds: Set<string>;
  shard?: ShardSpec;
  planOptions?: PlanOptions;
  signature?: string;
  warnings: string[];
}

/**
 * Reads the run that `options.retryErrors` names (in the output dir today's options resolve to) and the options
 * to plan it again with — its own, so that today's flags (or none, from the dashboard) re-make its cases.
 */
export async function readRetryPlan(options: StartOptions & { retryErrors: string }): Promise<RetryPlan> {
  const { config } = await resolveConfigWithProblems(options);
  const run = readRunPlan(findRunDir(resolve(config.root, config.outputDir), options.retryErrors));
  const planned = retryOptions(options, {
    runId: run.runId,
    files: run.cases.map((c) => c.file),
    ...(run.planOptions ? { planOptions: run.planOptions } : {}),
  });
  return {
    ...run,
    options: { ...planned.options, retryErrors: run.runId },
    caseIds: new Set(run.cases.map((c) => c.id)),
    warnings: planned.warnings,
  };
}

/**
 * The retried run's plan (pure): today's plan of its files cut to its cases, with its shard and plan options (so
 * the new run stands for it in `evals merge`, and retries the same way). Warns when cases of the run are no
 * longer planned (their eval files changed) or its models, judges or jury changed since.
 */
export function retriedPlan(
  plan: Plan,
  retry: RetryPlan,
  config: ResolvedConfig,
): { plan: Plan; warnings: string[] } {
  const kept = keepCases(plan, (id) => retry.caseIds.has(id));
  const { shard: _shard, ...rest } = kept;
  const found = kept.cases.length + kept.skipped.length;
  const warnings = [...retry.warnings];
  if (found < retry.caseIds.size)
    warnings.push(
      `${retry.caseIds.size - found} case(s) of run ${retry.runId} are not in its plan any more (their eval files changed): they are left out`,
    );
  if (retry.signature && configSnapshot(config).signature !== retry.signature)
    warnings.push(
      `the models, judges or jury settings of run ${retry.runId} changed since it ran (config signature ${retry.signature} → ${configSnapshot(config).signature}): its errored cases run with today's`,
    );
  return {
    plan: {
      ...rest,
      ...(retry.shard ? { shard: retry.shard } : {}),
      ...(retry.planOptions ? { options: retry.planOptions } : {}), // an older run: those it was planned with now
    },
    warnings,
  };
}
