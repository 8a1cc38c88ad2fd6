import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Simulator, startSimulator } from "../../../src/simulator/server.ts";

describe("simulator recordTtft", () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ ttftMs: 60, tokensPerS: 400, seed: "t", recordTtft: true });
  });
  afterAll(() => sim.close());

  const ask = async (content: string, stream: boolean) => {
    const res = await fetch(`${sim.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "sim", stream, messages: [{ role: "user", content }] }),
    });
    await res.text();
  };

  it("records, per streamed prompt, the TTFT it served (first content chunk − arrival)", async () => {
    const t0 = performance.now();
    await ask("first prompt", true);
    const elapsed = performance.now() - t0;
    const served = sim.stats.servedTtftMs?.["first prompt"];
    expect(served).toBeGreaterThanOrEqual(59); // timers may fire up to 1 ms early
    expect(served).toBeLessThan(elapsed);
  });

  it("records nothing for non-streamed calls, and nothing at all without the option", async () => {
    await ask("not streamed", false);
    expect(Object.keys(sim.stats.servedTtftMs ?? {})).toEqual(["first prompt"]);
    const plain = await startSimulator({ ttftMs: 0 });
    expect(plain.stats.servedTtftMs).toBeUndefined();
    await plain.close();
  });
});
