// `--batch` (issue 21): targets, then judges, through the `mock/` provider's batch engine — exact case sets,
// resubmission of only the failed requests, splitting by limits, permanent failures, status and cancel.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type BatchRecord, readBatchRecords, readResults } from "../../src/batch/state.ts";
import { mockBatchSubmissions } from "../../src/providers/batch/mock.ts";
import type { CaseResult } from "../../src/types.ts";
import { killMidBatchThenResume } from "../support/batch-resume.ts";
import { createFixtureProject } from "../support/fixture-project.ts";
import { runCli, startBuiltCli } from "../support/run-cli.ts";
import { scenarios } from "../support/run-results.ts";
import { tempDir } from "../support/temp-dir.ts";

const line = (o: object) => JSON.stringify(o);

/** Two mock models, two mock judges, `n` scenarios: 2n cases, 2n target calls, 4n judge calls. */
function batchProject(n = 6): string {
  return createFixtureProject({
    "config/models_profiles.jsonl": [
      line({ model_id: "mock/a", mock: { quality: 1, ttft_ms: 0, tokens_per_s: 0 } }),
      line({ model_id: "mock/b", mock: { quality: 0.5, ttft_ms: 0, tokens_per_s: 0 } }),
    ].join("\n"),
    "config/judge_profiles.jsonl": [line({ model_id: "mock/j1" }), line({ model_id: "mock/j2" })].join("\n"),
    "evals/q.eval.jsonl": scenarios(n),
  });
}

const runDirOf = (root: string) => {
  const runs = join(root, "outputs", "runs");
  return join(runs, readdirSync(runs).sort().at(-1) as string);
};
const results = (runDir: string): CaseResult[] =>
  readFileSync(join(runDir, "results.jsonl"), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as CaseResult);
const intents = (runDir: string) =>
  readBatchRecords(runDir).filter((r): r is Extract<BatchRecord, { type: "intent" }> => r.type === "intent");

