import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { RunReport } from "../../src/types.ts";
import { createFixtureProject } from "../support/fixture-project.ts";
import { runCli } from "../support/run-cli.ts";

const line = (o: object) => JSON.stringify(o);
const project = () =>
  createFixtureProject({
    "config/models_profiles.jsonl": [
      line({ model_id: "mock/good", mock: { quality: 0.9, ttft_ms: 0, tokens_per_s: 0 } }),
      line({ model_id: "mock/bad", mock: { quality: 0.3, ttft_ms: 0, tokens_per_s: 0 } }),
    ].join("\n"),
    "config/judge_profiles.jsonl": [line({ model_id: "mock/j1" }), line({ model_id: "mock/j2" })].join("\n"),
    "evals/a.eval.jsonl": Array.from({ length: 10 }, (_, i) =>
      line({
        text_prompt: `A${i}?`,
        task: { task_type: "QA", task_criteria: "c" },
        golden_answer: `The answer is ${i}.`,
      }),
    ).join("\n"),
    "evals/b.eval.jsonl": Array.from({ length: 7 }, (_, i) =>
      line({
        text_prompt: `B${i}?`,
        task: { task_type: "Sum", task_criteria: "c" },
        golden_answer: `Summary number ${i}.`,
      }),
    ).join("\n"),
  });
const readReport = (root: string, file = "report.json") =>
  JSON.parse(readFileSync(join(root, "outputs", file), "utf8")) as RunReport;

