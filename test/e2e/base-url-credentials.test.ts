// Issue 15 #18: a base_url with `user:password@` (a proxy with HTTP Basic auth in front of an OpenAI-compatible
// server) works through the real OpenAI SDK as Basic auth, and the password is printed and written nowhere (console, run dir, call cache).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SIMULATED_BASIC_AUTH, type Simulator, startSimulator } from "../../src/simulator/server.ts";
import type { RunReportWithResults } from "../../src/types.ts";
import { createFixtureProject } from "../support/fixture-project.ts";
import { listTree } from "../support/list-tree.ts";
import { runCli } from "../support/run-cli.ts";

const [USER, PASSWORD] = SIMULATED_BASIC_AUTH.split(":") as [string, string];
const line = (o: object) => JSON.stringify(o);
const withCredentials = (url: string, user: string, password: string) =>
  url.replace("://", `://${user}:${password}@`);

/** Every file under `dir`, as text. */
function allFiles(dir: string): string {
  return listTree(dir)
    .filter((e) => e.isFile())
    .map((e) => readFileSync(join(e.parentPath, e.name), "utf8"))
    .join("\n");
}

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ ttftMs: 0, tokensPerS: 0 });
});
afterAll(async () => {
  await sim.close();
});

describe("credentials in a base_url", () => {
  it("are sent as HTTP Basic auth, and the password appears in no output or file", async () => {
    const base = `${sim.url}/v1`;
    const root = createFixtureProject({
      "config/models_profiles.jsonl": [
        line({
          model_id: "openai-compatible/basic-auth-llm",
          base_url: withCredentials(base, USER, PASSWORD),
        }),
        // The simulator echoes this model's request headers in its error: the Basic token must be redacted.
        line({ model_id: "openai-compatible/echo-headers", base_url: withCredentials(base, USER, PASSWORD) }),
      ].join("\n"),
      "config/judge_profiles.jsonl": line({ model_id: "mock/j" }),
      "evals/a.eval.jsonl": line({
        text_prompt: "Hi?",
        task: { task_type: "T", task_criteria: "c" },
        golden_answer: "Hi.",
      }),
    });
    const res = await runCli(
      root,
      ["--reporter", "default", "--reporter", "json", "--min-pass-rate", "0", "--cache", "on"],
      {
        OPENAI_API_KEY: "sk-not-for-this-server-0000",
      },
    );
    const report = JSON.parse(
      readFileSync(join(root, "outputs", "report.json"), "utf8"),
    ) as RunReportWithResults;
    const byModel = new Map(
      report.results.map((r) => [report.cases.find((c) => c.id === r.caseId)?.model, r]),
    );
    expect(byModel.get("openai-compatible/basic-auth-llm")?.output).toBe(
      "Simulated answer from basic-auth-llm. You asked: Hi?",
    );
    const echoed = `${res.stdout}${res.stderr}`;
    expect(echoed).toContain('"authorization":"Basic [redacted]"');
    // Neither the password, nor its Basic token, nor the OpenAI key (not sent to a server with Basic auth).
    const token = Buffer.from(SIMULATED_BASIC_AUTH).toString("base64");
    // The call cache (committed for --cache replay) keeps each call's key: with the URL's password masked.
    const cache = allFiles(join(root, ".evals-cache"));
    expect(cache).toContain(`"baseUrl":"${withCredentials(`${sim.url}/v1`, USER, "***")}"`);
    for (const text of [res.stdout, res.stderr, allFiles(join(root, "outputs")), cache]) {
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(token);
      expect(text).not.toContain("sk-not-for-this-server");
    }
    expect(res.code).toBe(0);
  });

  it("with an API key for the same Authorization header, says they cannot go together", async () => {
    const root = createFixtureProject({
      "config/models_profiles.jsonl": line({
        model_id: "openai/basic-auth-gpt",
        base_url: withCredentials(`${sim.url}/v1`, USER, PASSWORD),
      }),
      "config/judge_profiles.jsonl": line({ model_id: "mock/j" }),
      "evals/a.eval.jsonl": line({
        text_prompt: "Hi?",
        task: { task_type: "T", task_criteria: "c" },
        golden_answer: "Hi.",
      }),
    });
    const res = await runCli(root, ["--reporter", "default"], { OPENAI_API_KEY: "sk-simulated-0000000000" });
    expect(`${res.stdout}${res.stderr}`).toContain(
      "openai/basic-auth-gpt: credentials in base_url (user:password@) are sent as HTTP Basic auth, which takes the Authorization header an API key needs; remove them from base_url",
    );
    expect(`${res.stdout}${res.stderr}`).not.toContain(PASSWORD);
  });
});
