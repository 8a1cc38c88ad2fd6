// How many worker threads a run starts: each loads and warms up the SDKs (~0.3 s of CPU), so a plan that one
// thread's share of the concurrency holds gets one. Real Piscina threads.
import { afterEach, describe, expect, it } from "vitest";
import { createPiscinaPool } from "../../src/runner/piscina-pool.ts";
import type { CaseTask } from "../../src/types.ts";
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
