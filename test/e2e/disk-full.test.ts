// A full disk mid-run (issue 15, point 12): the run stops, says so in one line, exit 2, every line on disk whole,
// run.json never truncated, and --resume after freeing space completes it. The disk is a write(2) that fills up
// after N bytes (the I/O edge, test/support/full-disk.ts) and, where this machine lets a test mount one, a real
// tmpfs.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Simulator, startSimulator } from "../../src/simulator/server.ts";
import type { CaseRecord, CaseResult } from "../../src/types.ts";
import { createFixtureProject } from "../support/fixture-project.ts";
import { diskFullFor, diskWithRoomFor } from "../support/full-disk.ts";
import { BUILT_CLI, runCli } from "../support/run-cli.ts";
import { scenarios } from "../support/run-results.ts";
import { tempDir } from "../support/temp-dir.ts";

const line = (o: object) => JSON.stringify(o);
const CASES = 400;
const CONCURRENCY = 8;

/** A run dir's files as a user finds them: every results.jsonl line parsed (a torn one fails the parse). */
function runFiles(runDir: string) {
  const text = readFileSync(join(runDir, "results.jsonl"), "utf8");
  const lines = text.split("\n").filter(Boolean);
  return {
    text,
    results: lines.map((l) => JSON.parse(l) as CaseResult),
    run: JSON.parse(readFileSync(join(runDir, "run.json"), "utf8")) as {
      status: string;
      cases: CaseRecord[];
    },
    files: readdirSync(runDir).sort(),
  };
}

/** The run log (issue 18): written beside the results, with plain writes a full disk cannot make fail the run. */
const RUN_LOG = expect.stringMatching(/^360-benchmark-.+\.log$/);

const KEPT =
  /results\.jsonl: the disk is full \(ENOSPC\) — (\d+) results kept; free space and run `evals --resume latest`\n/;

