import { existsSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createFixtureProject } from "../support/fixture-project.ts";
import { runCli } from "../support/run-cli.ts";

const line = (o: object) => JSON.stringify(o);
const MODELS = line({ model_id: "mock/a", mock: { quality: 0.9, ttft_ms: 0, tokens_per_s: 0 } });
const JUDGES = [line({ model_id: "mock/j1" }), line({ model_id: "mock/j2" })].join("\n");
const EVAL = line({ text_prompt: "Q?", task: { task_type: "QA", task_criteria: "c" }, golden_answer: "A." });

/** A project that ran once, then lost its profile files (a CI job that only downloads the runs, say). */
async function finishedRunWithoutProfiles(): Promise<{ root: string; runDir: string }> {
  const root = createFixtureProject({
    "evals.config.yaml": "include: [evals/*.eval.jsonl]\n",
    "config/models_profiles.jsonl": MODELS,
    "config/judge_profiles.jsonl": JUDGES,
    "evals/a.eval.jsonl": EVAL,
  });
  const run = await runCli(root, ["--shard", "1/1", "--reporter", "json", "--min-pass-rate", "0"]);
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  rmSync(join(root, "config"), { recursive: true });
  const [runId] = readdirSync(join(root, "outputs", "runs"));
  return { root, runDir: join("outputs", "runs", runId as string) };
}

describe("commands load only the profiles they use", () => {
  it("evals report builds the HTML report of finished runs without profile files; exit 0", async () => {
    const { root } = await finishedRunWithoutProfiles();
    const report = await runCli(root, ["report"]);
    expect(report.stderr).toBe("");
    expect(report.stdout).toBe("HTML report of 1 run, 1 result, written to outputs/report.html\n");
    expect(report.code).toBe(0);
  }, 60_000);

  it("evals report --summary-model without profiles names no flag report does not take; exit 2", async () => {
    const { root } = await finishedRunWithoutProfiles();
    const report = await runCli(root, ["report", "--summary-model", "mock/a"]);
    expect(report.code).toBe(2);
    expect(report.stderr).toContain(
      "config/models_profiles.jsonl: no model profile file: create it with one model per line",
    );
    expect(report.stderr).toContain("or point models in the config at one");
    expect(report.stderr).not.toContain("--models");
  }, 60_000);

  it("evals merge joins finished runs without profile files; exit 0", async () => {
    const { root, runDir } = await finishedRunWithoutProfiles();
    const merged = await runCli(root, ["merge", runDir, "--reporter", "json", "--min-pass-rate", "0"]);
    expect(merged.stderr).toBe("");
    expect(merged.code).toBe(0);
    expect(existsSync(join(root, "outputs", "report.json"))).toBe(true);
  }, 60_000);

  it("evals probe in a project without judge profiles probes the model profiles; exit 0", async () => {
    const root = createFixtureProject({ "config/models_profiles.jsonl": MODELS });
    const probe = await runCli(root, ["probe"]);
    expect(probe.stderr).toBe("");
    expect(probe.stdout).toBe(
      " model   region  default     priority    flex\n mock/a  –       not probed (tiers are a Bedrock feature)\n",
    );
    expect(probe.code).toBe(0);
  }, 60_000);

  it("evals probe without any profile file names both files and the flags probe takes; exit 2", async () => {
    const root = createFixtureProject({});
    const probe = await runCli(root, ["probe"]);
    expect(probe.code).toBe(2);
    expect(probe.stderr).toContain("config/models_profiles.jsonl: no model profile file");
    expect(probe.stderr).toContain("config/judge_profiles.jsonl: no judge profile file");
    expect(probe.stdout).toBe("");
  }, 60_000);
});
