// The process is the subject: kill -9 at random points then --resume, and Ctrl-C, on the built CLI in a child
// process. Each waits for results on disk before it signals, never for a fixed time.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { RunReportWithResults as RunReport } from "../../src/types.ts";
import { createFixtureProject } from "../support/fixture-project.ts";
import { runCli, startBuiltCli } from "../support/run-cli.ts";
import { linesSoFar, resultsOf, resumableProject, scenarios, untilLines } from "../support/run-results.ts";

const line = (o: object) => JSON.stringify(o);

describe("kill -9 and --resume", () => {
  it("a run killed at random points several times, then resumed, ends as a clean run does", async () => {
    // The clean run goes on (in process) while the killed one is started and killed (child processes).
    const clean = resumableProject();
    const cleanRun = runCli(clean, ["--reporter", "json", "--min-pass-rate", "0", "--concurrency", "4"]);

    const root = resumableProject();
    // Random kill points (printed, to reproduce a failure): after 1–20 more results of the 120 in each attempt,
    // counted in results.jsonl as the run writes it, so the kills land mid-run however busy the machine is.
    const points = Array.from({ length: 4 }, () => 1 + Math.floor(Math.random() * 20));
    console.log(`kill points (results written before each kill): ${points.join(", ")}`);
    let kills = 0;
    for (const [i, point] of points.entries()) {
      const before = linesSoFar(root);
      const child = startBuiltCli(root, [...(i ? ["--resume", "latest"] : []), "--concurrency", "4"]);
      if (await untilLines(root, before + point, child)) {
        if (child.child.exitCode === null && child.child.kill("SIGKILL")) kills++;
      }
      await child.exited;
    }
    expect((await cleanRun).code).toBe(0);
    const cleanReport = JSON.parse(readFileSync(join(clean, "outputs", "report.json"), "utf8")) as RunReport;
    const partial = resultsOf(root).lines.length;
    expect(kills).toBeGreaterThanOrEqual(2);
    expect(partial).toBeLessThan(120);

    const done = await runCli(root, [
      "--resume",
      "latest",
      "--reporter",
      "json",
      "--min-pass-rate",
      "0",
      "--concurrency",
      "4",
    ]);
    expect(done.code).toBe(0);
    expect(readdirSync(join(root, "outputs", "runs"))).toHaveLength(1);
    const { lines } = resultsOf(root);
    const report = JSON.parse(readFileSync(join(root, "outputs", "report.json"), "utf8")) as RunReport;
    expect(lines.map((r) => r.caseId).sort()).toEqual(report.cases.map((c) => c.id).sort());
    expect(new Set(lines.map((r) => r.caseId)).size).toBe(lines.length);
    expect(report.results).toHaveLength(120);

    // Same cases, same states and scores as the clean run (mock models are deterministic by case id).
    const view = (r: RunReport) =>
      r.results
        .map((x) => [x.caseId, x.state, x.jury?.dimensions.map((d) => d.score)])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    expect(view(report)).toEqual(view(cleanReport));
    const counts = (r: RunReport) => ({
      ...r.summaries.overall,
      ttftMs: undefined,
      otps: undefined,
      cost: undefined,
      costPerCase: undefined,
    });
    expect(counts(report)).toEqual(counts(cleanReport));
  }, 120_000);
});

describe("Ctrl-C", () => {
  const project = () =>
    createFixtureProject({
      "config/models_profiles.jsonl": line({
        model_id: "mock/slow",
        mock: { quality: 1, ttft_ms: 150, tokens_per_s: 0 },
      }),
      "config/judge_profiles.jsonl": line({ model_id: "mock/j" }),
      "evals/slow.eval.jsonl": scenarios(60),
    });
  /** Runs the built CLI and sends `signals` SIGINTs at once as soon as the first result is on disk. */
  const run = async (root: string, signals: number) => {
    const cli = startBuiltCli(root, ["--reporter", "json", "--concurrency", "2"]);
    expect(await untilLines(root, 1, cli)).toBe(true);
    for (let i = 0; i < signals; i++) cli.child.kill("SIGINT");
    return { code: await cli.exited, stderr: cli.stderr };
  };

  it("the first stops the run, keeps what finished, still writes the reports, exits 130", async () => {
    const root = project();
    const { code, stderr } = await run(root, 1);
    expect(code).toBe(130);
    expect(stderr).toContain("Interrupted: finishing up");
    const { lines, runDir } = resultsOf(root);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.length).toBeLessThan(60);
    const report = JSON.parse(readFileSync(join(root, "outputs", "report.json"), "utf8")) as RunReport;
    expect(report.status).toBe("interrupted");
    expect(report.gate).toMatchObject({ verdict: "not evaluated", passed: false, checks: [] });
    expect(report.results.map((r) => r.caseId).sort()).toEqual(lines.map((r) => r.caseId).sort());
    expect(JSON.parse(readFileSync(join(runDir, "run.json"), "utf8")).status).toBe("interrupted");
  });

  it("a second exits at once, leaving results.jsonl whole", async () => {
    const root = project();
    const { code } = await run(root, 2);
    expect(code).toBe(130);
    const { runDir } = resultsOf(root);
    const text = readFileSync(join(runDir, "results.jsonl"), "utf8");
    expect(text === "" || text.endsWith("\n")).toBe(true);
    for (const l of text.split("\n").filter(Boolean)) expect(() => JSON.parse(l)).not.toThrow();
    // Results are written a turn at a time (issue 22) and reported once written: every case the run log reported
    // (its lines written at the exit too) is in results.jsonl.
    const log = readdirSync(runDir).find((f) => f.endsWith(".log")) as string;
    const logged = [...readFileSync(join(runDir, log), "utf8").matchAll(/ - Case (\w+) /g)].map((m) => m[1]);
    const kept = new Set(
      text
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l).caseId as string),
    );
    expect(logged.length).toBeGreaterThan(0);
    for (const id of logged) expect(kept.has(id as string)).toBe(true);
  });
});
