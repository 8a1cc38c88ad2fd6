import { readlinkSync, writeSync } from "node:fs";
import { replaceWriteForTests } from "../../src/store/write-all.ts";

/** A disk with room for `bytes` more bytes of a run's files, as a kernel reports one that fills up. */
export interface FullDisk {
  /** Bytes still free. */
  free: number;
  /** Frees space: `bytes` more can be written. */
  grow(bytes: number): void;
  /** Puts node's own write back. */
  restore(): void;
}

/**
 * Until `restore()`, the writes of run files (results.jsonl, unprocessed.jsonl, run.json, JUnit) go to a disk
 * with room for `bytes` more bytes: a write that does not fit writes what fits (a short write, as write(2) does),
 * and the next one throws ENOSPC.
 */
export function diskWithRoomFor(bytes: number, code = "ENOSPC"): FullDisk {
  const disk: FullDisk = {
    free: bytes,
    grow(more) {
      disk.free += more;
    },
    restore: replaceWriteForTests((fd, buf, offset, length) => {
      if (disk.free <= 0) throw diskError(code);
      const n = writeSync(fd, buf, offset, Math.min(length, disk.free));
      disk.free -= n;
      return n;
    }),
  };
  return disk;
}

/**
 * Until the returned function is called, a write to a file for which `full(path)` holds throws ENOSPC (the path
 * of the fd, from /proc: Linux only); other writes go through.
 */
export function diskFullFor(full: (path: string) => boolean): () => void {
  return replaceWriteForTests((fd, buf, offset, length) => {
    if (full(readlinkSync(`/proc/self/fd/${fd}`))) throw diskError("ENOSPC");
    return writeSync(fd, buf, offset, length);
  });
}

/** The error a failed write(2) gives node. */
function diskError(code: string): Error {
  return Object.assign(new Error(`${code}: write failed`), { code, syscall: "write" });
}
