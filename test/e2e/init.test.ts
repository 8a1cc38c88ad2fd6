import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createFixtureProject } from "../support/fixture-project.ts";
import { runCli } from "../support/run-cli.ts";
import { tempDir } from "../support/temp-dir.ts";

const NEXT_STEPS = [
  "",
  "Next steps:",
  "  npx evals                    run evals/first.eval.jsonl on simulated mock/ models (offline, free)",
  "  npx evals import data.csv    turn a CSV of prompts and golden answers into evals/data.eval.jsonl",
  "  npx evals list               see the planned cases and an estimated cost",
  "To use real models, follow the comments in evals.config.ts.",
  "",
].join("\n");

describe("evals init (CLI)", () => {
  it("scaffolds an empty directory into a project whose evals run offline and pass; exit 0", async () => {
    // An empty project with only node_modules/jury linked, as after `npm install jury`.
    const root = createFixtureProject({});
    const init = await runCli(root, ["init"]);
    expect(init.stderr).toBe("");
    expect(init.code).toBe(0);
    expect(init.stdout).toBe(
      "  created  evals.config.ts\n" +
        "  created  config/models_profiles.jsonl\n" +
        "  created  config/judge_profiles.jsonl\n" +
        "  created  evals/first.eval.jsonl\n" +
        NEXT_STEPS,
    );

    const run = await runCli(root, ["--reporter", "json"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const report = JSON.parse(readFileSync(join(root, "outputs", "report.json"), "utf8")) as {
      results: { state: string }[];
      simulated: boolean;
    };
    // 3 scenarios × 2 mock models.
    expect(report.results.map((r) => r.state)).toEqual(Array(6).fill("passed"));
    expect(report.simulated).toBe(true);
  }, 60_000);

  it("never overwrites an existing file unless --force", async () => {
    const root = createFixtureProject({ "evals.config.ts": "// mine\n" });
    const init = await runCli(root, ["init"]);
    expect(init.code).toBe(0);
    expect(init.stdout).toBe(
      "  created  config/models_profiles.jsonl\n" +
        "  created  config/judge_profiles.jsonl\n" +
        "  created  evals/first.eval.jsonl\n" +
        "  skipped  evals.config.ts (exists; --force overwrites it)\n" +
        NEXT_STEPS,
    );
    expect(readFileSync(join(root, "evals.config.ts"), "utf8")).toBe("// mine\n");

    writeFileSync(join(root, "evals", "first.eval.jsonl"), "{}\n");
    const forced = await runCli(root, ["init", "--force"]);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain("  overwrote  evals.config.ts\n");
    expect(readFileSync(join(root, "evals.config.ts"), "utf8")).toContain("defineConfig");
    expect(readFileSync(join(root, "evals", "first.eval.jsonl"), "utf8").split("\n")).toHaveLength(4);
  }, 60_000);

  it("without jury installed, writes a YAML config and says what to install; the next command passes; exit 0", async () => {
    // `npx jury init` in a new project: nothing resolves "jury" from it.
    const root = tempDir("jury-no-install-");
    const init = await runCli(root, ["init"]);
    expect(init.stderr).toBe("");
    expect(init.code).toBe(0);
    expect(init.stdout).toBe(
      [
        "  created  evals.config.yaml",
        "  created  config/models_profiles.jsonl",
        "  created  config/judge_profiles.jsonl",
        "  created  evals/first.eval.jsonl",
        "",
        "jury is not installed in this project, so the config is YAML (evals.config.yaml), which imports nothing.",
        "For eval files in TypeScript (.eval.ts) or a typed evals.config.ts, install it: npm i -D jury",
        "",
        "Next steps:",
        "  npx jury                     run evals/first.eval.jsonl on simulated mock/ models (offline, free)",
        "  npx jury import data.csv     turn a CSV of prompts and golden answers into evals/data.eval.jsonl",
        "  npx jury list                see the planned cases and an estimated cost",
        "To use real models, follow the comments in evals.config.yaml.",
        "",
      ].join("\n"),
    );
    expect(existsSync(join(root, "evals.config.ts"))).toBe(false);

    const run = await runCli(root, ["--reporter", "json"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const report = JSON.parse(readFileSync(join(root, "outputs", "report.json"), "utf8")) as {
      results: { state: string }[];
      config: { jury: { threshold: number; aggregate: string }; gate: { minPassRate: number } };
    };
    expect(report.results.map((r) => r.state)).toEqual(Array(6).fill("passed"));
    // The YAML config says what the TypeScript one does.
    expect(report.config.jury).toMatchObject({ threshold: 3, aggregate: "mean" });
    expect(report.config.gate).toMatchObject({ minPassRate: 1 });
  }, 60_000);
});
