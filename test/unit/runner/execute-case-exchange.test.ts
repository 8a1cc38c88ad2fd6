import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { collectEvalFile } from "../../../src/discovery/collect.ts";
import { planCases } from "../../../src/plan/expand.ts";
import { MOCK_DEFAULTS, mockProvider } from "../../../src/providers/mock.ts";
import { executeCase } from "../../../src/runner/execute-case.ts";
import type { Scenario } from "../../../src/types.ts";
import { listTree } from "../../support/list-tree.ts";
import { evalDef, planInput, profile, scenario } from "../../support/plan.ts";
import { tempDir } from "../../support/temp-dir.ts";

// The module json-schema.ts loads (a CommonJS require), so its class is the one spied on.
const { Ajv } = createRequire(import.meta.url)("ajv") as typeof import("ajv");

// The runner on real mock/ models and judges: a perfect model (quality 1) answers each turn's golden answer.
const perfect = (key = "mock/perfect") =>
  profile(key, {
    mock: { ...MOCK_DEFAULTS, quality: 1, ttftMs: 5, tokensPerS: 0 },
    inputCostPer1k: 1,
    outputCostPer1k: 2,
  });

async function runCases(scenarios: Scenario[], opts: { model?: string; cacheDir?: string } = {}) {
  const plan = planCases(
    planInput([evalDef("conv", scenarios)], { models: [perfect(opts.model)], judges: [profile("mock/j")] }),
  );
  const results = [];
  for (const c of plan.cases) {
    const task = opts.cacheDir ? { ...c.task, cache: { mode: "on" as const, dir: opts.cacheDir } } : c.task;
    results.push(await executeCase(task));
  }
  return results;
}

const cachedKeys = (dir: string) =>
  listTree(join(dir, "target"))
    .filter((e) => e.isFile() && e.name.endsWith(".json"))
    .map(
      (e) =>
        (JSON.parse(readFileSync(join(e.parentPath, e.name), "utf8")) as { key: Record<string, unknown> })
          .key,
    );

