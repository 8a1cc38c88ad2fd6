// jury/vitest/plugin under a real `vitest` (the process under test): `.eval.jsonl` files collected as Vitest tests
// planned as `evals` plans them, and the Vitest run written to the run store for `evals report`, `--baseline`
// and `evals merge`.
import { execFile, spawn } from "node:child_process";
import { appendFileSync, existsSync, readdirSync, readFileSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { stripVTControlCharacters } from "node:util";
import { describe, expect, it } from "vitest";
import type { RunReportWithResults } from "../../src/types.ts";
import type { RunLog } from "../../src/ui/api-types.ts";
import { createUiServer } from "../../src/ui/server.ts";
import { createFixtureProject } from "../support/fixture-project.ts";
import { raw } from "../support/raw-http.ts";
import { runCli } from "../support/run-cli.ts";
import { installedModules, runsHere, VITESTS, type VitestUnderTest } from "../support/vitest-project.ts";

const [VITEST_4, VITEST_5] = VITESTS as [VitestUnderTest, VitestUnderTest];

const line = (o: object) => JSON.stringify(o);
const row = (o: object) => ({ task: { task_type: "QA", task_criteria: "c" }, ...o });

/**
 * A project with two models, one judge, and an eval file of three rows (one `skip`); jury and `vitest` are
 * installed in its node_modules as a user's `npm install` puts them (`linked`: jury is a link to this repo instead,
 * as a workspace package or `npm link` makes it).
 */
function project(files: Record<string, string> = {}, vitest = VITEST_4, linked = false): string {
  const root = createFixtureProject(
    {
      "package.json": line({ type: "module", private: true }),
      "vitest.config.ts": [
        `import { defineConfig } from "vitest/config";`,
        `import jury from "jury/vitest/plugin";`,
        "export default defineConfig({",
        "  plugins: [jury({ baseline: process.env.BASELINE || undefined, cache: process.env.CACHE || undefined })],",
        "});",
      ].join("\n"),
      "config/models_profiles.jsonl": [
        line({ model_id: "mock/good", mock: { quality: 0.9, ttft_ms: 0, tokens_per_s: 0 } }),
        line({ model_id: "mock/other", mock: { quality: 0.9, ttft_ms: 0, tokens_per_s: 0 } }),
      ].join("\n"),
      "config/judge_profiles.jsonl": line({ model_id: "mock/j1" }),
      "evals/qa.eval.jsonl": [
        line(row({ text_prompt: "What is 2+2?", golden_answer: "What is 2+2? 4" })),
        line(
          row({
            id: "capital",
            text_prompt: "Capital of France?",
            golden_answer: "Capital of France? Paris",
          }),
        ),
        line(row({ id: "later", skip: true, text_prompt: "Not yet?", golden_answer: "x" })),
      ].join("\n"),
      ...files,
    },
    linked ? undefined : installedModules(vitest),
  );
  if (linked) symlinkSync(vitest.dir, join(root, "node_modules", "vitest"), "dir");
  return root;
}

interface VitestRun {
  code: number | null;
  /** stdout and stderr, SGR codes removed. */
  out: string;
}

/** `node … vitest <args>` in `root`, its config (and our plugin) loaded as a user's project loads them. */
function vitestArgs(root: string, args: string[]): string[] {
  return [join(root, "node_modules", "vitest", "vitest.mjs"), ...args];
}

/** The child's env: not the env of the Vitest running this file, whose VITEST_* would make it think it is a worker. */
function vitestEnv(env: Record<string, string>): Record<string, string | undefined> {
  const parent = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith("VITEST") && k !== "TEST" && k !== "NODE_ENV"),
  );
  return { ...parent, CI: "", NO_COLOR: "1", ...env };
}

/** `vitest run …` in `root`. */
function runVitest(root: string, args: string[], env: Record<string, string> = {}): Promise<VitestRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      vitestArgs(root, ["run", ...args]),
      { cwd: root, env: vitestEnv(env) },
      (err, stdout, stderr) =>
        resolve({
          code: err ? ((err as { code?: number }).code ?? 1) : 0,
          out: stripVTControlCharacters(stdout + stderr),
        }),
    );
  });
}

const runDirs = (root: string) =>
  existsSync(join(root, "outputs", "runs")) ? readdirSync(join(root, "outputs", "runs")).sort() : [];
const readRun = (root: string, id: string) =>
  JSON.parse(readFileSync(join(root, "outputs", "runs", id, "run.json"), "utf8")) as RunReportWithResults;
const resultLines = (root: string, id: string) =>
  readFileSync(join(root, "outputs", "runs", id, "results.jsonl"), "utf8")
    .trim()
    .split("\n");

