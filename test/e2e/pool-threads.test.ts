// How many worker threads a run starts: each loads and warms up the SDKs (~0.3 s of CPU), so a plan that one
// thread's share of the concurrency holds gets one. Real Piscina threads.
import { afterEach, describe, expect, it } from "vitest";
import { createPiscinaPool } from "../../src/runner/piscina-pool.ts";

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
