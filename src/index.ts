// The public surface of `jury`: what eval files, configs, reporters and programs import.
import type { UserConfig } from "./types.ts";

export { checks } from "./checks.ts";
export { defineEval } from "./discovery/define-eval.ts";
export { caseName } from "./discovery/filters.ts";
export { modelLabel, scenarioRef } from "./discovery/ids.ts";
export type { Problem } from "./errors.ts";
export { EvalsError, formatProblem, InputError, NoEvalsError, UsageError } from "./errors.ts";
export { krippendorffAlpha, summarizeAgreement } from "./metrics/agreement.ts";
export { bootstrapMeanCi, clusteredBootstrapMeanCi } from "./metrics/bootstrap.ts";
export {
  mean,
  meanDimensionScore,
  median,
  percentile,
  wilson,
} from "./metrics/stats.ts";
export { countStates, summarize } from "./metrics/summary.ts";
export type { EvalsRun } from "./runner/start.ts";
export { startEvals } from "./runner/start.ts";
export {
  ChunkedWriter,
  type LineAt,
  readResultAt,
  readResultsFile,
  scanResults,
  writeRunReportFile,
} from "./store/report-file.ts";
export type * from "./types.ts";

/**
 * Types an `evals.config.ts`.
 * @example
 * export default defineConfig({ models: "config/models_profiles.jsonl", jury: { threshold: 3.5 } });
 */
export function defineConfig(config: UserConfig): UserConfig {
  return config;
}
