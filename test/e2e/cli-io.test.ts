// main(argv, io): the CLI reads the env, cwd and streams it is given, never the test process's own, so tests
// run it in process. Colours, `.env` and credentials follow the given env (workers included).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startSimulator } from "../../src/simulator/server.ts";
import type { RunReportWithResults as RunReport } from "../../src/types.ts";
import { createFixtureProject } from "../support/fixture-project.ts";
import { runCli } from "../support/run-cli.ts";

const line = (o: object) => JSON.stringify(o);
const scenario = line({
  text_prompt: "Hi?",
  task: { task_type: "T", task_criteria: "c" },
  golden_answer: "Hi.",
});

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour codes
const ANSI = /\u001b\[\d+m/g;

describe("main(argv, io)", () => {
  it("colours output as the given env says (FORCE_COLOR, NO_COLOR), whatever the process's env", async () => {
    const root = createFixtureProject({
      "config/models_profiles.jsonl": line({ model_id: "mock/m" }),
      "config/judge_profiles.jsonl": line({ model_id: "mock/j" }),
      "evals/a.eval.jsonl": scenario,
    });
    const plain = await runCli(root, ["validate"]);
    const coloured = await runCli(root, ["validate"], { NO_COLOR: "", FORCE_COLOR: "1" });
    expect(plain.code).toBe(0);
    expect(coloured.code).toBe(0);
    expect(plain.stdout).not.toContain("\u001b[");
    expect(coloured.stdout).toContain("\u001b[");
    expect(coloured.stdout.replace(ANSI, "")).toBe(plain.stdout);
  });

  it("loads the project's .env into the given env, not the process's; the worker threads' calls get the key", async () => {
    const sim = await startSimulator({ ttftMs: 0, tokensPerS: 0 });
    try {
      const root = createFixtureProject({
        ".env": "JURY_TEST_OPENAI_KEY=sk-from-dotenv-0000000000\n",
        "config/models_profiles.jsonl": line({
          model_id: "openai/gpt-4o-mini",
          base_url: `${sim.url}/v1`,
          api_key_env: "JURY_TEST_OPENAI_KEY",
        }),
        "config/judge_profiles.jsonl": line({ model_id: "mock/j" }),
        "evals/a.eval.jsonl": scenario,
      });
      const res = await runCli(root, ["--reporter", "json", "--min-pass-rate", "0"]);
      expect(res.stderr).not.toContain("no API key");
      expect(res.code).toBe(0);
      const report = JSON.parse(readFileSync(join(root, "outputs", "report.json"), "utf8")) as RunReport;
      expect(report.results.map((r) => r.state)).not.toContain("errored");
      expect(process.env.JURY_TEST_OPENAI_KEY).toBeUndefined();
    } finally {
      await sim.close();
    }
  });

  it("runs in the given cwd and writes to the given streams", async () => {
    const root = createFixtureProject({});
    const res = await runCli(root, ["init"]);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain("created  evals.config.ts");
    expect(readFileSync(join(root, "evals.config.ts"), "utf8")).toContain("defineConfig");
  });
});
