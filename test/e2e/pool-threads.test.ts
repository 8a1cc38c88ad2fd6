// How many worker threads a run starts: each loads and warms up the SDKs (~0.3 s of CPU), so a plan that one
// thread's share of the concurrency holds gets one. Real Piscina threads.
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import type { IncomingMessage } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { plannedProfiles } from "../../src/plan/expand.ts";
import { createPiscinaPool } from "../../src/runner/piscina-pool.ts";
import { prepareRun } from "../../src/runner/prepare.ts";
import type { CaseTask } from "../../src/types.ts";
import { createFixtureProject } from "../support/fixture-project.ts";
import { profile, samplePlan } from "../support/plan.ts";

type Pool = Awaited<ReturnType<typeof createPiscinaPool>>;
let pool: Pool | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

describe("the Piscina pool's threads", () => {
  it.each([
    [3, 1],
    [16, 1],
    [17, 2],
    [1_000, 2],
  ])("a run of %i cases at concurrency 32, --workers 2, starts %i", async (cases, threads) => {
    pool = await createPiscinaPool({ workers: 2, concurrency: 32, cases });
    expect(pool.threads()).toBe(threads);
  });

  it("starts every worker when the number of cases is not known yet (eval files to collect)", async () => {
    pool = await createPiscinaPool({ workers: 2, concurrency: 32 });
    expect(pool.threads()).toBe(2);
  });
});

describe("the threads' warm-up of profiles told after the pool was made (a project's .eval.ts files collected first)", () => {
  // An OpenAI-compatible model: the threads warm its SDK up against the simulator this thread serves for them.
  const live = profile("openai-compatible/m", {
    provider: "openai-compatible",
    baseUrl: "http://127.0.0.1:9/v1",
  });

  /** Resolves once `count` OpenAI chat calls reached an HTTP server of this thread: the pool's warm-up simulator. */
  function warmUpCalls(count: number): Promise<void> {
    return new Promise((resolve) => {
      let seen = 0;
      const onRequest = (message: unknown) => {
        if ((message as { request: IncomingMessage }).request.url !== "/v1/chat/completions") return;
        if (++seen < count) return;
        unsubscribe("http.server.request.start", onRequest);
        resolve();
      };
      subscribe("http.server.request.start", onRequest);
    });
  }

  it("reaches threads that were still starting (they ask as they start)", async () => {
    const calls = warmUpCalls(24);
    pool = await createPiscinaPool({ workers: 2, concurrency: 2 });
    expect(pool.threads()).toBe(2);
    pool.warm([live]);
    // 12 calls a thread (warm-up.ts), each thread once.
    await calls;
  });

  it("reaches threads already running", async () => {
    pool = await createPiscinaPool({ workers: 1, concurrency: 1 });
    // A probe of nothing answers once the thread runs (its warm-up channel open).
    await expect(pool.probe([], [])).resolves.toEqual([]);
    const calls = warmUpCalls(12);
    pool.warm([live]);
    await calls;
  });

  it("a run's pool, made to collect its .eval.ts files, warms up the plan's profiles once the run tells them", async () => {
    const root = createFixtureProject({
      "config/models_profiles.jsonl": JSON.stringify({
        model_id: "openai-compatible/m",
        base_url: live.baseUrl,
      }),
      "config/judge_profiles.jsonl": JSON.stringify({ model_id: "mock/judge" }),
      "evals/a.eval.ts": `import { defineEval } from "jury";\ndefineEval("e", { scenarios: [{ prompt: "hi" }] });\n`,
    });
    const prepared = await prepareRun({ root });
    try {
      const made = await prepared.pool();
      const calls = warmUpCalls(12);
      const planned = plannedProfiles(prepared.plan.cases);
      expect(planned.map((p) => p.key)).toContain("openai-compatible/m");
      expect(await prepared.pool({ warm: planned, cases: prepared.plan.cases.length })).toBe(made);
      await calls;
    } finally {
      await prepared.close();
    }
  });
});

describe("a case sent again after its first run was abandoned", () => {
  it("gets its own answer, not the abandoned run's (which ends first)", async () => {
    // A head start dropped by the access check sends its cases again while their first runs still go on in the
    // worker. The first run answers after ~20 ms, the second after 1 s: the same case id, not the same run.
    const mock = (ttftMs: number) => ({ quality: 0.9, ttftMs, tokensPerS: 0, errorRate: 0 });
    const fast = profile("mock/a", { mock: mock(20) });
    const [planned] = samplePlan([fast]).cases;
    const first = planned?.task as CaseTask;
    const again: CaseTask = {
      ...first,
      model: { ...fast, mock: mock(1_000) },
      timeoutMs: 10_000,
    };
    pool = await createPiscinaPool({ workers: 1, concurrency: 2 });
    const abandon = new AbortController();
    const abandoned = pool.runCase(first, abandon.signal);
    abandon.abort(new Error("head start dropped"));
    await expect(abandoned).rejects.toThrow("head start dropped");
    const result = await pool.runCase(again);
    expect(result.caseId).toBe(first.case.id);
    // Not ≥ 1,000: a timer may fire a fraction of a ms early by performance.now() (libuv's loop clock is in ms;
    // CI measured 999.9). What tells the runs apart is 20 ms against 1 s.
    expect(result.metrics?.ttftMs).toBeGreaterThan(500);
  });
});
