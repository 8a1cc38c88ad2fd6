import { randomBytes } from "node:crypto";
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { OutputDirError } from "../errors.ts";
import { diskFault } from "./write-all.ts";

const HINT = "Point --output-dir (or outputDir in the config) at a directory you can write.";

/**
 * A run's `--name` as a part of a file name in its run dir (the run log, the invocations CSV): runs of anything but
 * letters, digits, `.`, `_` and `-` become `-`, leading dots and dashes and trailing dashes go; undefined when
 * nothing is left. `Nightly run/../x` → `Nightly-run-..-x`.
 */
export function fileNamePart(name: string | undefined): string | undefined {
  return name?.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^[-.]+|-+$/g, "") || undefined;
}

/**
 * A new run id: UTC time to the millisecond plus a random suffix, e.g. `20261129-034512-093-7f3a`. Ids sort by
 * time, which is what `--resume latest` relies on.
 */
export function newRunId(now = new Date()): string {
  const iso = now.toISOString(); // 2026-11-29T03:45:12.093Z
  const stamp = `${iso.slice(0, 10).replace(/-/g, "")}-${iso.slice(11, 19).replace(/:/g, "")}-${iso.slice(20, 23)}`;
  return `${stamp}-${randomBytes(2).toString("hex")}`;
}

/**
 * Checks, before anything runs, that runs can be written under `outputDir`, without writing anything (an input
 * error must leave nothing behind): `<outputDir>/runs`, or the nearest of its parents that exists, must be a
 * directory this process may write (`access(2)`, which also reports a read-only mount). An `OutputDirError` names
 * the path and what is wrong — a file in the way, no permission, a read-only file system.
 */
export function checkOutputDir(outputDir: string): void {
  const runs = join(outputDir, "runs");
  let existing = runs;
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
  const fail = (what: string, cause?: unknown): never => {
    throw new OutputDirError(`cannot write runs to ${outputDir}: ${what}`, { hint: HINT, cause });
  };
  if (!statSync(existing).isDirectory())
    fail(`${existing === outputDir ? "it" : existing} is a file, not a directory`);
  try {
    accessSync(existing, constants.W_OK | constants.X_OK);
  } catch (err) {
    fail(whyNotWritable(err, existing), err);
  }
}

/** Creates `<outputDir>/runs/<runId>/` and returns its path; an `OutputDirError` when it cannot, or it exists. */
export function createRunDir(outputDir: string, runId: string): string {
  const dir = join(outputDir, "runs", runId);
  try {
    mkdirSync(join(outputDir, "runs"), { recursive: true });
    // Not recursive: an existing dir is an error, so two runs never share one.
    mkdirSync(dir);
  } catch (err) {
    throw new OutputDirError(`cannot create the run directory ${dir}: ${whyNotWritable(err, dir)}`, {
      hint: HINT,
      cause: err,
    });
  }
  return dir;
}

/**
 * Creates the directory of a new run under `<outputDir>/runs/`, with an id no other run has: two runs started in
 * the same millisecond that drew the same suffix get two dirs, not one.
 */
export function createNewRunDir(outputDir: string): { runId: string; runDir: string } {
  for (let attempt = 1; ; attempt++) {
    const runId = newRunId();
    try {
      return { runId, runDir: createRunDir(outputDir, runId) };
    } catch (err) {
      const code = ((err as Error).cause as NodeJS.ErrnoException | undefined)?.code;
      if (code !== "EEXIST" || attempt === 5) throw err;
    }
  }
}

/** What an fs error creating or writing something in `dir` means, in words. */
function whyNotWritable(err: unknown, dir: string): string {
  const code = (err as NodeJS.ErrnoException).code ?? "";
  const words: Record<string, string> = {
    EACCES: "permission denied (EACCES)",
    EPERM: "permission denied (EPERM)",
    EROFS: "it is on a read-only file system (EROFS)",
    ENOTDIR: "a file is in the way",
    EEXIST: `${dir} already exists`,
  };
  return words[code] ?? diskFault(err) ?? (err as Error).message;
}

/** Writes JSON atomically (temp file + rename): a reader never sees half a `run.json`, even on a full disk. */
export function writeJsonAtomic(file: string, value: unknown): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  renameSync(tmp, file);
}
