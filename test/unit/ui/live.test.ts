import { appendFileSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createLiveHub, type LiveEvent } from "../../../src/ui/live.ts";
import { tempDir } from "../../support/temp-dir.ts";

describe("createLiveHub", () => {
  it("follows a running run by the bytes appended to its results.jsonl, then its end", () => {
    const out = tempDir("jury-live-");
    const dir = join(out, "runs", "r1");
    mkdirSync(dir, { recursive: true });
    const plan = {
      schemaVersion: 1,
      runId: "r1",
      status: "running",
      startedAt: "2026-01-01T00:00:00.000Z",
      total: 4,
    };
    writeFileSync(join(dir, "run.json"), JSON.stringify(plan, null, 2));
    const hub = createLiveHub({ outputDir: out, intervalMs: 60_000 });
    const events: LiveEvent[] = [];
    hub.subscribe((e) => events.push(e));
    const result = (id: string, state: string, cost: number) =>
      `${JSON.stringify({ caseId: id, state, reasons: [], checks: [], metrics: { responseCost: cost, judgeCost: 0 } })}\n`;

    hub.poll();
    expect(hub.progress()).toMatchObject([{ runId: "r1", status: "running", total: 4, done: 0 }]);
    appendFileSync(join(dir, "results.jsonl"), result("a", "passed", 0.5) + result("b", "failed", 0.25));
    // Half a line: not counted until it is whole.
    appendFileSync(join(dir, "results.jsonl"), result("c", "errored", 1).slice(0, 20));
    hub.poll();
    expect(hub.progress()[0]).toMatchObject({ done: 2, passed: 1, failed: 1, passRate: 0.5, cost: 0.75 });
    appendFileSync(join(dir, "results.jsonl"), result("c", "errored", 1).slice(20));
    hub.poll();
    expect(hub.progress()[0]).toMatchObject({ done: 3, errored: 1, passRate: 1 / 3, cost: 1.75 });

    writeFileSync(join(dir, "run.json"), JSON.stringify({ ...plan, status: "completed" }, null, 2));
    hub.poll();
    expect(hub.progress()[0]?.status).toBe("completed");
    expect(events.map((e) => e.event)).toEqual(["progress", "progress", "progress", "progress", "runs"]);

    // A run deleted from the dashboard: its progress is gone, and the pages are told.
    rmSync(dir, { recursive: true });
    hub.forget("r1");
    hub.poll();
    expect(hub.progress()).toEqual([]);
    expect(events.slice(-2)).toEqual([
      { event: "removed", data: { runId: "r1" } },
      { event: "runs", data: null },
    ]);
    hub.close();
  });
});
