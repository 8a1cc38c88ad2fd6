// The dashboard's run queue over its HTTP API: cancelling a running run keeps what finished, and "rerun errored"
// starts a new run of only the errored cases.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import type { RunReportWithResults } from "../../../src/types.ts";
import { RunStore } from "../../../src/ui/run-store.ts";
import { createUiServer, type UiServer } from "../../../src/ui/server.ts";
import { createFixtureProject } from "../../support/fixture-project.ts";

const line = (o: object) => JSON.stringify(o);
const scenarios = (n: number) =>
  Array.from({ length: n }, (_, i) =>
    line({ text_prompt: `Q${i}`, task: { task_type: "T", task_criteria: "c" }, golden_answer: `A${i}.` }),
  ).join("\n");

/** Waits until `what` gives a value (checked every few ms), and returns it. */
function until<T>(what: () => T | undefined, ms = 30_000): Promise<T> {
  return vi.waitFor(
    () => {
      const v = what();
      if (v === undefined) throw new Error("not yet");
      return v;
    },
    { timeout: ms, interval: 20 },
  );
}

const post = (server: UiServer, path: string) =>
  fetch(`${server.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: "{}",
  });

describe("the dashboard's run queue", () => {
  const servers: UiServer[] = [];
  afterAll(async () => {
    for (const s of servers) await s.close();
  });

  it("cancels a running run like Ctrl-C: finished results stay, the run reads interrupted", async () => {
    const root = createFixtureProject({
      "config/models_profiles.jsonl": line({ model_id: "mock/slow", mock: { quality: 1, ttft_ms: 300 } }),
      "config/judge_profiles.jsonl": line({ model_id: "mock/judge" }),
      "evals/a.eval.jsonl": scenarios(40),
    });
    const server = await createUiServer({ root, port: 0 });
    servers.push(server);
    const entry = server.queue.enqueue("slow run", { concurrency: 2 });
    const runId = await until(() => server.queue.get(entry.id)?.runId);
    const runDir = join(root, "outputs", "runs", runId);
    await until(() => (readFileSync(join(runDir, "results.jsonl"), "utf8").length > 0 ? true : undefined));
    const res = await post(server, `/api/queue/${entry.id}/cancel`);
    expect(res.status).toBe(200);
    await until(() => (server.queue.get(entry.id)?.status === "cancelled" ? true : undefined));
    const report = JSON.parse(readFileSync(join(runDir, "run.json"), "utf8")) as RunReportWithResults;
    expect(report.status).toBe("interrupted");
    expect(report.results.length).toBeGreaterThan(0);
    expect(report.results.length).toBeLessThan(40);
    // Its gate has no verdict: the runs list says so rather than ✓ or ✗.
    expect(new RunStore(join(root, "outputs")).list().find((r) => r.runId === runId)?.gate).toBe(
      "not evaluated",
    );
    // Nothing left to cancel now.
    expect((await post(server, `/api/queue/${entry.id}/cancel`)).status).toBe(409);
  }, 60_000);

  it("reruns only the errored cases of a finished run in a new run", async () => {
    const root = createFixtureProject({
      "config/models_profiles.jsonl": line({ model_id: "mock/flaky", mock: { quality: 1, error_rate: 0.5 } }),
      "config/judge_profiles.jsonl": line({ model_id: "mock/judge" }),
      "evals/a.eval.jsonl": scenarios(12),
    });
    const server = await createUiServer({ root, port: 0 });
    servers.push(server);
    const first = server.queue.enqueue("first", { maxAttempts: 1, minPassRate: 0 });
    await until(() =>
      ["completed", "failed"].includes(server.queue.get(first.id)?.status ?? "") ? true : undefined,
    );
    const firstId = server.queue.get(first.id)?.runId as string;
    const firstReport = JSON.parse(
      readFileSync(join(root, "outputs", "runs", firstId, "run.json"), "utf8"),
    ) as RunReportWithResults;
    const errored = firstReport.results.filter((r) => r.state === "errored").map((r) => r.caseId);
    expect(errored.length).toBeGreaterThan(0);

    const res = await post(server, `/api/runs/${firstId}/rerun-failed`);
    expect(res.status).toBe(200);
    const { entry } = (await res.json()) as { entry: { id: string } };
    const secondId = await until(() => {
      const e = server.queue.get(entry.id);
      return e && ["completed", "failed"].includes(e.status) ? e.runId : undefined;
    });
    const second = JSON.parse(
      readFileSync(join(root, "outputs", "runs", secondId, "run.json"), "utf8"),
    ) as RunReportWithResults;
    expect(secondId).not.toBe(firstId);
    // Every case is there once; those that did not error were kept, not run again.
    expect(second.results.map((r) => r.caseId).sort()).toEqual(
      firstReport.results.map((r) => r.caseId).sort(),
    );
    const kept = second.results.filter((r) => !errored.includes(r.caseId));
    expect(kept).toEqual(firstReport.results.filter((r) => !errored.includes(r.caseId)));
  }, 60_000);
});
