// Issue 15 §1: the JUnit root's and every suite's counts are the console's and run.json's, for every kind of run —
// invocations, temperatures and trials that disagree, a model that errors 60% of the time, skipped and filtered
// cases, a bailed run. The JUnit file is read by an independent parser (Debian's python3-junitparser), which
// counts both the attributes and the <testcase> elements, and validated against the JUnit schema with xmllint.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import type { Counts, RunReportWithResults } from "../../src/types.ts";
import { createFixtureProject } from "../support/fixture-project.ts";
import { runCli } from "../support/run-cli.ts";

const XSD = fileURLToPath(new URL("../../fixtures/junit.xsd", import.meta.url));
const PARSER = fileURLToPath(new URL("../support/junit-counts.py", import.meta.url));
/** Debian's python, where `apt-get install python3-junitparser` puts the parser (a pyenv python would not see it). */
const PYTHON = existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

type JunitCounts = { tests: number; failures: number; errors: number; skipped: number };
interface ParsedJunit {
  root: { attributes: JunitCounts; elements: JunitCounts };
  suites: { name: string; attributes: JunitCounts; elements: JunitCounts }[];
}

const line = (o: object) => JSON.stringify(o);
const scenarios = (n: number, extra: (i: number) => object = () => ({})) =>
  Array.from({ length: n }, (_, i) =>
    line({
      text_prompt: `Question ${i}?`,
      task: { task_type: "QA", task_criteria: "exact" },
      golden_answer: `The answer to question ${i} is ${i * 7} apples.`,
      ...extra(i),
    }),
  ).join("\n");
const model = (id: string, mock: object) =>
  line({ model_id: id, mock: { ttft_ms: 0, tokens_per_s: 0, ...mock } });

function project(models: string[], files: Record<string, string>): string {
  return createFixtureProject({
    "config/models_profiles.jsonl": models.join("\n"),
    "config/judge_profiles.jsonl": [line({ model_id: "mock/j1" }), line({ model_id: "mock/j2" })].join("\n"),
    ...files,
  });
}

/** The console's `Cases  3 passed | 2 failed | 1 errored | 1 skipped | 4 not run (11)` line, as numbers. */
function consoleCounts(stdout: string): Counts & { notRun: number } {
  const m = /^ *Cases +(.*) \((\d+)\)$/m.exec(stdout);
  if (!m) throw new Error(`no Cases line in the console output:\n${stdout}`);
  const n = (word: string) => Number(new RegExp(`(\\d+) ${word}`).exec(m[1] as string)?.[1] ?? 0);
  return {
    total: Number(m[2]),
    passed: n("passed"),
    failed: n("failed"),
    errored: n("errored"),
    skipped: n("skipped"),
    notRun: n("not run"),
  };
}

function parseJunit(file: string): ParsedJunit {
  return JSON.parse(execFileSync(PYTHON, [PARSER, file], { encoding: "utf8" })) as ParsedJunit;
}

/**
 * Runs the CLI with the console, JSON and JUnit reporters, then checks that the console, run.json, report.json
 * and the JUnit file (attributes and elements, root and suites) give the same counts. Returns the run's report.
 */
async function expectSameCounts(root: string, args: string[]): Promise<RunReportWithResults> {
  const res = await runCli(root, [
    ...args,
    "--reporter",
    "default",
    "--reporter",
    "json",
    "--reporter",
    "junit",
  ]);
  expect(res.stderr).not.toMatch(/internal error/);
  const runs = join(root, "outputs", "runs");
  const runJson = JSON.parse(
    readFileSync(join(runs, readdirSync(runs)[0] as string, "run.json"), "utf8"),
  ) as RunReportWithResults;
  const reportJson = JSON.parse(
    readFileSync(join(root, "outputs", "report.json"), "utf8"),
  ) as RunReportWithResults;
  const junitFile = join(root, "outputs", "junit.xml");
  execFileSync("xmllint", ["--noout", "--schema", XSD, junitFile], { stdio: "pipe" });
  const junit = parseJunit(junitFile);

  const shown = consoleCounts(res.stdout);
  const { key: _k, ...overall } = pick(runJson.summaries.overall);
  expect(overall).toEqual({
    total: shown.total,
    passed: shown.passed,
    failed: shown.failed,
    errored: shown.errored,
    skipped: shown.skipped,
  });
  expect(pick(reportJson.summaries.overall)).toEqual(pick(runJson.summaries.overall));
  expect(runJson.results).toHaveLength(shown.total - shown.notRun);

  const expected: JunitCounts = {
    tests: shown.total,
    failures: shown.failed,
    errors: shown.errored,
    skipped: shown.skipped + shown.notRun,
  };
  expect(junit.root.attributes).toEqual(expected);
  expect(junit.root.elements).toEqual(expected);

  // Each suite (an eval file) counts as run.json's evals of that file add up.
  const byFile = new Map<string, JunitCounts>();
  for (const g of runJson.summaries.byEval) {
    const file = g.key.split(" › ")[0] as string;
    const c = byFile.get(file) ?? { tests: 0, failures: 0, errors: 0, skipped: 0 };
    c.tests += g.total;
    c.failures += g.failed;
    c.errors += g.errored;
    c.skipped += g.total - g.passed - g.failed - g.errored;
    byFile.set(file, c);
  }
  expect(junit.suites.map((s) => s.name)).toEqual([...byFile.keys()]);
  for (const s of junit.suites) {
    expect(s.attributes, s.name).toEqual(byFile.get(s.name));
    expect(s.elements, s.name).toEqual(byFile.get(s.name));
  }
  return runJson;
}

