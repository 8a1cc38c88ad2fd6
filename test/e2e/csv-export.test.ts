// Issue 18 point 7: the csv reporter and `evals export <run> --csv` write the same invocations CSV, one row per case.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { createFixtureProject } from "../support/fixture-project.ts";
import { runCli } from "../support/run-cli.ts";

const line = (o: object) => JSON.stringify(o);

/** Two mock models, one of them failing every call, and three scenarios (one with a formula for a task type). */
const project = () =>
  createFixtureProject({
    "config/models_profiles.jsonl": [
      line({ model_id: "mock/good", mock: { quality: 1, ttft_ms: 0, tokens_per_s: 0 } }),
      line({ model_id: "mock/down", mock: { error_rate: 1, ttft_ms: 0, tokens_per_s: 0 } }),
    ].join("\n"),
    "config/judge_profiles.jsonl": line({ model_id: "mock/j" }),
    "evals/q.eval.jsonl": [1, 2, 3]
      .map((i) =>
        line({
          text_prompt: `Q${i}`,
          task: { task_type: i === 2 ? '=HYPERLINK("http://x")' : "T", task_criteria: "c" },
          golden_answer: i === 3 ? 'Say "yes", then\nstop.' : `Answer ${i}.`,
        }),
      )
      .join("\n"),
  });

const runDirOf = (root: string) => {
  const runs = join(root, "outputs", "runs");
  const [id] = readdirSync(runs);
  return { id: id as string, dir: join(runs, id as string) };
};
const table = (file: string) =>
  parse(readFileSync(file, "utf8"), { bom: true, columns: true }) as Record<string, string>[];

describe("--reporter csv", () => {
  it("writes invocations_<runId>.csv in the run dir: a row per case, the seed's columns, errors in api_call_status", async () => {
    const root = project();
    const res = await runCli(root, ["--reporter", "csv", "--min-pass-rate", "0", "--invocations", "2"]);
    expect(res.code).toBe(0);
    const run = runDirOf(root);
    const name = `invocations_${run.id}.csv`;
    expect(res.stdout).toBe(` CSV of 12 invocations written to outputs/runs/${run.id}/${name}\n`);
    const rows = table(join(run.dir, name));
    expect(rows).toHaveLength(12);
    const good = rows.filter((r) => r.model_id === "mock/good");
    expect(good.map((r) => r.state)).toEqual(Array(6).fill("passed"));
    expect(good.every((r) => r.api_call_status === "Success" && r.judge_success === "TRUE")).toBe(true);
    expect(good.every((r) => Number(r.judge_score_correctness) >= 3)).toBe(true);
    expect(new Set(good.map((r) => r.invocation))).toEqual(new Set(["1", "2"]));
    const down = rows.filter((r) => r.model_id === "mock/down");
    expect(down.map((r) => r.state)).toEqual(Array(6).fill("errored"));
    expect(down.every((r) => r.error_classification === "api_failure" && r.api_call_status !== "")).toBe(
      true,
    );
    expect(down.every((r) => r.judge_score_correctness === "" && r.time_to_first_byte === "")).toBe(true);
    // A formula in the task type is text, the golden answer's quotes and newline survive the quoting.
    expect(rows.filter((r) => r.scenario === "L2").map((r) => r.task_types)[0]).toBe(
      '\'=HYPERLINK("http://x")',
    );
    expect(good.find((r) => r.scenario === "L3")?.model_response).toBe('Say "yes", then\nstop.');
  });
});

describe("evals export", () => {
  it("writes the csv reporter's file byte for byte from a finished run: latest, a run id or a path", async () => {
    const root = project();
    const args = ["--reporter", "csv", "--outputFile.csv", "reporter.csv", "--min-pass-rate", "0"];
    expect((await runCli(root, args)).code).toBe(0);
    const run = runDirOf(root);
    const fromReporter = readFileSync(join(root, "reporter.csv"));

    const latest = await runCli(root, ["export", "latest", "--csv"]);
    expect(latest.stderr).toBe("");
    expect(latest.code).toBe(0);
    const name = `invocations_${run.id}.csv`;
    expect(latest.stdout).toBe(`CSV of 6 invocations written to outputs/runs/${run.id}/${name}\n`);
    expect(readFileSync(join(run.dir, name)).equals(fromReporter)).toBe(true);

    const byId = await runCli(root, ["export", run.id, "--csv", "-o", "by-id.csv"]);
    expect(byId.stdout).toBe("CSV of 6 invocations written to by-id.csv\n");
    expect(readFileSync(join(root, "by-id.csv")).equals(fromReporter)).toBe(true);

    const byPath = await runCli(root, ["export", `outputs/runs/${run.id}/run.json`, "--csv", "-o", "p.csv"]);
    expect(byPath.code).toBe(0);
    expect(readFileSync(join(root, "p.csv")).equals(fromReporter)).toBe(true);
  });

  it("names what is wrong, exit 2, and writes nothing: no --csv, no such run, no run at all", async () => {
    const root = project();
    const none = await runCli(root, ["export", "latest", "--csv"]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain(`no run to export in ${join(root, "outputs", "runs")}`);
    expect((await runCli(root, ["--min-pass-rate", "0"])).code).toBe(0);
    const noFormat = await runCli(root, ["export", "latest"]);
    expect(noFormat.code).toBe(2);
    expect(noFormat.stderr).toContain("evals export needs a format: --csv (the only one so far)");
    const unknown = await runCli(root, ["export", "20990101-000000-000-ffff", "--csv"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no run "20990101-000000-000-ffff" in');
    // A run still going (or killed): its run.json has no summaries yet.
    const running = join(root, "outputs", "runs", "20990101-000000-000-aaaa");
    mkdirSync(running);
    writeFileSync(join(running, "run.json"), JSON.stringify({ runId: "x", status: "running", cases: [] }));
    const unfinished = await runCli(root, ["export", "latest", "--csv"]);
    expect(unfinished.code).toBe(2);
    expect(unfinished.stderr).toContain(`${running} has not finished (its run.json has no results yet)`);
    for (const r of [none, noFormat, unknown, unfinished]) expect(r.stderr).not.toMatch(/\n\s+at /);
    for (const dir of readdirSync(join(root, "outputs", "runs")))
      expect(readdirSync(join(root, "outputs", "runs", dir)).filter((f) => f.endsWith(".csv"))).toEqual([]);
  });
});
