// Vitest globalSetup: every temp file of the run (tests, the CLI processes they start, chromium profiles) goes
// under one fresh dir, TMPDIR for the test workers, removed at the end; so nothing is left in /tmp even when a
// test forgets, or a killed process could not clean up.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";

export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), "jury-tests-"));
  // tsx keeps its transform cache in TMPDIR/tsx-<uid>: keep using the warm one, not a new one per run.
  const tsxCache = `tsx-${userInfo().uid}`;
  mkdirSync(join(tmpdir(), tsxCache), { recursive: true });
  symlinkSync(join(tmpdir(), tsxCache), join(root, tsxCache), "dir");
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = root;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    rmSync(root, { recursive: true, force: true, maxRetries: 3 });
  };
}
