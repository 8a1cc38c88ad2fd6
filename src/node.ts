// `jury/node`: the programmatic API — start a run, read its results, and the statistics it reports with.
export * from "./errors.ts";
export { krippendorffAlpha, summarizeAgreement } from "./metrics/agreement.ts";
export { bootstrapMeanCi, clusteredBootstrapMeanCi } from "./metrics/bootstrap.ts";
export { countStates } from "./metrics/counts.ts";
export { summarize } from "./metrics/summary.ts";
export * from "./reporter.ts";
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