describe("a disk that fills up mid-run", () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ ttftMs: 1, tokensPerS: 0, seed: "disk" });
  });
  afterAll(async () => {
    await sim.close();
  });

  it("stops starting cases, names ENOSPC in one line, exit 2, keeps whole lines; --resume after freeing space completes it", async () => {
    const root = createFixtureProject({
      "config/models_profiles.jsonl": line({ model_id: "openai-compatible/sim", base_url: `${sim.url}/v1` }),
      "config/judge_profiles.jsonl": line({ model_id: "mock/j" }),
      "evals/many.eval.jsonl": scenarios(CASES),
    });
    const args = ["--min-pass-rate", "0", "--concurrency", String(CONCURRENCY), "--no-preflight"];
    // Room for run.json (~150 KB for 400 cases) and about half of the results (~0.6 KB each).
    const disk = diskWithRoomFor(280_000);
    let first: Awaited<ReturnType<typeof runCli>>;
    try {
      first = await runCli(root, args);
    } finally {
      disk.restore();
    }
    const runs = join(root, "outputs", "runs");
    const [runId] = readdirSync(runs);
    const runDir = join(runs, runId as string);
    const afterFull = runFiles(runDir);

    expect(first.code).toBe(2);
    expect(first.stderr).toMatch(KEPT);
    expect(first.stderr).not.toMatch(/internal error|Unexpected message|\n\s+at /);
    const kept = Number(KEPT.exec(first.stderr)?.[1]);
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(CASES);
    // Every line whole: the half line the full disk took is cut back; the count is what the message said.
    expect(afterFull.text.endsWith("\n")).toBe(true);
    expect(afterFull.results).toHaveLength(kept);
    expect(new Set(afterFull.results.map((r) => r.caseId)).size).toBe(kept);
    // run.json is the whole one written at the start (never truncated), no temp file, no lock left behind.
    expect(afterFull.run.status).toBe("running");
    expect(afterFull.run.cases).toHaveLength(CASES);
    // The index is a cache, removed when a write of it meets the full disk (the dashboard makes it up again): it is
    // there or not depending on which write of a turn met the full disk first, results.jsonl's or its own.
    const index = ["results.idx", "results.idx.json"];
    expect(afterFull.files.filter((f) => !index.includes(f))).toEqual([
      RUN_LOG,
      "results.jsonl",
      "run.json",
      "unprocessed.jsonl",
    ]);
    if (afterFull.files.includes("results.idx.json")) expect(afterFull.files).toContain("results.idx");
    // No case started after the failure: at most the cases then in flight called the model beyond those kept.
    const calls = Object.values(sim.stats.requests).reduce((a, b) => a + b, 0);
    expect(calls).toBeLessThanOrEqual(kept + CONCURRENCY + 1);

    // Space freed: the resume runs exactly the missing cases.
    const second = await runCli(root, ["--resume", "latest", ...args]);
    expect(second.stderr).toBe("");
    expect(second.code).toBe(0);
    const done = runFiles(runDir);
    const ids = done.results.map((r) => r.caseId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort()).toEqual(done.run.cases.map((c) => c.id).sort());
    expect(done.run.status).toBe("completed");
    expect(done.results.slice(0, kept)).toEqual(afterFull.results);
  });

  it.skipIf(process.platform !== "linux")(
    "full when the run writes its final run.json: the earlier run.json is kept whole, exit 2; --resume writes the reports",
    async () => {
      const root = createFixtureProject({
        "config/models_profiles.jsonl": line({ model_id: "mock/a", mock: { ttft_ms: 0, tokens_per_s: 0 } }),
        "config/judge_profiles.jsonl": line({ model_id: "mock/j" }),
        "evals/few.eval.jsonl": scenarios(20),
      });
      // run.json is full once results.jsonl exists: its first version (before any result) is written, its last is not.
      const restore = diskFullFor(
        (path) => /run\.json\.\d+\.tmp$/.test(path) && existsSync(join(dirname(path), "results.jsonl")),
      );
      let first: Awaited<ReturnType<typeof runCli>>;
      try {
        first = await runCli(root, ["--min-pass-rate", "0"]);
      } finally {
        restore();
      }
      expect(first.code).toBe(2);
      expect(first.stderr).toMatch(
        /^error: \S+\/run\.json: the disk is full \(ENOSPC\) — every result is kept in results\.jsonl; free space and run `evals --resume latest`\n$/,
      );
      const runs = join(root, "outputs", "runs");
      const runDir = join(runs, readdirSync(runs)[0] as string);
      const afterFull = runFiles(runDir);
      expect(afterFull.run.status).toBe("running");
      expect(afterFull.results).toHaveLength(20);
      expect(afterFull.files).toEqual([
        RUN_LOG,
        "results.idx",
        "results.idx.json",
        "results.jsonl",
        "run.json",
        "unprocessed.jsonl",
      ]);

      const second = await runCli(root, ["--resume", "latest", "--min-pass-rate", "0"]);
      expect(second.stderr).toBe("");
      expect(second.code).toBe(0);
      const done = runFiles(runDir);
      expect(done.run.status).toBe("completed");
      expect(done.results).toEqual(afterFull.results);
    },
  );

  /** Whether this machine lets a test mount a tmpfs in its own user and mount namespace (`unshare -rm`). */
  const canMount = (() => {
    const probe = tempDir("jury-mount-probe-");
    return (
      spawnSync("unshare", ["-rm", "sh", "-c", `mount -t tmpfs -o size=64k tmpfs '${probe}'`]).status === 0
    );
  })();

  it.skipIf(!canMount)(
    "on a real tmpfs (unshare -rm + mount; skipped where mounting is not allowed): same story with the built CLI",
    () => {
      const root = createFixtureProject({
        "config/models_profiles.jsonl": line({ model_id: "mock/a", mock: { ttft_ms: 0, tokens_per_s: 0 } }),
        "config/judge_profiles.jsonl": line({ model_id: "mock/j" }),
        "evals/many.eval.jsonl": scenarios(300),
      });
      const out = join(root, "full");
      const saved = join(root, "saved");
      mkdirSync(out);
      mkdirSync(saved);
      // The mount lives as long as the namespace: both runs and the copies of what they left happen inside it.
      const evals = `'${process.execPath}' '${BUILT_CLI}' --output-dir '${out}' --min-pass-rate 0`;
      const script = [
        `mount -t tmpfs -o size=192k tmpfs '${out}'`,
        `${evals} > '${saved}/first.out' 2> '${saved}/first.err'; echo $? > '${saved}/first.code'`,
        `cp -a '${out}' '${saved}/after-full'`,
        `mount -o remount,size=16m '${out}'`,
        `${evals} --resume latest > '${saved}/second.out' 2> '${saved}/second.err'; echo $? > '${saved}/second.code'`,
        `cp -a '${out}' '${saved}/after-resume'`,
      ].join("\n");
      const sh = spawnSync("unshare", ["-rm", "sh", "-c", script], {
        cwd: root,
        env: { ...process.env, NO_COLOR: "1", CI: "true", GITHUB_ACTIONS: "" },
        encoding: "utf8",
      });
      expect(sh.stderr).toBe("");
      const read = (f: string) => readFileSync(join(saved, f), "utf8");
      expect(read("first.code").trim()).toBe("2");
      expect(read("first.err")).toMatch(KEPT);
      const kept = Number(KEPT.exec(read("first.err"))?.[1]);
      expect(kept).toBeGreaterThan(0);
      expect(kept).toBeLessThan(300);
      const runId = readdirSync(join(saved, "after-full", "runs"))[0] as string;
      const full = runFiles(join(saved, "after-full", "runs", runId));
      expect(full.text.endsWith("\n")).toBe(true);
      expect(full.results).toHaveLength(kept);
      expect(full.run.cases).toHaveLength(300);
      expect(existsSync(join(saved, "after-full", "runs", runId, "run.lock"))).toBe(false);

      expect(read("second.err")).toBe("");
      expect(read("second.code").trim()).toBe("0");
      const done = runFiles(join(saved, "after-resume", "runs", runId));
      const ids = done.results.map((r) => r.caseId);
      expect(new Set(ids).size).toBe(300);
      expect(ids).toHaveLength(300);
      expect(done.run.status).toBe("completed");
    },
  );
});
