import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { RunLockedError } from "../../../src/errors.ts";
import { lockRunDir } from "../../../src/store/run-lock.ts";
import { tempDir } from "../../support/temp-dir.ts";

const lockFile = (dir: string) => join(dir, "run.lock");
const holder = (pid: number, host = hostname()) => ({ pid, host, startedAt: "2026-12-01T00:00:00.000Z" });
/** The pid of a process that has exited. */
const deadPid = () => spawnSync(process.execPath, ["-e", ""]).pid as number;

describe("lockRunDir", () => {
  it("writes pid, host and start time, refuses a second holder, and is gone once released", () => {
    const dir = tempDir("jury-lock-");
    const lock = lockRunDir(dir, () => {});
    expect(JSON.parse(readFileSync(lockFile(dir), "utf8"))).toMatchObject({
      pid: process.pid,
      host: hostname(),
    });
    expect(() => lockRunDir(dir, () => {})).toThrow(RunLockedError);
    expect(() => lockRunDir(dir, () => {})).toThrow(
      `run dir ${dir} is in use: this process (pid ${process.pid}) is already running it`,
    );
    lock.release();
    expect(existsSync(lockFile(dir))).toBe(false);
    lockRunDir(dir, () => {}).release();
  });

  it("a live process on this host holds it: refused, naming its pid, host and how to remove the lock", () => {
    const dir = tempDir("jury-lock-");
    writeFileSync(lockFile(dir), JSON.stringify(holder(process.ppid)));
    let err: unknown;
    try {
      lockRunDir(dir, () => {});
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RunLockedError);
    expect((err as RunLockedError).exitCode).toBe(2);
    expect((err as Error).message).toBe(
      `run dir ${dir} is in use: pid ${process.ppid} on host ${hostname()} (started 2026-12-01T00:00:00.000Z) is running it`,
    );
    expect((err as RunLockedError).hint).toContain(`remove ${lockFile(dir)}`);
  });

  it("a dead process's lock on this host is taken over, with a warning", () => {
    const dir = tempDir("jury-lock-");
    const pid = deadPid();
    writeFileSync(lockFile(dir), JSON.stringify(holder(pid)));
    const warnings: string[] = [];
    const lock = lockRunDir(dir, (w) => warnings.push(w));
    expect(warnings).toEqual([
      `took over the lock of ${dir}: pid ${pid} on host ${hostname()} (started 2026-12-01T00:00:00.000Z) is no longer running (it was killed or crashed)`,
    ]);
    expect(JSON.parse(readFileSync(lockFile(dir), "utf8")).pid).toBe(process.pid);
    lock.release();
  });

  it("a lock of this pid that this process does not hold (a dead process whose pid came back) is taken over", () => {
    const dir = tempDir("jury-lock-");
    writeFileSync(lockFile(dir), JSON.stringify(holder(process.pid)));
    const warnings: string[] = [];
    lockRunDir(dir, (w) => warnings.push(w)).release();
    expect(warnings).toHaveLength(1);
  });

  it("another host's lock is never taken over: its pid cannot be checked from here", () => {
    const dir = tempDir("jury-lock-");
    writeFileSync(lockFile(dir), JSON.stringify(holder(deadPid(), "build-agent-7")));
    let err: unknown;
    try {
      lockRunDir(dir, () => {});
    } catch (e) {
      err = e;
    }
    expect((err as Error).message).toMatch(
      /is in use: pid \d+ on host build-agent-7 \(started .*\) is running it$/,
    );
    expect((err as RunLockedError).hint).toBe(
      `Wait for it to end. If no evals runs it on build-agent-7 any more, remove ${lockFile(dir)} and run again.`,
    );
  });

  it("is removed when the process exits without releasing it (process.exit, as a second Ctrl-C does)", () => {
    const dir = tempDir("jury-lock-");
    const src = new URL("../../../src/store/run-lock.ts", import.meta.url).pathname;
    const child = spawnSync(
      process.execPath,
      [
        "--import",
        "tsx",
        "--input-type=module",
        "-e",
        `const { lockRunDir } = await import(${JSON.stringify(src)});
         lockRunDir(${JSON.stringify(dir)}, () => {});
         const { existsSync } = await import("node:fs");
         if (!existsSync(${JSON.stringify(lockFile(dir))})) throw new Error("not locked");
         process.exit(130);`,
      ],
      { encoding: "utf8" },
    );
    expect(child.stderr).toBe("");
    expect(child.status).toBe(130);
    expect(existsSync(lockFile(dir))).toBe(false);
  });
});
