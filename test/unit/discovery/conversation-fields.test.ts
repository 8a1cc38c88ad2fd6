import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { collectEvalFile } from "../../../src/discovery/collect.ts";
import { parseEvalJsonl } from "../../../src/discovery/jsonl.ts";
import { formatProblem } from "../../../src/errors.ts";
import { tempDir } from "../../support/temp-dir.ts";

const TASK = { task_type: "QA", task_criteria: "Correct." };
const WEATHER = {
  name: "get_weather",
  description: "The weather in a city",
  parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
};
const parse = (...rows: unknown[]) =>
  parseEvalJsonl(
    rows.map((r) => JSON.stringify(r)).join("\n"),
    "/p/evals/c.eval.jsonl",
    "evals/c.eval.jsonl",
  );

describe("scenario fields beyond one prompt (issue 20) in .eval.jsonl", () => {
  it("reads messages (the prompt is the last user turn) and the tool and schema fields", () => {
    const r = parse({
      task: TASK,
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Hi", image: "https://example.com/a.png" },
        { role: "assistant", content: "Hello!" },
        { role: "user", content: 'get_weather {"city": "Paris"}' },
      ],
      tools: [WEATHER],
      tool_results: { get_weather: { temp: 18 } },
      max_tool_steps: 3,
      expected_tool_calls: [{ name: "get_weather", arguments: { city: "Paris" } }],
      tool_order: "exact",
      output_schema: { type: "object", properties: { answer: { type: "string" } } },
    });
    expect(r.problems).toEqual([]);
    expect(r.warnings).toEqual([]);
    expect(r.eval.scenarios[0]).toMatchObject({
      prompt: 'get_weather {"city": "Paris"}',
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Hi", image: "https://example.com/a.png" },
        { role: "assistant", content: "Hello!" },
        { role: "user", content: 'get_weather {"city": "Paris"}' },
      ],
      tools: [WEATHER],
      toolResults: { get_weather: { temp: 18 } },
      maxToolSteps: 3,
      expectedToolCalls: [{ name: "get_weather", arguments: { city: "Paris" } }],
      toolOrder: "exact",
      outputSchema: { type: "object", properties: { answer: { type: "string" } } },
    });
  });

  it("reads tool_choice: auto, required, none or a declared tool's name", () => {
    const choices = ["auto", "required", "none", { name: "get_weather" }];
    const r = parse(
      ...choices.map((c) => ({ task: TASK, text_prompt: "p", tools: [WEATHER], tool_choice: c })),
    );
    expect(r.problems).toEqual([]);
    expect(r.eval.scenarios.map((s) => s.toolChoice)).toEqual(choices);
  });

  it("reads scripted turns (the prompt is the first turn) with their golden answers", () => {
    const r = parse({ task: TASK, turns: [{ user: "one", golden: "1" }, { user: "two" }] });
    expect(r.problems).toEqual([]);
    expect(r.eval.scenarios[0]).toMatchObject({
      prompt: "one",
      turns: [{ user: "one", golden: "1" }, { user: "two" }],
    });
  });

  it("leaves a 360-eval row as it was: none of the new fields", () => {
    const r = parse({ text_prompt: "p", task: TASK });
    expect(Object.keys(r.eval.scenarios[0] ?? {}).sort()).toEqual(
      ["criteria", "key", "line", "metrics", "prompt", "taskType"].sort(),
    );
  });

  it.each([
    [{ messages: [] }, "messages: must be a non-empty array of turns"],
    [
      { messages: "hi" },
      'messages: must be a non-empty array of turns like {"role": "user", "content": "..."} (got "hi")',
    ],
    [
      { messages: [{ role: "bot", content: "x" }] },
      'messages[0].role: must be "system", "user" or "assistant" (got "bot")',
    ],
    [
      { messages: [{ role: "user" }] },
      "messages[0].content: required: the turn's text as a string (got nothing)",
    ],
    [
      {
        messages: [
          { role: "user", content: "a" },
          { role: "assistant", content: "b" },
        ],
      },
      'messages[1].role: the last turn must be a user turn, which the model answers (got "assistant")',
    ],
    [
      {
        messages: [
          { role: "user", content: "a" },
          { role: "system", content: "s" },
          { role: "user", content: "b" },
        ],
      },
      "messages[1].role: a system turn must come before every user and assistant turn",
    ],
    [
      {
        messages: [
          { role: "assistant", content: "a", image: "x.png" },
          { role: "user", content: "b" },
        ],
      },
      "messages[0].image: only a user turn may carry an image",
    ],
    [
      { messages: [{ role: "user", content: "a" }], text_prompt: "p" },
      "text_prompt: leave it out when messages is given",
    ],
    [
      { messages: [{ role: "user", content: "a" }], url_image: "a.png" },
      "url_image: with messages, put the image on its user turn",
    ],
    [
      { turns: [{ golden: "x" }] },
      "turns[0].user: required: the user's message as a non-empty string (got nothing)",
    ],
    [{ turns: [{ user: "a", golden: 3 }] }, "turns[0].golden: must be a string"],
    [{ turns: {} }, "turns: must be a non-empty array of user turns"],
    [
      { turns: [{ user: "a" }], messages: [{ role: "user", content: "a" }] },
      "turns: give messages or turns, not both",
    ],
    [
      { text_prompt: "p", tools: [{ name: "get weather", parameters: { type: "object" } }] },
      'tools[0].name: must be 1 to 64 letters, digits, _ or - (got "get weather")',
    ],
    [
      { text_prompt: "p", tools: [{ name: "t" }] },
      'tools[0].parameters: required: a JSON Schema object like {"type": "object", "properties": {...}} (got nothing)',
    ],
    [
      { text_prompt: "p", tools: [{ name: "t", parameters: { type: "nope" } }] },
      "tools[0].parameters: not a valid JSON Schema: schema is invalid",
    ],
    [{ text_prompt: "p", tools: [WEATHER, WEATHER] }, 'tools[1].name: duplicate tool "get_weather"'],
    [
      { text_prompt: "p", tools: [{ ...WEATHER, description: 1 }] },
      "tools[0].description: must be a string (got 1)",
    ],
    [
      { text_prompt: "p", tools: [WEATHER], tool_results: { get_time: "noon" } },
      'tool_results.get_time: no tool "get_time" in tools (declared: get_weather); declare it or fix the name',
    ],
    [{ text_prompt: "p", tool_results: ["x"] }, "tool_results: must be an object of tool name → result"],
    [
      { text_prompt: "p", tools: [WEATHER], max_tool_steps: 0 },
      "max_tool_steps: must be an integer of 1 or more",
    ],
    [
      { text_prompt: "p", tools: [WEATHER], expected_tool_calls: { name: "get_weather" } },
      "expected_tool_calls: must be an array of calls",
    ],
    [
      { text_prompt: "p", tools: [WEATHER], expected_tool_calls: [{ name: "get_time" }] },
      'expected_tool_calls[0].name: no tool "get_time" in tools',
    ],
    [
      {
        text_prompt: "p",
        tools: [WEATHER],
        expected_tool_calls: [{ name: "get_weather", arguments: "Paris" }],
      },
      "expected_tool_calls[0].arguments: must be an object",
    ],
    [
      { text_prompt: "p", tool_order: "strict" },
      'tool_order: must be "exact", "in_order" or "any" (got "strict")',
    ],
    [{ text_prompt: "p", output_schema: "object" }, "output_schema: required: a JSON Schema object"],
    [
      { text_prompt: "p", output_schema: { type: "object", required: "a" } },
      "output_schema: not a valid JSON Schema: schema is invalid",
    ],
    [
      { text_prompt: "p", tools: [WEATHER], tool_choice: "any" },
      'tool_choice: must be "auto", "required", "none" or {"name": "<a tool in tools>"} (got "any")',
    ],
    [
      { text_prompt: "p", tools: [WEATHER], tool_choice: { name: "get_time" } },
      'tool_choice.name: no tool "get_time" in tools (declared: get_weather); declare it or fix the name',
    ],
    [
      { text_prompt: "p", tool_choice: "required" },
      "tool_choice: needs tools: it says whether the model must call one of them; declare tools or remove tool_choice",
    ],
  ] as [Record<string, unknown>, string][])("%#: %s", (fields, message) => {
    const r = parse({ text_prompt: "ok", task: TASK }, { task: TASK, ...fields });
    const shown = r.problems.map(formatProblem);
    expect(shown.length).toBeGreaterThan(0);
    expect(shown[0]).toContain(`evals/c.eval.jsonl:2: ${message}`);
    expect(r.eval.scenarios).toHaveLength(1);
  });

  it("accepts the same output_schema with an $id on every line (each line's copy compiles as the first did)", () => {
    const schema = {
      $id: "https://example.com/city.json",
      type: "object",
      properties: { city: { type: "string" } },
      required: ["city"],
    };
    const r = parse(
      { text_prompt: "Capital of France?", task: TASK, output_schema: schema },
      { text_prompt: "Capital of Italy?", task: TASK, output_schema: schema },
      { text_prompt: "Capital of Spain?", task: TASK, output_schema: { ...schema, required: [] } },
    );
    expect(r.problems.map(formatProblem)).toEqual([]);
    expect(r.eval.scenarios.map((s) => s.outputSchema?.$id)).toEqual([schema.$id, schema.$id, schema.$id]);
  });

  it("checks a turn's local image like url_image", () => {
    const r = parseEvalJsonl(
      JSON.stringify({ task: TASK, turns: [{ user: "What is this?", image: "missing.png" }] }),
      "/p/evals/c.eval.jsonl",
      "evals/c.eval.jsonl",
      (image) => `cannot read ${image}`,
    );
    expect(r.problems.map(formatProblem)).toEqual([
      "evals/c.eval.jsonl:1: turns[0].image: cannot read missing.png",
    ]);
  });
});