describe("jury/vitest/plugin", () => {
  it("collects an .eval.jsonl as Vitest tests named as our cases, and stores the run for evals report and --baseline", async () => {
    const root = project();
    const listed = await runCli(root, ["list"]);
    expect(listed.code).toBe(0);
    const run = await runVitest(root, ["--reporter", "verbose"]);
    expect(run.code, run.out).toBe(0);
    // Each planned case a test in a describe of the eval, named as `evals list` names it; the `skip` row skipped.
    const names = [...run.out.matchAll(/(?:✓|↓) evals\/qa\.eval\.jsonl > qa > (qa › .+\])/g)].map(
      (m) => m[1],
    );
    const planned = [...listed.stdout.matchAll(/evals\/qa\.eval\.jsonl › (qa › .+\])/g)].map((m) => m[1]);
    expect(planned).toHaveLength(4);
    expect(names.filter((n) => planned.includes(n))).toHaveLength(4);
    expect(names).toContain("qa › later › mock/good [t=0.7, #1]");
    expect(run.out).toMatch(/Tests\s+4 passed \| 2 skipped \(6\)/);
    expect(listed.stdout).toContain("4 cases planned, 2 skipped");

    const [id] = runDirs(root);
    expect(id).toBeDefined();
    const report = readRun(root, id as string);
    expect(report.status).toBe("completed");
    expect(report.cases).toHaveLength(6);
    expect(report.results.filter((r) => r.state === "passed")).toHaveLength(4);
    expect(report.results.filter((r) => r.state === "skipped")).toHaveLength(2);
    expect(resultLines(root, id as string)).toHaveLength(6);
    expect(report.gate?.verdict).toBe("passed");
    expect(report.scenarios?.["evals/qa.eval.jsonl#qa#capital"]?.prompt).toBe("Capital of France?");
    expect(run.out).toContain(`jury: run ${id} (6 cases) written to`);

    // Its run log, as an `evals` run writes it: the start, a line per stored result, the end with the gate.
    const logName = `360-benchmark-${id}.log`;
    expect(readdirSync(join(root, "outputs", "runs", id as string))).toContain(logName);
    const log = readFileSync(join(root, "outputs", "runs", id as string, logName), "utf8");
    const logLines = log.trim().split("\n");
    expect(logLines[0]).toMatch(
      new RegExp(`^\\S+Z - INFO - Starting run ${id}: cases planned by Vitest; options \\{"root":`),
    );
    expect(logLines[1]).toMatch(
      / - INFO - Settings \{"models":\["mock\/good","mock\/other"\],"judges":\["mock\/j1"\]/,
    );
    const caseLines = logLines.filter((l) => / - (INFO|WARNING|ERROR) - Case /.test(l));
    expect(caseLines).toHaveLength(6);
    expect(caseLines.filter((l) => l.includes(" passed: "))).toHaveLength(4);
    expect(caseLines.filter((l) => l.includes(" skipped: "))).toHaveLength(2);
    expect(log).toContain("qa › capital › mock/other (evals/qa.eval.jsonl:2)");
    expect(logLines.at(-1)).toMatch(
      new RegExp(
        `- INFO - Run ${id} completed in [\\d.]+ s: 6 cases, 4 passed, 0 failed, 0 errored, 2 skipped; cost \\$[\\d.]+; gate passed`,
      ),
    );
    // The dashboard's log viewer shows it.
    const server = await createUiServer({ root, port: 0 });
    try {
      const served = JSON.parse((await raw(server.url, `/api/runs/${id}/log`)).body) as RunLog;
      expect(served).toMatchObject({ source: logName, text: log, running: false });
    } finally {
      await server.close();
    }

    // The run store reads a Vitest run as an `evals` run.
    const html = await runCli(root, ["report"]);
    expect(html.code, html.stderr).toBe(0);
    expect(html.stdout).toContain("HTML report of 1 run, 6 results");
    expect(readFileSync(join(root, "outputs", "report.html"), "utf8")).toContain("capital");
    const compared = await runCli(root, ["--baseline", join("outputs", "runs", id as string)]);
    expect(compared.code, compared.stderr).toBe(0);
    const evalsRun = readRun(root, runDirs(root).at(-1) as string);
    expect(evalsRun.gate?.baseline?.baselineRunId).toBe(id);
    expect(evalsRun.gate?.baseline?.signatureMatches).toBe(true);
  });

  it("-t selects cases, and the plugin's baseline compares the Vitest run with an earlier one", async () => {
    const root = project();
    expect((await runVitest(root, [])).code).toBe(0);
    const [first] = runDirs(root);
    const run = await runVitest(root, ["-t", "capital › mock/other"], {
      BASELINE: join("outputs", "runs", first as string),
    });
    expect(run.code, run.out).toBe(0);
    expect(run.out).toMatch(/Tests\s+1 passed \| 5 skipped \(6\)/);
    const second = runDirs(root).at(-1) as string;
    expect(second).not.toBe(first);
    const report = readRun(root, second);
    // Only what -t selected: no case -t left out, not even the `skip` row (as `evals -t` plans it).
    expect(report.cases.map((c) => `${c.scenarioKey} ${c.model}`)).toEqual(["capital mock/other"]);
    expect(report.gate?.baseline?.baselineRunId).toBe(first);
  });

  it("fails a bad .eval.jsonl (or profile) with our file:line message, no stack trace, and stores no run", async () => {
    const root = project({
      "evals/bad.eval.jsonl": [
        line(row({ text_prompt: "fine" })),
        line(row({ golden_answer: "no prompt" })),
      ].join("\n"),
    });
    const run = await runVitest(root, ["evals/bad"]);
    expect(run.code).toBe(1);
    expect(run.out).toContain("EvalFileError: 1 problem in the eval file; its cases were not run.");
    expect(run.out).toContain("evals/bad.eval.jsonl:2: text_prompt: required");
    expect(run.out).not.toMatch(/^\s+at |❯ .*\.[jt]s:\d+/m);
    expect(runDirs(root)).toEqual([]);

    const badProfile = project({ "config/judge_profiles.jsonl": line({ model_id: 5 }) });
    const config = await runVitest(badProfile, []);
    expect(config.code).toBe(1);
    expect(config.out).toContain("ConfigError: config/judge_profiles.jsonl:1: model_id: required");
    expect(config.out).not.toMatch(/^\s+at |❯ .*\.[jt]s:\d+/m);
    expect(runDirs(badProfile)).toEqual([]);

    // Prompt optimization rewrites prompts in `evals` before the cases run: not in Vitest, so it is refused.
    const optimized = project({
      "config/models_profiles.jsonl": line({
        model_id: "bedrock/us.amazon.nova-pro-v1:0",
        region: "us-east-1",
        base_url: "http://127.0.0.1:9",
      }),
      "evals.config.yaml": "run:\n  promptOptimization: optimize_only\n",
    });
    const refused = await runVitest(optimized, []);
    expect(refused.code).toBe(1);
    expect(refused.out).toContain(
      'run.promptOptimization is "optimize_only": prompt optimization runs under `evals` only',
    );
    expect(refused.out).not.toMatch(/^\s+at |❯ .*\.[jt]s:\d+/m);

    // The cases pass, but a baseline that is not there is the user's to fix: said as `evals` says it, exit 1.
    const noBaseline = project();
    const stored = await runVitest(noBaseline, [], { BASELINE: "outputs/runs/nope" });
    expect(stored.code).toBe(1);
    expect(stored.out).toMatch(/Tests\s+4 passed \| 2 skipped/);
    expect(stored.out).toMatch(/jury: the run is not stored: .*outputs\/runs\/nope/);
    expect(stored.out).not.toMatch(/^\s+at |❯ .*\.[jt]s:\d+/m);
  });

  it("stores the jury/vitest matchers' verdicts with the .eval.jsonl cases, Vitest's own test files still collected", async () => {
    const root = project({
      "test/answer.test.ts": [
        `import "jury/vitest";`,
        `import { expect, test } from "vitest";`,
        `const jury = { prompt: "What colour are bananas?", golden: "Bananas are yellow." };`,
        `test("right", async () => { await expect("Bananas are yellow.").toPassJury(jury); });`,
        `test("wrong", async () => { await expect("Grass grows.").toPassJury(jury); });`,
      ].join("\n"),
    });
    const run = await runVitest(root, []);
    expect(run.code, run.out).toBe(1);
    expect(run.out).toMatch(/Tests\s+1 failed \| 5 passed \| 2 skipped \(8\)/);
    const [id] = runDirs(root);
    const report = readRun(root, id as string);
    expect(report.cases.map((c) => c.file).sort()).toEqual([
      ...Array(6).fill("evals/qa.eval.jsonl"),
      ...Array(2).fill("test/answer.test.ts"),
    ]);
    expect(report.results.map((r) => r.state).sort()).toEqual([
      "failed",
      "passed",
      "passed",
      "passed",
      "passed",
      "passed",
      "skipped",
      "skipped",
    ]);
    expect(report.gate?.verdict).toBe("failed");
  });

  it("logs what stopped the store (run.json cannot be written) as the run log's last line", async () => {
    const root = project({
      "vitest.config.ts": [
        `import { defineConfig } from "vitest/config";`,
        `import jury from "jury/vitest/plugin";`,
        "export default defineConfig({",
        `  test: { pool: "forks" },`,
        "  plugins: [jury()],",
        "});",
      ].join("\n"),
      // Once the first result is stored, a directory where the main process writes run.json's temp file.
      "test/break.test.ts": [
        `import "jury/vitest";`,
        `import { existsSync, mkdirSync, readdirSync, statSync, watch } from "node:fs";`,
        `import { join } from "node:path";`,
        `import { expect, test } from "vitest";`,
        `test("stored", async () => { await expect("Bananas are yellow.").toPassJury({ prompt: "Colour of bananas?", golden: "Bananas are yellow." }); });`,
        `test("break", async () => {`,
        `  const runs = join(process.cwd(), "outputs", "runs");`,
        `  const stored = () => existsSync(runs) && readdirSync(runs).some((d) => existsSync(join(runs, d, "results.jsonl")) && statSync(join(runs, d, "results.jsonl")).size > 0);`,
        `  if (!stored()) { mkdirSync(runs, { recursive: true }); await new Promise<void>((done) => { const w = watch(runs, { recursive: true }, () => { if (stored()) { w.close(); done(); } }); if (stored()) { w.close(); done(); } }); }`,
        `  for (const d of readdirSync(runs)) mkdirSync(join(runs, d, "run.json." + process.ppid + ".tmp"));`,
        `});`,
      ].join("\n"),
    });
    const run = await runVitest(root, []);
    expect(run.code).toBe(1);
    const [id] = runDirs(root);
    const logName = `360-benchmark-${id}.log`;
    const log = readFileSync(join(root, "outputs", "runs", id as string, logName), "utf8")
      .trim()
      .split("\n");
    // The .eval.jsonl's 6 cases and the matcher's, stored before run.json could not be written: no end line.
    expect(log.filter((l) => l.includes(" - Case "))).toHaveLength(7);
    expect(log.join("\n")).not.toContain(`Run ${id} completed`);
    expect(log.at(-1)).toMatch(new RegExp(`- ERROR - Run ${id} stopped: .*EISDIR`));
  });

  // Three Vitest child runs in a row: 16 s at load ~10, over a minute when the machine is saturated.
  it("runs the cases under the plugin's cache option: replay misses until `on` records the calls", {
    timeout: 180_000,
  }, async () => {
    const root = project();
    const miss = await runVitest(root, [], { CACHE: "replay" });
    expect(miss.code).toBe(1);
    expect(miss.out).toContain("cache miss in replay mode");
    expect((await runVitest(root, [], { CACHE: "on" })).code).toBe(0);
    expect(existsSync(join(root, ".evals-cache"))).toBe(true);
    const replayed = await runVitest(root, [], { CACHE: "replay" });
    expect(replayed.code, replayed.out).toBe(0);
    const report = readRun(root, runDirs(root).at(-1) as string);
    expect(report.results.filter((r) => r.state === "passed")).toHaveLength(4);
  });

  it("runs a file's cases concurrently up to the project's concurrency, not Vitest's default 5", async () => {
    const slow = { mock: { quality: 0.9, ttft_ms: 500, tokens_per_s: 0 } };
    const root = project({
      "config/models_profiles.jsonl": [
        line({ model_id: "mock/good", ...slow }),
        line({ model_id: "mock/other", ...slow }),
      ].join("\n"),
      "evals/slow.eval.jsonl": Array.from({ length: 4 }, (_, i) =>
        line(row({ text_prompt: `Q${i}?`, golden_answer: `Q${i}? A` })),
      ).join("\n"),
    });
    // One worker: the project's concurrency (8) is all this worker's.
    const run = await runVitest(root, ["evals/slow", "--maxWorkers", "1"]);
    expect(run.code, run.out).toBe(0);
    const { results } = readRun(root, runDirs(root)[0] as string);
    expect(results).toHaveLength(8);
    // Each case waits 500 ms for its first token: those started in the first 250 ms ran at once.
    const starts = results.map((r) => Date.parse(r.metrics?.startedAt as string));
    const first = Math.min(...starts);
    expect(starts.filter((s) => s - first < 250).length).toBeGreaterThan(5);
  });

  it("in watch mode, writes each re-run as a run of its own", async () => {
    const root = project();
    const child = spawn(process.execPath, vitestArgs(root, ["watch"]), {
      cwd: root,
      env: vitestEnv({}),
      stdio: ["pipe", "pipe", "pipe"],
    });
    let out = "";
    const runs = () => [...stripVTControlCharacters(out).matchAll(/jury: run (\S+)/g)].map((m) => m[1]);
    const waiters = new Set<() => void>();
    child.stdout.on("data", (d) => {
      out += d;
      for (const w of waiters) w();
    });
    child.stderr.on("data", (d) => {
      out += d;
    });
    const exited = new Promise<never>((_, reject) =>
      child.once("exit", () => reject(new Error(`vitest exited:\n${out}`))),
    );
    exited.catch(() => undefined);
    const waitForRuns = (n: number) =>
      Promise.race([
        exited,
        new Promise<void>((resolve) => {
          const check = () => {
            if (runs().length >= n) {
              waiters.delete(check);
              resolve();
            }
          };
          waiters.add(check);
          check();
        }),
      ]);
    try {
      await waitForRuns(1);
      appendFileSync(
        join(root, "evals", "qa.eval.jsonl"),
        `\n${line(row({ id: "added", text_prompt: "Added?", golden_answer: "Added? yes" }))}`,
      );
      await waitForRuns(2);
    } finally {
      child.kill();
    }
    const [first, second] = runs();
    expect(first).not.toBe(second);
    expect(runDirs(root)).toEqual([first, second]);
    expect(readRun(root, first as string).cases).toHaveLength(6);
    expect(readRun(root, second as string).cases).toHaveLength(8);
  });

  it("writes each shard of `vitest --shard` as its own run, which evals merge joins", async () => {
    const root = project({
      "evals/more.eval.jsonl": line(
        row({ text_prompt: "Name a colour.", golden_answer: "Name a colour. Red" }),
      ),
    });
    for (const shard of ["1/2", "2/2"]) expect((await runVitest(root, ["--shard", shard])).code).toBe(0);
    const shards = runDirs(root);
    expect(shards).toHaveLength(2);
    const counts = shards.map((id) => readRun(root, id).cases.length).sort();
    expect(counts).toEqual([2, 6]);
    const merged = await runCli(root, ["merge", ...shards.map((id) => join("outputs", "runs", id))]);
    expect(merged.code, merged.stderr).toBe(0);
    const mergedRun = readRun(root, runDirs(root).at(-1) as string);
    expect(new Set(mergedRun.results.map((r) => r.caseId)).size).toBe(8);
  });

  // A linked package is outside node_modules, where Vitest would run each of its modules through Vite: a Vite-
  // transformed function's text names its imports `__vite_ssr_import_…`. jury's own Vitest (this repo's, 4) is not the
  // one running under Vitest 5: the plugin leaves jury to Node only because jury never imports "vitest".
  for (const vitest of VITESTS)
    it.skipIf(!runsHere(vitest))(
      `leaves a linked jury's build to Node, as an installed one, on Vitest ${vitest.version}`,
      async () => {
        const root = project(
          {
            "test/loaded.test.ts": [
              `import { generate } from "jury/vitest";`,
              `import { expect, test } from "vitest";`,
              `test("jury loaded by Node", async () => {`,
              `  expect(String(generate)).not.toContain("__vite_ssr_");`,
              `  await expect("Bananas are yellow.").toPassJury({ prompt: "Colour of bananas?", golden: "Bananas are yellow." });`,
              `});`,
            ].join("\n"),
          },
          vitest,
          true,
        );
        const run = await runVitest(root, []);
        expect(run.code, run.out).toBe(0);
        expect(run.out).toMatch(/Tests\s+5 passed \| 2 skipped \(7\)/);
        expect(readRun(root, runDirs(root)[0] as string).results).toHaveLength(7);
      },
    );

  // Vitest 5 needs Node 22 or later; it is installed apart, in test/vitest5 (`npm ci --prefix test/vitest5`).
  it.skipIf(!runsHere(VITEST_5))("collects and stores the same way under Vitest 5", async () => {
    const root = project({}, VITEST_5);
    const run = await runVitest(root, []);
    expect(run.code, run.out).toBe(0);
    expect(run.out).toMatch(/v5\.\d+\.\d+/);
    expect(run.out).toMatch(/Tests\s+4 passed \| 2 skipped \(6\)/);
    const [id] = runDirs(root);
    expect(readRun(root, id as string).results).toHaveLength(6);
    const log = readFileSync(join(root, "outputs", "runs", id as string, `360-benchmark-${id}.log`), "utf8");
    expect(log.match(/ - Case /g)).toHaveLength(6);
    expect(log).toMatch(new RegExp(`- INFO - Run ${id} completed .*; gate passed`));
  });
});
