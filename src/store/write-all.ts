import { writeSync } from "node:fs";
import { isAbsolute, relative } from "node:path";
import { OutputWriteError } from "../errors.ts";

/** One `write(2)`: how many bytes of `buf[offset, offset + length)` went to `fd` (fewer on a nearly full disk). */
export type WriteCall = (fd: number, buf: Uint8Array, offset: number, length: number) => number;

let write: WriteCall = (fd, buf, offset, length) => writeSync(fd, buf, offset, length);

/**
 * Replaces the `write(2)` of a run's files (results.jsonl, unprocessed.jsonl, run.json) — the I/O edge, where a
 * test puts a disk that fills up — until the returned function restores it.
 */
export function replaceWriteForTests(call: WriteCall): () => void {
  const before = write;
  write = call;
  return () => {
    write = before;
  };
}

/**
 * Writes all of `data` to `fd`: a write that stops short (the disk is filling) is continued, so the error of the
 * call that cannot go on is thrown instead of a short write passing for a whole one.
 */
export function writeAll(fd: number, data: string | Uint8Array, start = 0, end?: number): void {
  const buf = typeof data === "string" ? Buffer.from(data) : data;
  const stop = end ?? buf.length;
  for (let at = start; at < stop; ) at += write(fd, buf, at, stop - at);
}

/** What each write error a full or failing disk raises means, in words. */
const DISK_FAULTS: Record<string, string> = {
  ENOSPC: "the disk is full (ENOSPC)",
  EDQUOT: "the disk quota is exceeded (EDQUOT)",
  EIO: "the device failed to write (EIO)",
  EROFS: "the file system is read-only (EROFS)",
  EFBIG: "the file is too large for this file system (EFBIG)",
};

/** The words for `err` when it is a full or failing disk (not a bug of ours), else undefined. */
export function diskFault(err: unknown): string | undefined {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === undefined ? undefined : DISK_FAULTS[code];
}

/**
 * `err` as the one line a user reads when `file` could not be written — `outputs/…/results.jsonl: the disk is full
 * (ENOSPC) — 812 results kept; free space and run \`evals --resume latest\`` — or `err` itself when it is not a
 * disk fault. `after` is what follows the fault (what was kept, what to do).
 */
export function writeFailure(file: string, err: unknown, after: string): unknown {
  const fault = diskFault(err);
  return fault === undefined
    ? err
    : new OutputWriteError(`${shown(file)}: ${fault} — ${after}`, { cause: err });
}

/** `file` relative to the working directory when it is under it (as the user named it), else absolute. */
function shown(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : file;
}
