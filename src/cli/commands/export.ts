import { existsSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { csvFileName, writeCsvFile } from "../../../reporters/csv.ts";
import { resolveConfig } from "../../config/resolve.ts";
import { FlagError } from "../../errors.ts";
import { plural } from "../../number-text.ts";
import { readRunReport } from "../../store/merge.ts";
import { resultsInMemory, resultsReader } from "../../store/results-reader.ts";
import { findRunDir } from "../../store/resume.ts";
import type { CliIo } from "../io.ts";

export interface ExportFlags {
  csv?: boolean;
  output?: string;
  config?: string;
  outputDir?: string;
}

/**
 * `evals export <run> --csv [-o file]`: the invocations CSV the csv reporter writes, from a finished run without
 * running anything. `<run>` is `latest`, a run id under the output dir's `runs/`, or a path (a run dir, its
 * run.json, or a JSON report); the CSV goes to the run dir (`invocations_<runId>[_<name>].csv`) unless `-o` says.
 */
export async function exportCommand(ref: string, flags: ExportFlags, io: CliIo): Promise<number> {
  if (flags.csv !== true)
    throw new FlagError(
      "evals export needs a format: --csv (the only one so far)",
      `For example: evals export ${ref} --csv`,
    );
  const root = io.cwd;
  const { config } = await resolveConfig(
    {
      root,
      ...(flags.config ? { config: flags.config } : {}),
      ...(flags.outputDir ? { outputDir: flags.outputDir } : {}),
    },
    { profiles: "none", profileFlags: false },
  );
  const path = resolve(root, ref);
  const source =
    ref !== "latest" && existsSync(path)
      ? path
      : findRunDir(resolve(root, config.outputDir), ref, "to export");
  const report = readRunReport(source);
  const runDir = statSync(source).isDirectory() ? source : dirname(source);
  const jsonl = join(runDir, "results.jsonl");
  // A run dir's results.jsonl is read a line at a time; a JSON report alone has its results in it.
  const results =
    source === runDir && existsSync(jsonl) ? resultsReader(jsonl) : resultsInMemory(report.results);
  const file = flags.output ? resolve(root, flags.output) : join(runDir, csvFileName(report));
  const rows = await writeCsvFile(file, report, results);
  io.stdout.write(`CSV of ${plural(rows, "invocation")} written to ${relative(root, file) || file}\n`);
  return 0;
}
