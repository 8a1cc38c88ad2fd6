// Issue 15 #16: terminal escapes in scenario ids, eval and model names, thrown errors, provider error bodies and
// judge rationales are shown, never obeyed, on every human-facing output: the console, presentError, warnings,
// GitHub annotations and the step summary (and the JUnit file stays valid XML).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEvals } from "../../src/node.ts";
import { type Simulator, startSimulator } from "../../src/simulator/server.ts";
import { createFixtureProject } from "../support/fixture-project.ts";
import { runCli } from "../support/run-cli.ts";
import { capture } from "../support/streams.ts";
import { tempDir } from "../support/temp-dir.ts";

/** Retitles the terminal, clears the screen, and a one-byte CSI (C1). */
const EVIL = "\u001b]0;pwned\u0007\u001b[2J\u009b31m";
const SHOWN = "␛]0;pwned␇␛[2J\\x9b31m";
// biome-ignore lint/suspicious/noControlCharactersInRegex: any control character but newline and tab.
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: our own colour codes, the escapes a coloured console may carry.
const SGR = /\u001B\[[0-9;]*m/g;
const PIXEL = readFileSync(join(import.meta.dirname, "..", "..", "fixtures", "images", "pixel.png"));
const line = (o: object) => JSON.stringify(o);

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ ttftMs: 0, tokensPerS: 0 });
});
afterAll(async () => {
  await sim.close();
});

describe("control characters from outside reach no output raw", () => {
  it("in a run's console, annotations, step summary and JUnit file", async () => {
    const root = createFixtureProject({
      "config/models_profiles.jsonl": [
        // The simulator echoes a text-only model's name in its 400 body: a provider error body with escapes.
        line({ model_id: `openai-compatible/text-only${EVIL}`, base_url: `${sim.url}/v1` }),
      ].join("\n"),
      // This judge scores 1 and quotes the response (which quotes the prompt) in its rationales.
      "config/judge_profiles.jsonl": line({
        model_id: "openai-compatible/quote-response-judge",
        base_url: `${sim.url}/v1`,
      }),
      "evals/inj.eval.jsonl": [
        line({
          id: `id${EVIL}\n ✓ forged line`,
          text_prompt: `${EVIL} describe`,
          task: { task_type: "T", task_criteria: "c" },
          golden_answer: "A pixel.",
          url_image: "pixel.png",
          [`unknown${EVIL}`]: 1,
        }),
        line({
          id: "no-image",
          text_prompt: `${EVIL} hello`,
          task: { task_type: "T", task_criteria: "c" },
          golden_answer: "Unrelated words entirely.",
        }),
      ].join("\n"),
      "evals/pixel.png": PIXEL,
      "evals/throws.eval.ts": [
        'import { defineEval } from "jury";',
        `defineEval(${JSON.stringify(`throws${EVIL}`)}, {`,
        '  scenarios: [{ id: "t1", prompt: "p", golden: "g", taskType: "T", criteria: "c" }],',
        `  task: async () => { throw new Error(${JSON.stringify(`task failed ${EVIL}`)}); },`,
        "});",
      ].join("\n"),
    });
    const summary = join(tempDir("gh-"), "summary.md");
    const res = await runCli(
      root,
      [
        "--reporter",
        "default",
        "--reporter",
        "junit",
        "--reporter",
        "github-actions",
        "--min-pass-rate",
        "0",
      ],
      { GITHUB_ACTIONS: "true", GITHUB_STEP_SUMMARY: summary },
    );
    const md = readFileSync(summary, "utf8");
    const junit = readFileSync(join(root, "outputs", "junit.xml"), "utf8");
    // Colours are off (runCli): not one ESC, BEL or C1 byte, in any output.
    for (const [name, text] of [
      ["stdout", res.stdout],
      ["stderr", res.stderr],
      ["step summary", md],
      ["junit.xml", junit],
    ] as const)
      expect(CONTROL.exec(text), `${name}:\n${text}`).toBeNull();
    expect(res.code).toBe(0);
    // Each source got through, shown: the scenario id (its newline too), the model name, the provider's error
    // body, the judge's rationale, the thrown error, the eval name, and a warning's field name.
    const annotations = res.stdout.split("\n").filter((l) => l.startsWith("::error "));
    expect(annotations.join("\n")).toContain(`id${SHOWN}␊ ✓ forged line`);
    expect(res.stdout).toContain(`openai-compatible/text-only${SHOWN}`);
    expect(res.stdout).toContain(`This model (text-only${SHOWN}) doesn't support image input.`);
    // Rationales are quoted as JSON strings: C0 controls as \u001b, a C1 control shown by the console edge.
    expect(res.stdout).toContain(
      "You wrote: Simulated answer from text-only\\u001b]0;pwned\\u0007\\u001b[2J\\x9b31m.",
    );
    expect(res.stdout).toContain(`task failed ${SHOWN}`);
    expect(res.stdout).toContain(`throws${SHOWN}`);
    expect(res.stderr).toContain(`unknown${SHOWN}`);
    expect(res.stdout).not.toMatch(/^ ✓ forged line/m);
    expect(md).toContain(`text-only${SHOWN}`);
  });

  it("in a program's run (startEvals with its own streams)", async () => {
    const root = createFixtureProject({
      "config/models_profiles.jsonl": line({ model_id: `mock/m${EVIL}`, mock: { quality: 0, ttft_ms: 0 } }),
      "config/judge_profiles.jsonl": line({ model_id: "mock/j" }),
      "evals/a.eval.jsonl": line({
        id: `id${EVIL}`,
        text_prompt: "p",
        task: { task_type: "T", task_criteria: "c" },
        golden_answer: "g",
        [`unknown${EVIL}`]: 1,
      }),
    });
    const out = capture();
    const err = capture();
    await startEvals({ root, stdout: out.stream, stderr: err.stream, minPassRate: 0 });
    // Colours follow the environment here (on under CI=true): our own SGR colour codes are the only escapes allowed.
    const shown = (out.text() + err.text()).replace(SGR, "");
    expect(CONTROL.exec(shown), shown).toBeNull();
    expect(out.text().replace(SGR, "")).toContain(`id${SHOWN} › mock/m${SHOWN}`);
    expect(err.text()).toContain(`unknown${SHOWN}`);
  });

  it("in an error presented by the CLI", async () => {
    const root = createFixtureProject({
      "config/models_profiles.jsonl": line({ model_id: "mock/m" }),
      "config/judge_profiles.jsonl": line({ model_id: "mock/j" }),
      "evals/a.eval.jsonl": line({
        text_prompt: "p",
        task: { task_type: "T", task_criteria: "c" },
        golden_answer: "g",
      }),
    });
    const res = await runCli(root, ["--reporter", `nope${EVIL}`]);
    expect(res.code).toBe(2);
    expect(CONTROL.exec(res.stderr), res.stderr).toBeNull();
    expect(res.stderr).toContain(`error: --reporter: unknown reporter "nope${SHOWN}"`);
  });
});
