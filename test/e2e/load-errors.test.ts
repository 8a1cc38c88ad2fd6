// An .eval.ts that cannot be loaded (a syntax error, a missing module, a throw while it runs) is a user error:
// exit 2 from `evals`, `evals list` and `evals validate`, at the user's file:line:column with the source line and
// a caret, no stack trace, nothing written.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "vitest";
import { createFixtureProject } from "../support/fixture-project.ts";
import { runCli } from "../support/run-cli.ts";

const VALID = {
  "config/models_profiles.jsonl": '{"model_id":"mock/m","mock":{"ttft_ms":0,"tokens_per_s":0}}\n',
  "config/judge_profiles.jsonl": '{"model_id":"mock/j"}\n',
  "evals/ok.eval.jsonl": '{"text_prompt":"Say hi.","task":{"task_type":"Chat","task_criteria":"Polite."}}\n',
};

const BROKEN = {
  "evals/syntax.eval.ts": `import { defineEval } from "jury";

defineEval("x", {
  scenarios: [{ prompt: "hi" }],
  task: async () => { const a = 1 ) },
});
`,
  "evals/helper.ts": "export const rows = [\n  { prompt: 'a' }\n  { prompt: 'b' },\n];\n",
  "evals/uses-helper.eval.ts": `import { defineEval } from "jury";
import { rows } from "./helper.ts";
defineEval("y", { scenarios: rows });
`,
  "evals/missing.eval.ts": `import { defineEval } from "jury";
import { rows } from "./nope.ts";
defineEval("z", { scenarios: rows });
`,
  "evals/missing-package.eval.ts": `import { defineEval } from "jury";
import rows from "no-such-package-anywhere";
defineEval("w", { scenarios: rows });
`,
};

/** The excerpt under a problem: the source line, and a caret under its 1-based `column`. */
const excerpt = (source: string, column: number) => [`    ${source}`, `${" ".repeat(4 + column - 1)}^`];

/** What every command prints for BROKEN, one problem after the other (each with its excerpt), by eval file. */
const PROBLEMS = [
  "evals/missing-package.eval.ts:2:19: cannot load this eval file: Cannot find package 'no-such-package-anywhere'",
  ...excerpt('import rows from "no-such-package-anywhere";', 19),
  "evals/missing.eval.ts:2:23: cannot load this eval file: Cannot find module './nope.ts'",
  ...excerpt('import { rows } from "./nope.ts";', 23),
  'evals/syntax.eval.ts:5:35: Expected ";" but found ")"',
  ...excerpt("  task: async () => { const a = 1 ) },", 35),
  'evals/helper.ts:3:3: Expected "]" but found "{" (imported by evals/uses-helper.eval.ts)',
  ...excerpt("  { prompt: 'b' },", 3),
];

describe.concurrent("an .eval.ts that cannot be loaded", () => {
  it.for([
    { command: "evals list", args: ["list"] },
    { command: "evals", args: [] },
  ])("$command: exit 2, file:line:column, the line and a caret", async ({ args }, { expect }) => {
    const root = createFixtureProject({ ...VALID, ...BROKEN });
    const res = await runCli(root, args);
    expect(res.stderr).toBe(
      `error: 4 problems in the input; nothing was run.\n${PROBLEMS.map((l) => `  ${l}\n`).join("")}`,
    );
    expect(res.code).toBe(2);
    expect(res.stdout).toBe("");
    expect(existsSync(join(root, "outputs"))).toBe(false);
  });

  it("evals validate: the same problems, exit 2", async ({ expect }) => {
    const root = createFixtureProject({ ...VALID, ...BROKEN });
    const res = await runCli(root, ["validate"]);
    const lines = [...PROBLEMS];
    for (const i of [0, 3, 6, 9]) lines[i] = `error: ${lines[i]}`;
    expect(res.stdout).toBe(`${lines.join("\n")}\n\n✗ 4 errors, 0 warnings in 8 files\n`);
    expect(res.code).toBe(2);
  });

  it("a throw while an eval file of a CommonJS package runs: at the throwing expression", async ({
    expect,
  }) => {
    const root = createFixtureProject({
      ...VALID,
      "evals/throws.eval.ts": `import { defineEval } from "jury";
const model = process.env.NO_SUCH_EVAL_MODEL;
if (!model) throw new Error("NO_SUCH_EVAL_MODEL is not set");
defineEval("u", { scenarios: [{ prompt: model }] });
`,
    });
    const res = await runCli(root, ["list"]);
    expect(res.stderr).toBe(
      [
        "error: 1 problem in the input; nothing was run.",
        "evals/throws.eval.ts:3:19: cannot load this eval file: NO_SUCH_EVAL_MODEL is not set",
        ...excerpt('if (!model) throw new Error("NO_SUCH_EVAL_MODEL is not set");', 19),
      ]
        .map((l, i) => (i === 0 ? `${l}\n` : `  ${l}\n`))
        .join(""),
    );
    expect(res.code).toBe(2);
  });

  it("a throw while an ES module eval file runs: at the throwing line, in the user's file", async ({
    expect,
  }) => {
    const root = createFixtureProject({
      ...VALID,
      "package.json": '{ "type": "module" }\n',
      "evals/lib/settings.ts":
        'export function settings() {\n  throw new TypeError("EVAL_MODEL is not set");\n}\n',
      "evals/throws.eval.ts": `import { defineEval } from "jury";
import { settings } from "./lib/settings.ts";

const s = settings();
defineEval("v", { scenarios: [{ prompt: String(s) }] });
`,
    });
    const res = await runCli(root, ["list"]);
    expect(res.stderr).toBe(
      [
        "error: 1 problem in the input; nothing was run.",
        "evals/lib/settings.ts:2:9: cannot load evals/throws.eval.ts: TypeError: EVAL_MODEL is not set",
        ...excerpt('  throw new TypeError("EVAL_MODEL is not set");', 9),
      ]
        .map((l, i) => (i === 0 ? `${l}\n` : `  ${l}\n`))
        .join(""),
    );
    expect(res.code).toBe(2);
  });
});