describe("evals --batch", () => {
  it("runs every planned case: the targets' calls in batches first, then the judges' in later ones", async () => {
    const root = batchProject();
    const dir = tempDir("jury-mock-batches-");
    const run = await runCli(root, ["--batch", "--batch-poll", "20", "--min-pass-rate", "0"], {
      JURY_MOCK_BATCH_DIR: dir,
      JURY_MOCK_BATCH_COMPLETE_MS: "100",
    });
    expect(run.stderr).toContain("submitted to mock");
    expect(run.code).toBe(0);
    const runDir = runDirOf(root);
    const got = results(runDir);
    expect(got).toHaveLength(12);
    expect(got.every((r) => r.state === "passed" || r.state === "failed")).toBe(true);
    const batches = intents(runDir);
    // One batch per profile and phase: a, b (targets), then j1, j2 (judges).
    expect(batches.map((b) => [b.profileKey, b.customIds.length])).toEqual([
      ["mock/a", 6],
      ["mock/b", 6],
      ["mock/j1", 12],
      ["mock/j2", 12],
    ]);
    expect(batches.slice(0, 2).every((b) => b.customIds.every((id) => id.startsWith("t-")))).toBe(true);
    expect(batches.slice(2).every((b) => b.customIds.every((id) => id.startsWith("j-")))).toBe(true);
    const submitted = mockBatchSubmissions(dir);
    expect(submitted.size).toBe(36);
    expect([...submitted.values()].every((n) => n === 1)).toBe(true);
    // The results downloaded into the run dir: a resume needs no provider call.
    expect(existsSync(join(runDir, "batches", `${batches[0]?.label}.results.jsonl`))).toBe(true);
  });

  it("resubmits only the requests that failed (transiently), in new batches, and ends with the exact case set", async () => {
    const root = batchProject();
    const dir = tempDir("jury-mock-batches-");
    const run = await runCli(root, ["--batch", "--batch-poll", "20", "--min-pass-rate", "0"], {
      JURY_MOCK_BATCH_DIR: dir,
      JURY_MOCK_BATCH_FAIL_RATE: "0.3",
    });
    expect(run.code, run.stderr).toBe(0);
    const runDir = runDirOf(root);
    const got = results(runDir);
    expect(got.map((r) => r.caseId).sort()).toEqual([...new Set(got.map((r) => r.caseId))].sort());
    expect(got).toHaveLength(12);
    expect(got.filter((r) => r.state === "errored")).toEqual([]);
    const submitted = mockBatchSubmissions(dir);
    const twice = [...submitted].filter(([, n]) => n === 2).map(([id]) => id);
    expect(twice.length).toBeGreaterThan(0);
    expect([...submitted.values()].every((n) => n <= 2)).toBe(true);
    // Exactly the requests whose item failed went in a second batch; none that succeeded did.
    const failed = new Set<string>();
    for (const b of intents(runDir))
      for (const item of readResults(runDir, join("batches", `${b.label}.results.jsonl`)))
        if (!item.ok) failed.add(item.customId);
    expect(twice.sort()).toEqual([...failed].sort());
  });

  it("splits a profile's requests into batches of at most the provider's (here lowered) limit", async () => {
    const root = batchProject();
    const dir = tempDir("jury-mock-batches-");
    const run = await runCli(root, ["--batch", "--batch-poll", "20", "--min-pass-rate", "0"], {
      JURY_MOCK_BATCH_DIR: dir,
      JURY_BATCH_MAX_REQUESTS: "4",
    });
    expect(run.code, run.stderr).toBe(0);
    const runDir = runDirOf(root);
    expect(results(runDir)).toHaveLength(12);
    const sizes = (key: string) =>
      intents(runDir)
        .filter((b) => b.profileKey === key)
        .map((b) => b.customIds.length);
    expect(sizes("mock/a")).toEqual([4, 2]);
    expect(sizes("mock/j1")).toEqual([4, 4, 4]);
    expect([...mockBatchSubmissions(dir).values()].every((n) => n === 1)).toBe(true);
  });

  it("errors the case of a request that failed for good, as a live failure does; the others pass", async () => {
    const root = batchProject();
    const run = await runCli(root, ["--batch", "--batch-poll", "20", "--min-pass-rate", "0"], {
      JURY_MOCK_BATCH_DIR: tempDir("jury-mock-batches-"),
      JURY_MOCK_BATCH_PERMANENT: "Question 3?",
    });
    expect(run.code, run.stderr).toBe(0);
    const runDir = runDirOf(root);
    const got = results(runDir);
    expect(got).toHaveLength(12);
    const bad = got.filter((r) => r.state === "errored");
    expect(bad).toHaveLength(2);
    for (const r of bad) {
      expect(r.error?.message).toContain("simulated permanent failure");
      expect(r.error?.classification).toBe("api_failure");
    }
    const unprocessed = readFileSync(join(runDir, "unprocessed.jsonl"), "utf8").split("\n").filter(Boolean);
    expect(unprocessed).toHaveLength(2);
  });

  it("runs cases in the main thread (as --no-threads), a task's ctx.generate calls batched too, two at once", async () => {
    const root = createFixtureProject({
      "config/models_profiles.jsonl": line({
        model_id: "mock/a",
        mock: { quality: 1, ttft_ms: 0, tokens_per_s: 0 },
      }),
      "config/judge_profiles.jsonl": line({ model_id: "mock/j1" }),
      "evals/t.eval.ts": `import { isMainThread } from "node:worker_threads";
import { defineEval } from "jury";
defineEval("thread", {
  scenarios: [{ id: "hi", prompt: "Say hi", golden: "hi" }, { id: "ho", prompt: "Say ho", golden: "ho" }],
  task: async ({ scenario, generate }) => {
    // Two calls at once: each its own batch request.
    const [x, y] = await Promise.all([generate({ prompt: scenario.prompt }), generate({ prompt: scenario.prompt + "!" })]);
    return \`\${isMainThread ? "main" : "worker"}:\${x}|\${y}\`;
  },
});
`,
    });
    const dir = tempDir("jury-mock-batches-");
    const run = await runCli(root, ["--batch", "--batch-poll", "20", "--min-pass-rate", "0"], {
      JURY_MOCK_BATCH_DIR: dir,
    });
    expect(run.code, run.stderr).toBe(0);
    const got = results(runDirOf(root));
    expect(got.map((r) => r.output).sort()).toEqual(["main:hi|hi", "main:ho|ho"]);
    expect(mockBatchSubmissions(dir).size).toBe(6);
  });

  it("kill -9 between submit and completion, then --resume latest: nothing submitted twice, the exact case set", async () => {
    const dir = tempDir("jury-mock-batches-");
    await killMidBatchThenResume({
      models: [
        { model_id: "mock/a", mock: { ttft_ms: 0, tokens_per_s: 0 } },
        { model_id: "mock/b", mock: { ttft_ms: 0, tokens_per_s: 0 } },
      ],
      judges: [{ model_id: "mock/j1" }],
      env: { JURY_MOCK_BATCH_DIR: dir, JURY_MOCK_BATCH_COMPLETE_MS: "1500" },
      submissions: () => mockBatchSubmissions(dir),
    });
  });

  it("Ctrl-C mid-batch leaves it running and says how to pick it up; status shows it, cancel stops it", async () => {
    const root = batchProject(3);
    const env = { JURY_MOCK_BATCH_DIR: tempDir("jury-mock-batches-"), JURY_MOCK_BATCH_COMPLETE_MS: "600000" };
    const cli = startBuiltCli(root, ["--batch", "--batch-poll", "50", "--min-pass-rate", "0"], env);
    await cli.waitFor(
      (o) => (o.stderr.match(/submitted to/g) ?? []).length === 2,
      "both target batches were submitted",
    );
    cli.child.kill("SIGINT");
    expect(await cli.exited).toBe(130);
    const runDir = runDirOf(root);
    const runId = runDir.split("/").at(-1) as string;
    expect(cli.stderr).toContain("2 batches are still running at the provider");
    expect(cli.stderr).toContain(`evals --resume ${runId}`);
    expect(cli.stderr).toContain(`evals batch wait ${runId}`);

    const status = await runCli(root, ["batch", "status"], env);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain(`run ${runId}: 2 batches`);
    expect(status.stdout).toMatch(/mock a {2}mockbatch_\w+ {2}running {2}0\/3 {2}submitted 20/);
    expect(status.stdout).toMatch(/mock b {2}mockbatch_\w+ {2}running/);

    const cancel = await runCli(root, ["batch", "cancel", runId], env);
    expect(cancel.code, cancel.stderr).toBe(0);
    expect(cancel.stdout).toContain(`run ${runId}: 2 batches cancelled`);
    expect((await runCli(root, ["batch", "status", runId], env)).stdout).toContain(
      "cancelled (evals batch cancel)",
    );

    // The resumed run errors the cancelled requests' cases instead of submitting them again.
    const resumed = await runCli(root, ["batch", "wait", "--batch-poll", "20"], env);
    expect(resumed.stderr).not.toContain("submitted to");
    const got = results(runDir);
    expect(got).toHaveLength(6);
    expect(
      got.every(
        (r) => r.state === "errored" && /cancelled \(evals batch cancel\)/.test(r.error?.message ?? ""),
      ),
    ).toBe(true);
  });

  it("evals batch with an unknown action, or on a run without batches, is a usage error (exit 2)", async () => {
    const root = batchProject(1);
    const nope = await runCli(root, ["batch", "nope"]);
    expect(nope.code).toBe(2);
    expect(nope.stderr).toContain("evals batch nope: unknown action");
    expect(nope.stderr).toContain("evals batch status [run]");
    expect((await runCli(root, ["--min-pass-rate", "0"])).code).toBe(0);
    const none = await runCli(root, ["batch", "status"]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/error: run \S+ has no batches/);
  });

  it("resubmits the requests of a batch that expired without results", async () => {
    const root = batchProject(3);
    const dir = tempDir("jury-mock-batches-");
    const run = await runCli(root, ["--batch", "--batch-poll", "20", "--min-pass-rate", "0"], {
      JURY_MOCK_BATCH_DIR: dir,
      JURY_MOCK_BATCH_EXPIRE: "1",
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain("expired");
    const runDir = runDirOf(root);
    expect(results(runDir).filter((r) => r.state === "errored")).toEqual([]);
    expect(results(runDir)).toHaveLength(6);
    const [first] = intents(runDir);
    const twice = [...mockBatchSubmissions(dir)].filter(([, n]) => n === 2).map(([id]) => id);
    expect(twice.sort()).toEqual([...(first?.customIds ?? [])].sort());
  });

  it("sends a group smaller than the provider's smallest batch as live calls, and records it", async () => {
    const root = batchProject(3);
    const dir = tempDir("jury-mock-batches-");
    const run = await runCli(root, ["--batch", "--batch-poll", "20", "--min-pass-rate", "0"], {
      JURY_MOCK_BATCH_DIR: dir,
      JURY_MOCK_BATCH_MIN: "4",
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(
      "mock/a: 3 requests are fewer than a mock batch takes (4): sent as live calls",
    );
    const runDir = runDirOf(root);
    expect(results(runDir)).toHaveLength(6);
    // Targets (3 per model) went live; judges (6 per judge) in batches.
    expect(intents(runDir).map((b) => [b.profileKey, b.customIds.length])).toEqual([
      ["mock/j1", 6],
      ["mock/j2", 6],
    ]);
    expect(readBatchRecords(runDir).filter((r) => r.type === "live")).toHaveLength(2);
  });

  it("keeps the call cache in front: a second run with --cache on submits nothing", async () => {
    const root = batchProject(3);
    const dir = tempDir("jury-mock-batches-");
    const args = ["--batch", "--batch-poll", "20", "--cache", "on", "--min-pass-rate", "0"];
    expect((await runCli(root, args, { JURY_MOCK_BATCH_DIR: dir })).code).toBe(0);
    const first = mockBatchSubmissions(dir);
    expect(first.size).toBe(18);
    const again = await runCli(root, args, { JURY_MOCK_BATCH_DIR: dir });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).not.toContain("submitted to");
    expect(mockBatchSubmissions(dir)).toEqual(first);
    expect(results(runDirOf(root))).toHaveLength(6);
  });

  it("keeps two runs in one process apart: each run's calls go to its own batches, in its own run dir", async () => {
    const [rootA, rootB] = [batchProject(3), batchProject(5)];
    const env = (dir: string) => ({ JURY_MOCK_BATCH_DIR: dir, JURY_MOCK_BATCH_COMPLETE_MS: "100" });
    const flags = ["--batch", "--batch-poll", "20", "--min-pass-rate", "0"];
    const [a, b] = await Promise.all([
      runCli(rootA as string, flags, env(tempDir("jury-mock-batches-"))),
      runCli(rootB as string, flags, env(tempDir("jury-mock-batches-"))),
    ]);
    expect([a.code, b.code], a.stderr + b.stderr).toEqual([0, 0]);
    for (const [root, cases] of [
      [rootA, 6],
      [rootB, 10],
    ] as const) {
      const runDir = runDirOf(root as string);
      const got = results(runDir);
      expect(got).toHaveLength(cases);
      expect(got.every((r) => r.metrics?.batched === true)).toBe(true);
      // Exactly this run's calls in this run's batches: a target and two judges per case.
      const ids = intents(runDir).flatMap((i) => i.customIds);
      expect(ids.filter((id) => id.startsWith("t-"))).toHaveLength(cases);
      expect(ids.filter((id) => id.startsWith("j-"))).toHaveLength(2 * cases);
    }
  });
});