describe("executeCase with conversations and structured output (issue 20)", () => {
  it("compiles the output schema before the case's first call, not while other calls are in flight", async () => {
    // A schema no other test compiles (validators are kept by the schema's text).
    const schema = {
      type: "object",
      properties: { city: { type: "string" } },
      required: ["city"],
      description: "compiled before the call",
    };
    const compile = vi.spyOn(Ajv.prototype, "compile");
    const stream = vi.spyOn(mockProvider, "stream");
    try {
      const [r] = await runCases([scenario("first", { golden: '{"city": "Paris"}', outputSchema: schema })]);
      expect(r?.structuredOutput).toEqual({ valid: true, errors: [] });
      expect(compile).toHaveBeenCalledTimes(1);
      expect(stream).toHaveBeenCalled();
      expect(compile.mock.invocationCallOrder[0]).toBeLessThan(stream.mock.invocationCallOrder[0] as number);
    } finally {
      compile.mockRestore();
      stream.mockRestore();
    }
  });

  it("answers a conversation's last user turn and records the transcript", async () => {
    const [r] = await runCases([
      scenario("m", {
        prompt: "and Rome?",
        golden: "Rome is the capital of Italy.",
        messages: [
          { role: "system", content: "Be brief." },
          { role: "user", content: "Capital of France?" },
          { role: "assistant", content: "Paris." },
          { role: "user", content: "and Rome?" },
        ],
      }),
    ]);
    expect(r?.state).toBe("passed");
    expect(r?.output).toBe("Rome is the capital of Italy.");
    expect(r?.transcript?.map((m) => `${m.role}: ${m.content}`)).toEqual([
      "system: Be brief.",
      "user: Capital of France?",
      "assistant: Paris.",
      "user: and Rome?",
      "assistant: Rome is the capital of Italy.",
    ]);
    expect(r?.toolCalls).toBeUndefined();
    expect(r?.metrics?.turns).toBeUndefined();
  });

  it("runs scripted turns: every answer in the transcript, the last one judged, metrics per turn", async () => {
    const [r] = await runCases([
      scenario("t", {
        prompt: "Hi",
        turns: [
          { user: "Hi", golden: "Hello, how can I help?" },
          { user: "Book a table for two", golden: "Done: a table for two at 8 pm." },
          { user: "Thanks", golden: "You are welcome." },
        ],
      }),
    ]);
    expect(r?.state).toBe("passed");
    expect(r?.output).toBe("You are welcome.");
    expect(r?.transcript?.map((m) => [m.role, m.turn, m.content])).toEqual([
      ["user", 1, "Hi"],
      ["assistant", 1, "Hello, how can I help?"],
      ["user", 2, "Book a table for two"],
      ["assistant", 2, "Done: a table for two at 8 pm."],
      ["user", 3, "Thanks"],
      ["assistant", 3, "You are welcome."],
    ]);
    expect(r?.transcript?.[0]?.golden).toBe("Hello, how can I help?");
    const m = r?.metrics;
    const turns = m?.turns ?? [];
    expect(turns.map((t) => [t.turn, t.calls])).toEqual([
      [1, 1],
      [2, 1],
      [3, 1],
    ]);
    // The case's own metrics keep their meaning: the first call's TTFT, every call's tokens and cost summed.
    expect(m?.ttftMs).toBe(turns[0]?.ttftMs);
    expect(turns.reduce((n, t) => n + t.inputTokens, 0)).toBe(m?.inputTokens);
    expect(turns.reduce((n, t) => n + t.outputTokens, 0)).toBe(m?.outputTokens);
    expect(turns.reduce((n, t) => n + t.cost, 0)).toBeCloseTo(m?.responseCost ?? -1, 10);
    // Each turn is sent the conversation so far: later turns read more input tokens.
    expect(turns[2]?.inputTokens).toBeGreaterThan(turns[0]?.inputTokens ?? Infinity);
  });

  it("records whether the answer is valid JSON for output_schema", async () => {
    const schema = { type: "object", properties: { city: { type: "string" } }, required: ["city"] };
    const [valid] = await runCases([scenario("ok", { golden: '{"city": "Paris"}', outputSchema: schema })]);
    expect(valid?.structuredOutput).toEqual({ valid: true, errors: [] });
    // A model named bad-json (simulated models drop a required property) that answers no JSON either way.
    const [invalid] = await runCases([scenario("bad", { golden: "Paris", outputSchema: schema })], {
      model: "mock/bad-json",
    });
    expect(invalid?.structuredOutput?.valid).toBe(false);
    expect(invalid?.structuredOutput?.errors.length).toBeGreaterThan(0);
    const [none] = await runCases([scenario("plain", { golden: "Paris" })]);
    expect(none?.structuredOutput).toBeUndefined();
  });

  it("keeps a one-prompt call's cache key as it was, and keys conversations by all their messages", async () => {
    const dir = tempDir("jury-exchange-cache-");
    await runCases([scenario("one", { golden: "g" })], { cacheDir: dir });
    expect(Object.keys(cachedKeys(dir)[0] ?? {}).sort()).toEqual(
      [
        "provider",
        "model",
        "baseUrl",
        "region",
        "serviceTier",
        "system",
        "prompt",
        "image",
        "temperature",
        "maxTokens",
        "stream",
        "invocation",
        "experiment",
        "call",
      ].sort(),
    );
    const conversation = (first: string) =>
      scenario(`c-${first}`, {
        prompt: "and then?",
        golden: "g",
        messages: [
          { role: "user", content: first },
          { role: "assistant", content: "ok" },
          { role: "user", content: "and then?" },
        ],
        outputSchema: { type: "object" },
      });
    const dir2 = tempDir("jury-exchange-cache-");
    const [a, b] = await runCases([conversation("one"), conversation("two")], { cacheDir: dir2 });
    expect(a?.metrics?.cached).toBeUndefined();
    expect(b?.metrics?.cached).toBeUndefined();
    const keys = cachedKeys(dir2);
    expect(keys).toHaveLength(2);
    expect(keys.every((k) => Array.isArray(k.messages) && k.jsonSchema !== undefined)).toBe(true);
    // Run again: each conversation is served its own recorded answer.
    const [a2] = await runCases([conversation("one")], { cacheDir: dir2 });
    expect(a2?.metrics?.cached).toBe(true);
  });

  it("hands a .eval.ts check the tool calls, the transcript and the structured-output validity", async () => {
    const dir = tempDir("jury-exchange-ts-");
    const abs = join(dir, "c.eval.ts");
    const index = join(import.meta.dirname, "..", "..", "..", "src", "index.ts");
    writeFileSync(
      abs,
      `import { defineEval } from ${JSON.stringify(index)};
defineEval("seen", {
  scenarios: [{ id: "s", turns: [{ user: "Hi", golden: "Hello" }, { user: "Bye", golden: "{}" }], outputSchema: { type: "object" } }],
  checks: [{ name: "sees", run: (ctx) => ({ passed: false, message: JSON.stringify({ toolCalls: ctx.toolCalls, roles: ctx.transcript?.map((m) => m.role), structuredOutput: ctx.structuredOutput }) }) }],
});
`,
    );
    const collected = await collectEvalFile(abs, "c.eval.ts");
    expect(collected.problems).toEqual([]);
    const plan = planCases(planInput(collected.evals, { models: [perfect()], judges: [profile("mock/j")] }));
    const task = plan.cases[0]?.task;
    if (!task) throw new Error("no case planned");
    const r = await executeCase(task);
    // The scenario's declared output_schema check runs first; the eval's own check follows it.
    expect(r.checks.map((c) => c.name)).toEqual(["output_schema", "sees"]);
    expect(JSON.parse(r.checks[1]?.message ?? "null")).toEqual({
      toolCalls: [],
      roles: ["user", "assistant", "user", "assistant"],
      structuredOutput: { valid: true, errors: [] },
    });
  });

  it("tool_choice: required makes the model call a tool its prompt does not name, none makes it call none", async () => {
    const weather = { name: "get_weather", parameters: { type: "object" } };
    const [required, none] = await runCases([
      scenario("req", {
        prompt: "Plan my day.",
        golden: "Take an umbrella.",
        tools: [weather],
        toolResults: { get_weather: "rain" },
        toolChoice: "required",
      }),
      scenario("none", { prompt: "Call get_weather.", golden: "No.", tools: [weather], toolChoice: "none" }),
    ]);
    expect(required?.toolCalls?.map((c) => [c.step, c.name, c.result])).toEqual([[1, "get_weather", "rain"]]);
    expect(required?.output).toBe("Take an umbrella. Tool get_weather returned: rain");
    expect(none?.toolCalls).toBeUndefined();
    expect(none?.output).toBe("No.");
  });
});
