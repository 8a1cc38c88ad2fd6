import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createFixtureProject } from "../support/fixture-project.ts";
import { startBuiltCli } from "../support/run-cli.ts";

const line = (o: object) => JSON.stringify(o);
const scenario = (p: string) =>
  line({ text_prompt: p, task: { task_type: "T", task_criteria: "c" }, golden_answer: `${p} answered.` });

describe("--watch", () => {
  it("runs, then re-runs just the changed eval file with the cache on, until Ctrl-C", async () => {
    const root = createFixtureProject({
      "config/models_profiles.jsonl": line({ model_id: "mock/m", mock: { ttft_ms: 0, tokens_per_s: 0 } }),
      "config/judge_profiles.jsonl": line({ model_id: "mock/j" }),
      "evals/a.eval.jsonl": scenario("A"),
      "evals/b.eval.jsonl": `${scenario("B")}\n${scenario("B2")}`,
    });
    // The built CLI in a child process: Ctrl-C, which ends the watch, is sent to a process.
    const cli = startBuiltCli(root, ["--watch", "--min-pass-rate", "0"]);
    const waits = (out: { stdout: string }) => out.stdout.split("Waiting for file changes").length - 1;
    const waitFor = (n: number, what: string) => cli.waitFor((out) => waits(out) === n, what);
    await waitFor(1, "the first run");
    expect(cli.stdout).toContain("3 cases · 2 eval files");

    writeFileSync(join(root, "evals", "a.eval.jsonl"), `${scenario("A")}\n${scenario("A2")}`);
    await waitFor(2, "the re-run");
    const rerun = cli.stdout.slice(cli.stdout.indexOf("Changed:"));
    expect(rerun).toContain("Changed: evals/a.eval.jsonl");
    expect(rerun).toContain("2 cases · 1 eval file");
    // The unchanged scenario was replayed from the cache.
    expect(rerun).toMatch(/Cache {2}2 calls replayed/);

    cli.child.kill("SIGINT");
    expect(await cli.exited).toBe(0);
  }, 30_000);
});
