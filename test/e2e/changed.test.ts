import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { RunReport } from "../../src/types.ts";
import { createFixtureProject } from "../support/fixture-project.ts";
import { runCli } from "../support/run-cli.ts";

const line = (o: object) => JSON.stringify(o);
const scenario = (p: string) =>
  line({ text_prompt: p, task: { task_type: "T", task_criteria: "c" }, golden_answer: `${p} answered.` });

describe("--changed", () => {
  it("runs only the eval files changed since a git ref, and nothing (exit 0) when none changed", async () => {
    const root = createFixtureProject({
      ".gitignore": "node_modules/\noutputs/\n",
      "config/models_profiles.jsonl": line({ model_id: "mock/m", mock: { ttft_ms: 0, tokens_per_s: 0 } }),
      "config/judge_profiles.jsonl": line({ model_id: "mock/j" }),
      "evals/a.eval.jsonl": scenario("A"),
      "evals/b.eval.jsonl": scenario("B"),
    });
    const git = (...args: string[]) => execFileSync("git", args, { cwd: root, stdio: "pipe" });
    git("init", "-q");
    git("-c", "user.email=t@t", "-c", "user.name=t", "add", ".");
    git("-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "init");

    const none = await runCli(root, ["--changed"]);
    expect(none.code).toBe(0);

    writeFileSync(join(root, "evals", "b.eval.jsonl"), `${scenario("B")}\n${scenario("B2")}`);
    writeFileSync(join(root, "evals", "c.eval.jsonl"), scenario("C"));
    const res = await runCli(root, ["--changed", "--reporter", "json", "--min-pass-rate", "0"]);
    expect(res.code).toBe(0);
    const report = JSON.parse(readFileSync(join(root, "outputs", "report.json"), "utf8")) as RunReport;
    expect([...new Set(report.cases.map((c) => c.file))].sort()).toEqual([
      "evals/b.eval.jsonl",
      "evals/c.eval.jsonl",
    ]);

    const bad = await runCli(root, ["--changed", "no-such-ref"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--changed: git failed:");
  });
});
