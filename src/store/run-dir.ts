import { randomBytes } from "node:crypto";
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { OutputDirError } from "../errors.ts";

/**
 * A new run id: UTC time to the millisecond plus a random suffix, e.g. `20261129-034512-093-7f3a`. Ids sort by
 * time, which is what `--resume latest` relies on.
 */
export function newRunId(now = new Date()): string {
  const iso = now.toISOString(); // 2026-11-29T03:45:12.093Z
  const stamp = `${iso.slice(0, 10).replace(/-/g, "")}-${iso.slice(11, 19).replace(/:/g, "")}-${iso.slice(20, 23)}`;
  return `${stamp}-${randomBytes(2).toString("hex")}`;
}

/** Creates `<outputDir>/runs/<runId>/` and returns its path; an `OutputDirError` when it cannot. */
export function createRunDir(outputDir: string, runId: string): string {
  const dir = join(outputDir, "runs", runId);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    const why = {
      EACCES: "permission denied",
      EROFS: "read-only file system",
      ENOTDIR: "a file is in the way",
    };
    const code = (err as NodeJS.ErrnoException).code as keyof typeof why;
    throw new OutputDirError(
      `cannot create the run directory ${dir}: ${why[code] ?? (err as Error).message}`,
      {
        hint: "Point --output-dir (or outputDir in the config) at a directory you can write.",
        cause: err,
      },
    );
  }
  return dir;
}

/** Writes JSON atomically (temp file + rename): a reader never sees half a `run.json`. */
export function writeJsonAtomic(file: string, value: unknown): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(tmp, file);
}
