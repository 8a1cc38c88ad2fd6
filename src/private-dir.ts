import { lstatSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * `TMPDIR/<name>-<uid>`, created private to this user (0700) and trusted only when it is a directory of this
 * user that no one else may write: what it holds is run as code (bundled modules, compiled code). Undefined when
 * it cannot be trusted or made.
 */
export function privateTempDir(name: string): string | undefined {
  const uid = process.getuid?.();
  const dir = join(tmpdir(), `${name}-${uid ?? 0}`);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const s = lstatSync(dir);
    if (uid === undefined) return s.isDirectory() ? dir : undefined; // Windows: per-user TMPDIR, no modes
    return s.isDirectory() && s.uid === uid && (s.mode & 0o022) === 0 ? dir : undefined;
  } catch {
    return undefined;
  }
}
