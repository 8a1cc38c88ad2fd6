import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { RunReport } from "../../src/types.ts";
import { createFixtureProject } from "../support/fixture-project.ts";
import { runCli } from "../support/run-cli.ts";

const line = (o: object) => JSON.stringify(o);
const model = (quality: number) =>
  line({ model_id: "mock/m", mock: { quality, ttft_ms: 0, tokens_per_s: 0 } });
const scenarios = Array.from({ length: 40 }, (_, i) =>
  line({
    text_prompt: `Q${i}?`,
    task: { task_type: "QA", task_criteria: "c" },
    golden_answer: `The answer to question ${i} is ${i * 3}, as the records show.`,
  }),
).join("\n");

async function baselineProject() {
  const root = createFixtureProject({
    "config/models_profiles.jsonl": model(0.8),
    "config/judge_profiles.jsonl": [
      line({ model_id: "mock/j1" }),
      line({ model_id: "mock/j2" }),
      line({ model_id: "mock/j3" }),
    ].join("\n"),
    "evals/q.eval.jsonl": scenarios,
  });
  expect((await runCli(root, ["--min-pass-rate", "0"])).code).toBe(0);
  const [runId] = readdirSync(join(root, "outputs", "runs"));
  return { root, baseline: join("outputs", "runs", runId as string) };
}

describe("--baseline gate", () => {
  it("a degraded model fails with the regressed cases and the test used; an identical one passes", async () => {
    const { root, baseline } = await baselineProject();
    const same = await runCli(root, ["--baseline", baseline, "--min-pass-rate", "0"]);
    expect(same.code).toBe(0);
    expect(same.stdout).toMatch(
      /✓ baseline: regressions: 0 regressed, 0 improved of 40 paired cases \(exact McNemar p = 1\.00, α = 0\.05\)/,
    );

    writeFileSync(join(root, "config", "models_profiles.jsonl"), model(0.2));
    const worse = await runCli(root, [
      "--baseline",
      baseline,
      "--min-pass-rate",
      "0",
      "--reporter",
      "default",
      "--reporter",
      "json",
    ]);
    expect(worse.code).toBe(1);
    expect(worse.stdout).toMatch(
      /✗ baseline: regressions: \d+ regressed, 0 improved of 40 paired cases \(exact McNemar p (?:= 0\.\d+|< 0\.0001), α = 0\.05\); pass rate −\d+\.\d% — a significant regression/,
    );
    expect(worse.stdout).toMatch(/↓ regressed evals\/q\.eval\.jsonl › q › L\d+ › mock\/m \[t=0\.7, #1\]/);
    expect(worse.stderr).toContain("ran another config");
    const report = JSON.parse(readFileSync(join(root, "outputs", "report.json"), "utf8")) as RunReport;
    expect(report.gate?.passed).toBe(false);
    expect(report.gate?.baseline?.regressed.length).toBeGreaterThan(10);
  });

  it("a change within noise passes; the same change fails past --max-regression", async () => {
    const { root, baseline } = await baselineProject();
    writeFileSync(join(root, "config", "models_profiles.jsonl"), model(0.72));
    const res = await runCli(root, ["--baseline", baseline, "--min-pass-rate", "0", "--reporter", "json"]);
    const report = JSON.parse(readFileSync(join(root, "outputs", "report.json"), "utf8")) as RunReport;
    const b = report.gate?.baseline;
    expect(b && b.regressed.length + b.improved.length).toBeGreaterThan(0);
    expect(b?.mcnemarP).toBeGreaterThan(0.05);
    expect(res.code).toBe(0);
    const strict = await runCli(root, [
      "--baseline",
      baseline,
      "--min-pass-rate",
      "0",
      "--max-regression",
      "0",
    ]);
    expect(strict.code).toBe(b && b.passRateDelta < 0 ? 1 : 0);
  });

  it("takes a JSON report as the baseline too (what CI keeps as an artifact)", async () => {
    const { root } = await baselineProject();
    expect(
      (await runCli(root, ["--min-pass-rate", "0", "--reporter", "json", "--outputFile", "main-report.json"]))
        .code,
    ).toBe(0);
    const res = await runCli(root, ["--baseline", "main-report.json", "--min-pass-rate", "0"]);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain("0 regressed, 0 improved of 40 paired cases");
  });

  it("a missing baseline is a usage error before anything runs", async () => {
    const { root } = await baselineProject();
    const res = await runCli(root, ["--baseline", "outputs/runs/nope"]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("nope/run.json: not found");
    expect(readdirSync(join(root, "outputs", "runs"))).toHaveLength(1);
  });
});

describe("--trials", () => {
  it("runs each case k times, gates on pass^k and lists the flaky cases apart", async () => {
    const root = createFixtureProject({
      "config/models_profiles.jsonl": model(0.75),
      "config/judge_profiles.jsonl": [
        line({ model_id: "mock/j1" }),
        line({ model_id: "mock/j2" }),
        line({ model_id: "mock/j3" }),
      ].join("\n"),
      "evals/q.eval.jsonl": scenarios,
    });
    const res = await runCli(root, [
      "--trials",
      "3",
      "--min-pass-rate",
      "0.5",
      "--reporter",
      "default",
      "--reporter",
      "json",
      "--reporter",
      "junit",
    ]);
    const report = JSON.parse(readFileSync(join(root, "outputs", "report.json"), "utf8")) as RunReport;
    const t = report.summaries.trials;
    expect(report.cases).toHaveLength(120);
    expect(t?.k).toBe(3);
    expect(t?.groups).toBe(40);
    expect(t?.flaky.length).toBeGreaterThan(0);
    expect(t?.passHatK).toBeLessThan(t?.passAt1 ?? 0);
    expect(report.gate?.checks[0]?.name).toBe("min pass^3");
    expect(res.code).toBe(report.gate?.passed ? 0 : 1);
    expect(res.stdout).toContain(`Flaky cases (${t?.flaky.length})`);
    expect(res.stdout).toMatch(/≈ evals\/q\.eval\.jsonl › q › L\d+ › mock\/m {2}[12] of 3 trials passed/);
    // In JUnit, a failed trial is a <failure> like any (never a <flakyFailure>, which dashboards count as
    // passed); each case of a flaky group says so in a `trials` property. The file still validates.
    const xml = readFileSync(join(root, "outputs", "junit.xml"), "utf8");
    const flakyTrials = t ? t.flaky.reduce((n, f) => n + f.trials, 0) : 0;
    expect(xml).not.toContain("<flakyFailure");
    expect(xml.match(/<property name="trials" value="[12] of 3 trials passed"\/>/g)?.length).toBe(
      flakyTrials,
    );
    expect(xml.match(/<failure /g)?.length).toBe(report.summaries.overall.failed);
    const xsd = join(import.meta.dirname, "..", "..", "fixtures", "junit.xsd");
    expect(() =>
      execFileSync("xmllint", ["--noout", "--schema", xsd, join(root, "outputs", "junit.xml")], {
        stdio: "pipe",
      }),
    ).not.toThrow();
  });
});
