import { describe, expect, it } from "vitest";
import { MOCK_DEFAULTS, mockProvider } from "../../../src/providers/mock.ts";
import { overlap } from "../../../src/simulator/judge-answer.ts";
import type { GenerateRequest, ModelProfile, StreamEvent } from "../../../src/types.ts";

const profile = (quality: number, extra: Partial<ModelProfile["mock"]> = {}): ModelProfile => ({
  key: `mock/q${quality}`,
  modelId: `mock/q${quality}`,
  provider: "mock",
  model: `q${quality}`,
  inputCostPer1k: 0,
  outputCostPer1k: 0,
  mock: { ...MOCK_DEFAULTS, ttftMs: 0, tokensPerS: 0, quality, ...extra },
  source: { file: "m.jsonl", line: 1 },
});
const golden = "Edge computing brings computation and data storage closer to where it is needed";
const request = (seed: string, extra: Partial<GenerateRequest> = {}): GenerateRequest => ({
  messages: [{ role: "user", content: "What is edge computing?" }],
  temperature: 0.7,
  maxTokens: 100,
  seed,
  mockGolden: golden,
  ...extra,
});
async function collect(events: AsyncIterable<StreamEvent>) {
  const out: StreamEvent[] = [];
  for await (const e of events) out.push(e);
  return { events: out, text: out.map((e) => (e.type === "text" ? e.text : "")).join("") };
}