describe("--shard and evals merge", () => {
  it("three shards merged give the same cases and summaries as one full run", async () => {
    const full = project();
    expect((await runCli(full, ["--reporter", "json", "--min-pass-rate", "0"])).code).toBe(0);
    const whole = readReport(full);

    const root = project();
    const sizes: number[] = [];
    for (const i of [1, 2, 3]) {
      expect(
        (
          await runCli(root, [
            "--shard",
            `${i}/3`,
            "--reporter",
            "json",
            "--outputFile",
            `shard-${i}.json`,
            "--min-pass-rate",
            "0",
          ])
        ).code,
      ).toBe(0);
      sizes.push(JSON.parse(readFileSync(join(root, `shard-${i}.json`), "utf8")).results.length);
    }
    expect(sizes).toEqual([12, 11, 11]);
    const dirs = readdirSync(join(root, "outputs", "runs")).map((d) => join("outputs", "runs", d));
    const merged = await runCli(root, [
      "merge",
      ...dirs,
      "--reporter",
      "json",
      "--reporter",
      "default",
      "--min-pass-rate",
      "0",
    ]);
    expect(merged.code).toBe(0);
    expect(merged.stdout).toMatch(/Cases {2}\d+ passed \| \d+ failed \(34\)/);
    const report = readReport(root);

    expect(report.cases.map((c) => c.id).sort()).toEqual(whole.cases.map((c) => c.id).sort());
    // Timing and cost differ between two runs; group order follows case order, which a merge changes.
    const strip = (s: RunReport["summaries"]) =>
      JSON.parse(
        JSON.stringify(s, (k, v) => {
          if (["ttftMs", "otps", "cost", "costPerCase", "rate", "requests"].includes(k)) return undefined;
          return Array.isArray(v) && v.every((x) => typeof x?.key === "string")
            ? [...v].sort((a, b) => a.key.localeCompare(b.key))
            : v;
        }),
      );
    expect(strip(report.summaries)).toEqual(strip(whole.summaries));
    expect(report.gate).toEqual(whole.gate);
    const resultsFile = readFileSync(join(root, "outputs", "runs", report.runId, "results.jsonl"), "utf8")
      .trim()
      .split("\n");
    expect(resultsFile).toHaveLength(34);
  });

  it("a merged run's reporters get the hooks a run's reporters get, onEvalEnd included", async () => {
    const root = project();
    for (const i of [1, 2])
      expect((await runCli(root, ["--shard", `${i}/2`, "--min-pass-rate", "0"])).code).toBe(0);
    // A reporter that writes down every hook it is called with.
    writeFileSync(
      join(root, "hooks-reporter.mjs"),
      `import { appendFileSync } from "node:fs";
const log = (o) => appendFileSync(${JSON.stringify(join(root, "hooks.jsonl"))}, JSON.stringify(o) + "\\n");
export default {
  onRunStart: (cases) => log({ hook: "onRunStart", cases: cases.length }),
  onCaseResult: () => log({ hook: "onCaseResult" }),
  onEvalEnd: (file, counts) => log({ hook: "onEvalEnd", file, total: counts.total }),
  onRunEnd: async (report, results) => log({ hook: "onRunEnd", results: (await results.all()).length }),
};
`,
    );
    const dirs = readdirSync(join(root, "outputs", "runs")).map((d) => join("outputs", "runs", d));
    const merged = await runCli(root, ["merge", ...dirs, "--reporter", "./hooks-reporter.mjs"]);
    expect(merged.stderr).not.toMatch(/failed in/);
    const hooks = readFileSync(join(root, "hooks.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { hook: string; file?: string; total?: number });
    expect(hooks[0]).toEqual({ hook: "onRunStart", cases: 34 });
    expect(hooks.filter((h) => h.hook === "onCaseResult")).toHaveLength(34);
    expect(hooks.filter((h) => h.hook === "onEvalEnd").map((h) => [h.file, h.total])).toEqual(
      expect.arrayContaining([
        ["evals/a.eval.jsonl", 20],
        ["evals/b.eval.jsonl", 14],
      ]),
    );
    expect(hooks.at(-1)).toEqual({ hook: "onRunEnd", results: 34 });
  });

  it("refuses to merge runs of different configs", async () => {
    const root = project();
    expect((await runCli(root, ["--shard", "1/2", "--min-pass-rate", "0"])).code).toBe(0);
    expect((await runCli(root, ["--shard", "2/2", "--min-pass-rate", "0", "--threshold", "4"])).code).toBe(0);
    const dirs = readdirSync(join(root, "outputs", "runs")).map((d) => join("outputs", "runs", d));
    const res = await runCli(root, ["merge", ...dirs]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(
      /were made with different configs \(signatures \w+ ≠ \w+\); only shards of one run can be merged/,
    );
  });

  it("run.json records the shard; merge refuses a missing, repeated or foreign shard (exit 2, naming them)", async () => {
    const root = project();
    const runDirs = () => readdirSync(join(root, "outputs", "runs")).sort();
    for (const i of [1, 2, 3])
      expect((await runCli(root, ["--shard", `${i}/3`, "--min-pass-rate", "0"])).code).toBe(0);
    const [d1, d2, d3] = runDirs().map((d) => join("outputs", "runs", d)) as [string, string, string];
    const shardOf = (dir: string) =>
      (JSON.parse(readFileSync(join(root, dir, "run.json"), "utf8")) as RunReport).shard;
    const plan = shardOf(d1)?.plan;
    expect(plan).toMatch(/^[0-9a-f]{16}$/);
    expect([d1, d2, d3].map(shardOf)).toEqual([1, 2, 3].map((index) => ({ index, count: 3, plan })));

    const before = runDirs();
    const partial = await runCli(root, ["merge", d1, d2, "--min-pass-rate", "0"]);
    expect(partial.code).toBe(2);
    expect(partial.stderr).toContain("cannot merge a partial or repeated set of shards: missing shard 3/3");
    expect(partial.stdout).not.toContain("Gate");

    const repeated = await runCli(root, ["merge", d1, d2, d2, "--min-pass-rate", "0"]);
    expect(repeated.code).toBe(2);
    expect(repeated.stderr).toContain(`missing shard 3/3; shard 2/3 given twice: ${d2}, ${d2}`);
    expect(repeated.stderr).not.toMatch(/\n\s+at /);

    // Shard 3/3 of another plan (evals/a only) is not the missing shard.
    expect((await runCli(root, ["a.eval", "--shard", "3/3", "--min-pass-rate", "0"])).code).toBe(0);
    const foreign = join("outputs", "runs", runDirs().at(-1) as string);
    const mixed = await runCli(root, ["merge", d1, d2, foreign, "--min-pass-rate", "0"]);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toContain(
      `${d1} is shard 1/3 of plan ${plan} but ${foreign} is shard 3/3 of plan ${shardOf(foreign)?.plan}; only the shards of one plan can be merged`,
    );
    // Nothing was written by the refused merges.
    expect(runDirs()).toEqual([...before, foreign.split("/").at(-1)]);

    const whole = await runCli(root, ["merge", d3, d1, d2, "--min-pass-rate", "0", "--reporter", "default"]);
    expect(whole.code).toBe(0);
    expect(whole.stdout).toMatch(/\(34\)/);
  });

  it("merges runs that record no shard (older runs) as before, with a warning", async () => {
    const root = project();
    for (const i of [1, 2])
      expect((await runCli(root, ["--shard", `${i}/2`, "--min-pass-rate", "0"])).code).toBe(0);
    const dirs = readdirSync(join(root, "outputs", "runs")).map((d) => join("outputs", "runs", d));
    for (const d of dirs) {
      const file = join(root, d, "run.json");
      const { shard: _shard, ...older } = JSON.parse(readFileSync(file, "utf8")) as RunReport;
      writeFileSync(file, JSON.stringify(older));
    }
    // One shard only: the merge cannot tell, and says so.
    const res = await runCli(root, ["merge", dirs[0] as string, "--min-pass-rate", "0"]);
    expect(res.code).toBe(0);
    expect(res.stderr).toContain(
      `warning: ${dirs[0]} records no shard (made without --shard, or by an older jury): evals merge cannot check that no shard is missing or repeated`,
    );
  });
});
