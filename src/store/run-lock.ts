import { closeSync, openSync, readFileSync, rmSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { RunLockedError } from "../errors.ts";
import { writeJsonAtomic } from "./run-dir.ts";
import { writeAll, writeFailure } from "./write-all.ts";

const FREE_SPACE = "nothing was run; free space and run again";

/** Who holds a run dir: what its `run.lock` says. */
export interface LockHolder {
  pid: number;
  host: string;
  startedAt: string;
}

/** A held run lock. */
export interface RunLock {
  readonly file: string;
  /** Removes the lock file (once; later calls do nothing). */
  release(): void;
}

/** Lock files this process holds: a pid of ours in a lock we do not hold is a dead process's, whose pid we reuse. */
const held = new Set<string>();

/** Removes what this process still holds when it exits: `process.exit` (a second Ctrl-C) and a crash included. */
function releaseAllOnExit(): void {
  for (const file of held) rmSync(file, { force: true });
  held.clear();
}

/**
 * Locks a run dir for one `evals`: `run.lock`, created exclusively (`wx`), holds the pid, host and start time. A
 * lock left by a process that is gone — same host, its pid not alive (or ours, but not held here) — is taken over
 * with a warning; a live holder, or one on another host (whose pid cannot be checked), is a `RunLockedError`
 * naming it and how to remove the lock. Released by `release()`, or when the process exits.
 */
export function lockRunDir(runDir: string, warn: (text: string) => void): RunLock {
  const file = join(runDir, "run.lock");
  const me: LockHolder = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
  const content = `${JSON.stringify(me)}\n`;
  for (let attempt = 1; ; attempt++) {
    let fd: number;
    try {
      fd = openSync(file, "wx");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw writeFailure(file, err, FREE_SPACE);
      const holder = readHolder(file);
      if (attempt === 50) throw lockedError(runDir, file, holder, me.host);
      if (!holder || !isStale(holder, file, me.host)) throw lockedError(runDir, file, holder, me.host);
      // One process at a time takes a stale lock over: two replacing it could each replace the other's new lock.
      const guard = `${file}.takeover`;
      try {
        closeSync(openSync(guard, "wx"));
      } catch {
        // Another process is taking it over: wait for it to hold the lock, then name it.
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
        continue;
      }
      try {
        const still = readHolder(file);
        if (still?.pid === holder.pid && still.startedAt === holder.startedAt) {
          // Replaced by ours in one step (a file of ours renamed over it), never removed first: in the moment
          // without a lock, another process's `wx` would win it, and the take-over would go unsaid.
          try {
            writeJsonAtomic(file, me);
          } catch (err) {
            throw writeFailure(file, err, FREE_SPACE);
          }
          warn(
            `took over the lock of ${runDir}: ${describeHolder(holder)} is no longer running (it was killed or crashed)`,
          );
          return hold(file);
        }
      } finally {
        rmSync(guard, { force: true });
      }
      continue;
    }
    try {
      writeAll(fd, content);
    } catch (err) {
      rmSync(file, { force: true });
      throw writeFailure(file, err, FREE_SPACE);
    } finally {
      closeSync(fd);
    }
    return hold(file);
  }
}

/** `file`, now holding this process's lock: released by `release()` or when the process exits. */
function hold(file: string): RunLock {
  if (held.size === 0) process.on("exit", releaseAllOnExit);
  held.add(file);
  let released = false;
  return {
    file,
    release() {
      if (released) return;
      released = true;
      held.delete(file);
      if (held.size === 0) process.off("exit", releaseAllOnExit);
      rmSync(file, { force: true });
    },
  };
}

function readHolder(file: string): LockHolder | undefined {
  try {
    const h = JSON.parse(readFileSync(file, "utf8")) as Partial<LockHolder>;
    return typeof h.pid === "number" && typeof h.host === "string"
      ? { pid: h.pid, host: h.host, startedAt: String(h.startedAt) }
      : undefined;
  } catch {
    return undefined; // gone meanwhile, or being written: treated as held
  }
}

function isStale(holder: LockHolder, file: string, host: string): boolean {
  if (holder.host !== host) return false;
  if (holder.pid === process.pid) return !held.has(file);
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "ESRCH";
  }
}

function describeHolder(h: LockHolder): string {
  return `pid ${h.pid} on host ${h.host} (started ${h.startedAt})`;
}

function lockedError(runDir: string, file: string, holder: LockHolder | undefined, host: string) {
  const who = holder
    ? holder.pid === process.pid && holder.host === host
      ? `this process (pid ${holder.pid}) is already running it`
      : `${describeHolder(holder)} is running it`
    : `another evals is starting it (${file} is being written)`;
  return new RunLockedError(`run dir ${runDir} is in use: ${who}`, {
    hint:
      holder && holder.host !== host
        ? `Wait for it to end. If no evals runs it on ${holder.host} any more, remove ${file} and run again.`
        : `Wait for it to end (or stop it). If that process is gone, remove ${file} and run again.`,
  });
}
