import { join } from "node:path";
import type { ReporterContext } from "../../src/reporter.ts";
import { tempDir } from "./temp-dir.ts";

/** A reporter context over a new temp project (CI mode), collecting what the reporter logs. */
export function fileReporterContext(outputFile?: string): {
  root: string;
  ctx: ReporterContext;
  lines: string[];
} {
  const root = tempDir("jury-reporter-");
  const lines: string[] = [];
  const ctx: ReporterContext = {
    root,
    runId: "r1",
    runDir: join(root, "outputs", "runs", "r1"),
    outputDir: join(root, "outputs"),
    ...(outputFile ? { outputFile: join(root, outputFile) } : {}),
    log: (t) => lines.push(t),
    write: () => {},
    isTTY: false,
    isCI: true,
  };
  return { root, ctx, lines };
}