describe("scenario fields beyond one prompt in .eval.ts", () => {
  const index = join(import.meta.dirname, "..", "..", "..", "src", "index.ts");
  const collect = async (body: string) => {
    const dir = tempDir("jury-conv-");
    const abs = join(dir, "c.eval.ts");
    writeFileSync(abs, `import { defineEval } from ${JSON.stringify(index)};\n${body}\n`);
    return collectEvalFile(abs, "c.eval.ts");
  };

  it("reads the camelCase fields; prompt is optional with messages or turns", async () => {
    const r = await collect(`defineEval("conv", {
  toolResults: (call) => ({ called: call.name }),
  scenarios: [
    { messages: [{ role: "user", content: "Hi" }], tools: [${JSON.stringify(WEATHER)}], toolResults: { get_weather: "18" },
      maxToolSteps: 2, expectedToolCalls: [{ name: "get_weather" }], toolOrder: "any", outputSchema: { type: "object" } },
    { turns: [{ user: "one" }, { user: "two", golden: "2" }] },
  ],
});`);
    expect(r.problems).toEqual([]);
    expect(r.evals[0]?.scenarios).toMatchObject([
      {
        key: "#1",
        prompt: "Hi",
        messages: [{ role: "user", content: "Hi" }],
        tools: [WEATHER],
        toolResults: { get_weather: "18" },
        maxToolSteps: 2,
        expectedToolCalls: [{ name: "get_weather" }],
        toolOrder: "any",
        outputSchema: { type: "object" },
      },
      { key: "#2", prompt: "one", turns: [{ user: "one" }, { user: "two", golden: "2" }] },
    ]);
  });

  it("names an eval's toolResults that is neither a function nor an object", async () => {
    const r = await collect(`defineEval("conv", { scenarios: [{ prompt: "p" }], toolResults: "sunny" });`);
    expect(r.problems.map(formatProblem)).toEqual([
      "c.eval.ts:2: conv.toolResults: must be a function (call, ctx) => result, or an object of tool name → result",
    ]);
  });

  it("names a bad camelCase field at its scenario", async () => {
    const r = await collect(
      `defineEval("conv", { scenarios: [{ prompt: "p", toolOrder: "sorted", maxToolSteps: 1.5 }] });`,
    );
    expect(r.problems.map(formatProblem)).toEqual([
      "c.eval.ts:2: conv.scenarios[0].maxToolSteps: must be an integer of 1 or more: the most model calls of one turn's tool loop (got 1.5)",
      'c.eval.ts:2: conv.scenarios[0].toolOrder: must be "exact", "in_order" or "any" (got "sorted")',
    ]);
  });

  it("reads toolChoice and names a bad one at its scenario", async () => {
    const tools = JSON.stringify([WEATHER]);
    const r = await collect(`defineEval("conv", { scenarios: [
  { prompt: "p", tools: ${tools}, toolChoice: { name: "get_weather" } },
  { prompt: "p", tools: ${tools}, toolChoice: { name: "get_time" } },
  { prompt: "p", toolChoice: "none" },
] });`);
    expect(r.problems.map(formatProblem)).toEqual([
      'c.eval.ts:2: conv.scenarios[1].toolChoice.name: no tool "get_time" in tools (declared: get_weather); declare it or fix the name',
      "c.eval.ts:2: conv.scenarios[2].toolChoice: needs tools: it says whether the model must call one of them; declare tools or remove toolChoice",
    ]);
  });
});
