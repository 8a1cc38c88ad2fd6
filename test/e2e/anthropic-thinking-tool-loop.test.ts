// A real `evals` run (in process, real workers) of tool-loop scenarios on an Anthropic profile with extended
// thinking on, against the real SDK and the simulator, which refuses (as the Messages API does) a tool-calling
// turn sent back without its signed thinking block: the loop gets past its first step only if jury keeps it.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type Simulator, startSimulator } from "../../src/simulator/server.ts";
import { createFixtureProject } from "../support/fixture-project.ts";
import { listTree } from "../support/list-tree.ts";
import { runCli } from "../support/run-cli.ts";
import { stubProviderCredentials } from "../support/simulated-credentials.ts";
import { BOOKED, line, readRun, SCENARIOS, WEATHER } from "../support/tool-scenarios.ts";

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ ttftMs: 5, tokensPerS: 5000, seed: "thinking-loop" });
  stubProviderCredentials();
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await sim.close();
});

const MODEL = "anthropic/claude-reasoning-sim";
/** The tool loop of two steps and the scripted turns with a tool call each. */
const scenarios = SCENARIOS.split("\n")
  .filter((l) => ["tools-ok", "turns-tools"].includes((JSON.parse(l) as { id: string }).id))
  .join("\n");

describe("anthropic with extended thinking: a real run of a tool loop", () => {
  it.each([true, false])("streamed: %s", async (stream) => {
    const root = createFixtureProject({
      "config/models_profiles.jsonl": line({
        model_id: MODEL,
        base_url: sim.url,
        thinking_budget_tokens: 1024,
        input_token_cost: 0.001,
        output_token_cost: 0.002,
      }),
      "config/judge_profiles.jsonl": `${line({ model_id: "mock/j1" })}\n${line({ model_id: "mock/j2" })}\n`,
      "evals/tools.eval.jsonl": scenarios,
    });
    const res = await runCli(root, ["--threshold", "1", "--cache", "on", ...(stream ? [] : ["--no-stream"])]);
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    const { report, results } = readRun(root);
    const byScenario = (id: string) =>
      results.find((r) => r.caseId === report.cases.find((c) => c.scenarioKey === id)?.id);
    const ok = byScenario("tools-ok");
    expect(ok?.state).toBe("passed");
    expect(ok?.metrics?.streamed).toBe(stream);
    expect(ok?.metrics?.reasoningTokens).toBeGreaterThan(0);
    expect(ok?.toolCalls).toEqual([
      {
        turn: 1,
        step: 1,
        name: "get_weather",
        arguments: { city: "Paris" },
        result: JSON.stringify(WEATHER),
      },
      { turn: 1, step: 2, name: "book_table", arguments: { seats: 2 }, result: BOOKED },
    ]);
    expect(ok?.output).toContain(`Tool book_table returned: ${BOOKED}`);
    const turns = byScenario("turns-tools");
    expect(turns?.state).toBe("passed");
    expect(turns?.toolCalls?.map((c) => [c.turn, c.step, c.name])).toEqual([
      [1, 1, "get_weather"],
      [2, 1, "book_table"],
    ]);
    // The signed thinking goes back to the API, not into the results; the call cache keeps it with its call, so
    // a recorded first step followed by a live second one still sends it back.
    const dir = join(root, "outputs", "runs", readdirSync(join(root, "outputs", "runs"))[0] as string);
    expect(readFileSync(join(dir, "results.jsonl"), "utf8")).not.toContain("signature");
    const recorded = listTree(join(root, ".evals-cache", "target"))
      .filter((e) => e.isFile())
      .map((e) => readFileSync(join(e.parentPath, e.name), "utf8"));
    expect(recorded.some((r) => r.includes('"signature"'))).toBe(true);
  });
});
