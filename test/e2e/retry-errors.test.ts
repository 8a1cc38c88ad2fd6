// `--retry-errors <run>` retries that run's own errored cases, planned from the options its run.json records —
// whatever today's flags are, or with none at all, as the dashboard's "Rerun errored" starts it.
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import type { RunReportWithResults } from "../../src/types.ts";
import { createUiServer, type UiServer } from "../../src/ui/server.ts";
import { createFixtureProject } from "../support/fixture-project.ts";
import { runCli } from "../support/run-cli.ts";
import { scenarios } from "../support/run-results.ts";

const line = (o: object) => JSON.stringify(o);

/** Two eval files on a model that errors half its calls (the same calls every time: the mock is seeded). */
function flakyProject(): string {
  const root = createFixtureProject({
    "config/models_profiles.jsonl": line({
      model_id: "mock/flaky",
      mock: { ttft_ms: 0, tokens_per_s: 0, error_rate: 0.5 },
    }),
    "config/judge_profiles.jsonl": line({ model_id: "mock/j" }),
    "evals/a.eval.jsonl": scenarios(8),
    "evals/b.eval.jsonl": scenarios(5),
  });
  // Writes down the id of every case a run starts.
  writeFileSync(
    join(root, "starts.mjs"),
    `import { appendFileSync } from "node:fs";
export default { onCaseStart: (c) => appendFileSync(${JSON.stringify(join(root, "starts.txt"))}, c.id + "\\n") };
`,
  );
  return root;
}

const runJson = (root: string, runId: string) =>
  JSON.parse(readFileSync(join(root, "outputs", "runs", runId, "run.json"), "utf8")) as RunReportWithResults;
const newestRun = (root: string) =>
  readdirSync(join(root, "outputs", "runs"))
    .sort()
    .at(-1) as string;

/** A first run with flags that shape its plan (one file, two invocations), and its errored case ids. */
async function firstRun(root: string) {
  const first = await runCli(root, [
    "a.eval",
    "--invocations",
    "2",
    "--max-attempts",
    "1",
    "--min-pass-rate",
    "0",
  ]);
  expect(first.code).toBe(0);
  const run = runJson(root, newestRun(root));
  const errored = run.results.filter((r) => r.state === "errored").map((r) => r.caseId);
  expect(run.cases).toHaveLength(16);
  expect(errored.length).toBeGreaterThan(0);
  expect(errored.length).toBeLessThan(16);
  return { run, errored };
}

describe("--retry-errors", () => {
  const servers: UiServer[] = [];
  afterAll(async () => {
    for (const s of servers) await s.close();
  });

  it("runs exactly the run's errored cases when today's flags differ from the run's, or are none", async () => {
    const root = flakyProject();
    const { run, errored } = await firstRun(root);
    const starts = () => readFileSync(join(root, "starts.txt"), "utf8").trim().split("\n").sort();

    // No flags at all (the dashboard's way), then other flags that would plan other cases.
    for (const [k, flags] of [[], ["b.eval", "--invocations", "3", "-t", "Question 1"]].entries()) {
      const res = await runCli(root, [
        "--retry-errors",
        run.runId,
        ...flags,
        "--min-pass-rate",
        "0",
        "--reporter",
        "./starts.mjs",
      ]);
      expect(res.code).toBe(0);
      expect(starts()).toEqual([...errored].sort());
      const retried = runJson(root, newestRun(root));
      expect(retried.runId).not.toBe(run.runId);
      expect(retried.cases.map((c) => c.id).sort()).toEqual(run.cases.map((c) => c.id).sort());
      expect(retried.results.map((r) => r.caseId).sort()).toEqual(run.results.map((r) => r.caseId).sort());
      expect(retried.planOptions).toEqual({ filters: ["a.eval"], invocations: 2 });
      if (k === 1)
        expect(res.stderr).toContain(
          `warning: --retry-errors retries run ${run.runId} as it was planned: today's file filters, --testNamePattern, --invocations are not used`,
        );
      else expect(res.stderr).not.toContain("not used");
      rmSync(join(root, "starts.txt"));
    }
  });

  it("a run.json that cannot be parsed is a user error naming the file (exit 2), and no run starts", async () => {
    const root = flakyProject();
    const { run } = await firstRun(root);
    const file = join(root, "outputs", "runs", run.runId, "run.json");
    writeFileSync(file, readFileSync(file, "utf8").slice(0, 300));
    const res = await runCli(root, ["--retry-errors", run.runId]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(`${file}: cut short`);
    expect(res.stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(join(root, "outputs", "runs"))).toEqual([run.runId]);
  });

  it("the dashboard's Rerun errored on a CLI run runs exactly its errored cases", async () => {
    const root = flakyProject();
    const { run, errored } = await firstRun(root);
    const server = await createUiServer({ root, port: 0 });
    servers.push(server);
    const res = await fetch(`${server.url}/api/runs/${run.runId}/rerun-failed`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(res.status).toBe(200);
    const { entry } = (await res.json()) as { entry: { id: string } };
    const retriedId = await vi.waitFor(
      () => {
        const e = server.queue.get(entry.id);
        if (!e || !["completed", "failed"].includes(e.status)) throw new Error("not yet");
        return e.runId as string;
      },
      { timeout: 30_000, interval: 20 },
    );
    const retried = runJson(root, retriedId);
    expect(retried.cases.map((c) => c.id).sort()).toEqual(run.cases.map((c) => c.id).sort());
    // Results kept from the run are the run's own; only the errored cases have new ones.
    const before = new Map(run.results.map((r) => [r.caseId, JSON.stringify(r)]));
    const rerun = retried.results
      .filter((r) => before.get(r.caseId) !== JSON.stringify(r))
      .map((r) => r.caseId);
    expect(rerun.sort()).toEqual([...errored].sort());
  }, 60_000);
});
