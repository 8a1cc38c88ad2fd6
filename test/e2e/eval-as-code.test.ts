import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { CaseResult, RunReportWithResults as RunReport } from "../../src/types.ts";
import { createFixtureProject } from "../support/fixture-project.ts";
import { runCli } from "../support/run-cli.ts";

const line = (o: object) => JSON.stringify(o);

/** A project with one mock model and one mock judge, and the given eval files. */
function project(files: Record<string, string>) {
  return createFixtureProject({
    "config/models_profiles.jsonl": line({ model_id: "mock/m", mock: { ttft_ms: 0, tokens_per_s: 0 } }),
    "config/judge_profiles.jsonl": line({ model_id: "mock/j" }),
    ...files,
  });
}

/** Runs the project's evals (real workers) and returns its results by scenario id. */
async function run(root: string): Promise<{ byId: Map<string, CaseResult> }> {
  const res = await runCli(root, ["--reporter", "json", "--min-pass-rate", "0"]);
  expect(res.stderr).toBe("");
  const report = JSON.parse(readFileSync(join(root, "outputs", "report.json"), "utf8")) as RunReport;
  const keyOf = new Map(report.cases.map((c) => [c.id, c.scenarioKey]));
  return {
    byId: new Map(report.results.map((r) => [keyOf.get(r.caseId) as string, r])),
  };
}

describe("eval as code (real workers)", () => {
  it("hands tasks and checks the scenario's id: the row's own, the default #n, and a JSONL row's", async () => {
    const root = project({
      "evals/rows.jsonl": line({
        id: "from-jsonl",
        text_prompt: "p",
        task: { task_type: "T", task_criteria: "c" },
      }),
      "evals/ids.eval.ts": `
import { defineEval } from "jury";
const sawId = { name: "sees id", run: ({ scenario }) => ({ passed: scenario.id === scenario.key && scenario.id !== undefined, message: String(scenario.id) }) };
defineEval("ids", {
  scenarios: [{ id: "refund", prompt: "a" }, { prompt: "b" }],
  task: ({ scenario }) => "id=" + scenario.id,
  checks: [sawId],
});
defineEval("ids from jsonl", { scenarios: "./rows.jsonl", task: ({ scenario }) => "id=" + scenario.id, checks: [sawId] });
`,
    });
    const { byId } = await run(root);
    expect([...byId.keys()].sort()).toEqual(["#2", "from-jsonl", "refund"]);
    for (const [id, result] of byId) {
      expect(result.output).toBe(`id=${id}`);
      expect(result.checks).toEqual([{ name: "sees id", passed: true, message: id }]);
    }
  });

  it("answers a task's object, array, number, boolean or null as JSON text; checks get the value as `structured`", async () => {
    const root = project({
      "evals/json.eval.ts": `
import { checks, defineEval } from "jury";
const values = { object: { answer: "yes", n: 2, nested: [1, "x"] }, array: [1, 2], number: 42, boolean: true, null: null, text: "plain" };
defineEval("json answers", {
  scenarios: Object.keys(values).map((id) => ({ id, prompt: id })),
  task: ({ scenario }) => values[scenario.id],
  checks: [
    { name: "structured", run: ({ scenario, structured }) => ({ passed: true, message: JSON.stringify({ type: structured === null ? "null" : typeof structured, same: scenario.id === "text" ? structured === undefined : structured === values[scenario.id] }) }) },
    checks.isJson(),
  ],
});
`,
    });
    const { byId } = await run(root);
    const seen = Object.fromEntries(
      [...byId].map(([id, r]) => [
        id,
        { output: r.output, state: r.state, checks: r.checks.map((c) => c.message ?? "passed") },
      ]),
    );
    expect(seen).toEqual({
      object: {
        output: '{"answer":"yes","n":2,"nested":[1,"x"]}',
        state: expect.any(String),
        checks: ['{"type":"object","same":true}', "passed"],
      },
      array: {
        output: "[1,2]",
        state: expect.any(String),
        checks: ['{"type":"object","same":true}', "passed"],
      },
      number: {
        output: "42",
        state: expect.any(String),
        checks: ['{"type":"number","same":true}', "passed"],
      },
      boolean: {
        output: "true",
        state: expect.any(String),
        checks: ['{"type":"boolean","same":true}', "passed"],
      },
      null: { output: "null", state: expect.any(String), checks: ['{"type":"null","same":true}', "passed"] },
      text: {
        output: "plain",
        state: expect.any(String),
        checks: ['{"type":"undefined","same":true}', expect.stringContaining("output is not JSON")],
      },
    });
    for (const r of byId.values()) expect(r.state).not.toBe("errored");
  });

  it("errors a case whose task returns what JSON cannot hold, naming the eval and the value", async () => {
    const root = project({
      "evals/bad.eval.ts": `
import { defineEval } from "jury";
const circular = { a: 1 }; circular.self = circular;
const values = { fn: () => "x", symbol: Symbol("s"), bigint: 10n, nested: { n: 10n }, circular, undefined: undefined, nan: Number.NaN };
defineEval("bad answers", {
  scenarios: Object.keys(values).map((id) => ({ id, prompt: id })),
  task: ({ scenario }) => values[scenario.id],
});
`,
    });
    const { byId } = await run(root);
    const errors = Object.fromEntries(
      [...byId].map(([id, r]) => [id, [r.state, r.error?.classification, r.error?.message]]),
    );
    const said = (what: string) => [
      "errored",
      "processing_exception",
      `the task of eval "bad answers" returned ${what}; return the answer as a string, or as a JSON value (an object, an array, a number, a boolean, null)`,
    ];
    expect(errors).toEqual({
      fn: said("a function"),
      symbol: said("a symbol"),
      bigint: said("a bigint (10n), which JSON cannot hold"),
      nested: said("an object that cannot be turned into JSON (Do not know how to serialize a BigInt)"),
      circular: [
        "errored",
        "processing_exception",
        expect.stringMatching(
          /^the task of eval "bad answers" returned an object that cannot be turned into JSON \(Converting circular structure to JSON/,
        ),
      ],
      undefined: said("undefined (no answer: is a `return` missing?)"),
      nan: said("NaN, which JSON cannot hold"),
    });
    // No stack trace into the runner: the message is the whole story.
    for (const r of byId.values()) expect(r.error?.stack).toBeUndefined();
  });
});
