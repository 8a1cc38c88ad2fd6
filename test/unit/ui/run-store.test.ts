import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { RunStore } from "../../../src/ui/run-store.ts";
import { tempDir } from "../../support/temp-dir.ts";

/** An output dir with one run.json as a run writes it at its start. */
function runningRun(pid: number, host = hostname()): string {
  const out = tempDir("jury-run-store-");
  const dir = join(out, "runs", "20261129-000000-000-abcd");
  mkdirSync(dir, { recursive: true });
  const head = { schemaVersion: 1, runId: "20261129-000000-000-abcd", status: "running", pid, host };
  writeFileSync(
    join(dir, "run.json"),
    JSON.stringify({ ...head, startedAt: "2026-11-29T00:00:00.000Z", total: 0, cases: [] }, null, 2),
  );
  return out;
}

describe("RunStore: runs whose process is gone", () => {
  it("lists a run as running while its process lives, interrupted once it is gone", () => {
    const dead = spawnSync(process.execPath, ["-e", "0"]).pid as number;
    expect(new RunStore(runningRun(process.pid)).list()[0]?.status).toBe("running");
    expect(new RunStore(runningRun(dead)).list()[0]?.status).toBe("interrupted");
  });

  it("trusts runs of another host (a shared output dir): they stay running", () => {
    const dead = spawnSync(process.execPath, ["-e", "0"]).pid as number;
    expect(new RunStore(runningRun(dead, "another-host")).list()[0]?.status).toBe("running");
  });
});