function pick(g: Counts & { key?: string }) {
  return {
    key: g.key,
    total: g.total,
    passed: g.passed,
    failed: g.failed,
    errored: g.errored,
    skipped: g.skipped,
  };
}

describe("JUnit counts = console counts = run.json counts", () => {
  beforeAll(() => {
    try {
      execFileSync(PYTHON, ["-c", "import junitparser"], { stdio: "pipe" });
    } catch {
      throw new Error(
        `python3-junitparser is missing (${PYTHON} cannot import junitparser): these tests read the JUnit file with ` +
          "an independent parser. Install it: apt-get install -y python3-junitparser (.ci/run does).",
      );
    }
  });

  it("invocations that disagree are test cases of their own: none is hidden as a <flakyFailure>", async () => {
    const root = project([model("mock/coin", { quality: 0.55 })], {
      "evals/a.eval.jsonl": scenarios(8),
      "evals/b.eval.jsonl": scenarios(5),
    });
    const report = await expectSameCounts(root, ["--invocations", "3", "--min-pass-rate", "0"]);
    expect(report.cases).toHaveLength(39);
    // The run is the case the issue names: some scenario's invocations disagree.
    expect(report.summaries.trials?.flaky.length).toBeGreaterThan(0);
    expect(report.summaries.overall.failed).toBeGreaterThan(0);
  });

  it("temperature variations × invocations", async () => {
    const root = project([model("mock/coin", { quality: 0.55 })], { "evals/t.eval.jsonl": scenarios(6) });
    const report = await expectSameCounts(root, [
      "--temperature-variations",
      "1",
      "--invocations",
      "2",
      "--min-pass-rate",
      "0",
    ]);
    expect(new Set(report.cases.map((c) => c.temperature)).size).toBe(3);
    expect(report.summaries.trials?.flaky.length).toBeGreaterThan(0);
  });

  it("a mock model erroring 60% of the time: every errored case is an <error>", async () => {
    const root = project([model("mock/err", { quality: 1, error_rate: 0.6 })], {
      "evals/e.eval.jsonl": scenarios(8),
    });
    const report = await expectSameCounts(root, [
      "--invocations",
      "2",
      "--max-attempts",
      "1",
      "--min-pass-rate",
      "0",
    ]);
    expect(report.summaries.overall.errored).toBeGreaterThan(3);
    expect(report.summaries.overall.passed).toBeGreaterThan(0);
  });

  it("skipped and filtered cases, and several models", async () => {
    const root = project([model("mock/good", { quality: 1 }), model("mock/bad", { quality: 0 })], {
      "evals/s.eval.jsonl": scenarios(6, (i) => (i === 2 ? { skip: true } : {})),
      "evals/f.eval.jsonl": scenarios(4),
    });
    const report = await expectSameCounts(root, ["-t", "L[1-4] ›", "--min-pass-rate", "0"]);
    // -t leaves L5 and L6 out of the plan; L3 is `skip: true` on both models.
    expect(report.cases).toHaveLength(16);
    expect(report.summaries.overall.skipped).toBe(2);
    expect(report.summaries.overall.failed).toBeGreaterThan(0);
  });

  it("a bailed run: the cases it never ran are skipped in JUnit, 'not run' on the console", async () => {
    const root = project([model("mock/bad", { quality: 0 })], { "evals/b.eval.jsonl": scenarios(30) });
    const report = await expectSameCounts(root, ["--bail", "2", "--concurrency", "1"]);
    expect(report.status).toBe("bailed");
    expect(report.results.length).toBeLessThan(30);
  });

  it("--trials: a failed trial is a failure too", async () => {
    const root = project([model("mock/coin", { quality: 0.55 })], { "evals/k.eval.jsonl": scenarios(8) });
    const report = await expectSameCounts(root, ["--trials", "3", "--min-pass-rate", "0"]);
    expect(report.summaries.trials?.flaky.length).toBeGreaterThan(0);
    const xml = readFileSync(join(root, "outputs", "junit.xml"), "utf8");
    expect(xml).not.toContain("<flakyFailure");
    // Which cases' trials disagree stays in the file, as a property of each of their cases.
    expect(xml).toMatch(/<property name="trials" value="[12] of 3 trials passed"\/>/);
  });
});
