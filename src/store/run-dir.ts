import { randomBytes } from "node:crypto";
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** A new run id: sortable UTC time plus a random suffix, e.g. `20261129-034512-7f3a`. */
export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  return `${stamp}-${randomBytes(2).toString("hex")}`;
}

/** Creates `<outputDir>/runs/<runId>/` and returns its path. */
export function createRunDir(outputDir: string, runId: string): string {
  const dir = join(outputDir, "runs", runId);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Writes JSON atomically (temp file + rename): a reader never sees half a `run.json`. */
export function writeJsonAtomic(file: string, value: unknown): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(tmp, file);
}