describe("mock provider", () => {
  it("quality 1 answers the golden answer exactly; 0 shares no word with it", async () => {
    expect((await collect(mockProvider.stream(profile(1), request("c1")))).text).toBe(golden);
    const bad = (await collect(mockProvider.stream(profile(0), request("c1")))).text;
    expect(overlap(bad, golden)).toBe(0);
  });

  it("unpaced, answers in one chunk from the first word, its tokens the /\\S+\\s*/ runs, as paced it streams them", async () => {
    const text = "  Edge\u00a0computing\tbrings  data\u3000closer \n";
    const runs = text.match(/\S+\s*/g) ?? [];
    const usage = (events: StreamEvent[]) => events.find((e) => e.type === "usage");
    const unpaced = await collect(mockProvider.stream(profile(1), request("c1", { mockGolden: text })));
    expect(unpaced.events.filter((e) => e.type === "text")).toEqual([{ type: "text", text: runs.join("") }]);
    expect(usage(unpaced.events)).toMatchObject({ outputTokens: runs.length });
    const paced = await collect(
      mockProvider.stream(profile(1, { tokensPerS: 10_000 }), request("c1", { mockGolden: text })),
    );
    expect(paced.text).toBe(unpaced.text);
    expect(usage(paced.events)).toMatchObject({ outputTokens: runs.length });
  });

  it("is deterministic by seed and varies across seeds", async () => {
    const a = await collect(mockProvider.stream(profile(0.5), request("c1")));
    const b = await collect(mockProvider.stream(profile(0.5), request("c1")));
    const c = await collect(mockProvider.stream(profile(0.5), request("c2")));
    expect(a.text).toBe(b.text);
    expect(a.text).not.toBe(c.text);
  });

  it("reports usage and a finish reason", async () => {
    const { events } = await collect(mockProvider.stream(profile(1), request("c1")));
    expect(events.at(-2)).toEqual({ type: "usage", inputTokens: 4, outputTokens: 13 });
    expect(events.at(-1)).toEqual({ type: "finish", reason: "stop" });
  });

  it("streams with the configured first-token delay and rate", async () => {
    const t0 = performance.now();
    const { events } = await collect(
      mockProvider.stream(profile(1, { ttftMs: 60, tokensPerS: 200 }), request("c1")),
    );
    const elapsed = performance.now() - t0;
    // 60 ms to first token, then two more 5-token chunks 25 ms apart: ≈ 110 ms (lower bound with timer slack).
    expect(elapsed).toBeGreaterThanOrEqual(100);
    expect(events.filter((e) => e.type === "text").length).toBeGreaterThan(1);
  });

  // Timed in this process: a loaded machine can stall its event loop past the bound, so up to two more tries (delays
  // that add up fail all three).
  it("keeps its rate when the reader is late: chunks are due at fixed times, delays do not add up", {
    retry: 2,
  }, async () => {
    const words = Array.from({ length: 40 }, (_, i) => `w${i}`).join(" ");
    const t0 = performance.now();
    let chunks = 0;
    for await (const e of mockProvider.stream(
      profile(1, { ttftMs: 0, tokensPerS: 200 }),
      request("c1", { mockGolden: words }),
    )) {
      if (e.type !== "text") continue;
      chunks++;
      if (chunks === 2) while (performance.now() - t0 < 150); // a busy event loop until 150 ms
    }
    const elapsed = performance.now() - t0;
    // The first token alone, then 8 chunks of ≤ 5 tokens, each when its last token is due: the last (token 39) at
    // 195 ms. Delays that added up would end at 25 + 150 + 170 = 345 ms.
    expect(chunks).toBe(9);
    expect(elapsed).toBeGreaterThanOrEqual(190);
    expect(elapsed).toBeLessThan(280);
  });

  it("never bunches its chunks after a late first read: the decode window stays (N − 1) ÷ pace", async () => {
    const words = Array.from({ length: 40 }, (_, i) => `w${i}`).join(" ");
    let firstAt: number | undefined;
    let lastAt = 0;
    for await (const e of mockProvider.stream(
      profile(1, { ttftMs: 0, tokensPerS: 200 }),
      request("c1", { mockGolden: words }),
    )) {
      if (e.type !== "text") continue;
      lastAt = performance.now();
      if (firstAt === undefined) {
        firstAt = lastAt;
        while (performance.now() - lastAt < 150); // a busy event loop for 150 ms after the first token
      }
    }
    // 39 tokens after the first at 200 tok/s: 195 ms from the first read (a timer may fire 1 ms early), not a
    // burst of overdue chunks at 150 ms that would make the decode rate 39 ÷ 45 ms = 867 tok/s.
    expect(lastAt - (firstAt as number)).toBeGreaterThanOrEqual(194);
  });

  it("fails at its error rate, deterministically", async () => {
    const p = profile(1, { errorRate: 1 });
    await expect(collect(mockProvider.stream(p, request("c1")))).rejects.toThrow(
      "simulated error from mock/q1 (error_rate 1)",
    );
  });

  it("as a judge: exact → 5 everywhere, unrelated → 1 everywhere, partial in between", async () => {
    const dims = [
      { key: "correctness", name: "Correctness" },
      { key: "format", name: "Format" },
    ];
    const judge = async (response: string) => {
      const { text } = await collect(
        mockProvider.stream(
          profile(1),
          request("c1", { judging: { prompt: "q", golden, response, dimensions: dims } }),
        ),
      );
      return JSON.parse(text).scores as Record<string, { score: number; rationale: string }>;
    };
    const exact = await judge(golden);
    expect(Object.values(exact).map((s) => s.score)).toEqual([5, 5]);
    expect(exact.Correctness?.rationale).toBe(
      "Simulated judge: the response matches the reference answer exactly.",
    );
    expect(Object.values(await judge("lorem ipsum dolor")).map((s) => s.score)).toEqual([1, 1]);
    const half = Object.values(
      await judge("Edge computing brings computation lorem ipsum dolor sit amet"),
    ).map((s) => s.score);
    expect(half.every((s) => s >= 2 && s <= 4)).toBe(true);
  });
});

describe("overlap", () => {
  it("is the F1 of word bags", () => {
    expect(overlap("a b c d", "a b c d")).toBe(1);
    expect(overlap("a b", "a b c d")).toBeCloseTo(2 / 3);
    expect(overlap("", "a")).toBe(0);
  });
});
