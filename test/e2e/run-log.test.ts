// Issue 18 point 7: every run writes a log in its run dir, as the seed's logs/360-benchmark-<ts>-<name>.log —
// timestamped lines, the options, a line per finished case, warnings and errors, a summary; on disk as it goes.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createFixtureProject } from "../support/fixture-project.ts";
import { diskFullFor } from "../support/full-disk.ts";
import { runCli, startBuiltCli } from "../support/run-cli.ts";
import { untilLines } from "../support/run-results.ts";

const line = (o: object) => JSON.stringify(o);
const LINE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z - (INFO|WARNING|ERROR) - \S/;
const SECRET = "sk-live-0123456789abcdef";

const project = (n: number, ttftMs = 0) =>
  createFixtureProject({
    "config/models_profiles.jsonl": [
      line({ model_id: "mock/good", mock: { quality: 1, ttft_ms: ttftMs, tokens_per_s: 0 } }),
      line({ model_id: "mock/down", mock: { error_rate: 1, ttft_ms: 0, tokens_per_s: 0 } }),
    ].join("\n"),
    "config/judge_profiles.jsonl": line({ model_id: "mock/j" }),
    "evals/q.eval.jsonl": Array.from({ length: n }, (_, i) =>
      line({
        // A scenario id with a terminal escape: the log shows it, never carries it.
        id: i === 0 ? "s0\u001b]0;pwned\u0007" : `s${i}`,
        text_prompt: `Q${i}`,
        task: { task_type: "T", task_criteria: "c" },
        golden_answer: `Answer ${i}.`,
      }),
    ).join("\n"),
  });

const logOf = (root: string) => {
  const runs = join(root, "outputs", "runs");
  const runId = readdirSync(runs)[0] as string;
  const logs = readdirSync(join(runs, runId)).filter((f) => f.endsWith(".log"));
  return { runId, logs, text: logs[0] ? readFileSync(join(runs, runId, logs[0]), "utf8") : "" };
};

describe("the run log", () => {
  it("360-benchmark-<runId>-<name>.log: options, a line per case (errors as ERROR), the summary; no secret, no escape", async () => {
    const root = project(3);
    const res = await runCli(root, ["--min-pass-rate", "0", "--name", "Nightly run", "--threshold", "4"], {
      OPENAI_API_KEY: SECRET,
    });
    expect(res.code).toBe(0);
    const { runId, logs, text } = logOf(root);
    expect(logs).toEqual([`360-benchmark-${runId}-Nightly-run.log`]);
    const lines = text.split("\n");
    expect(lines.pop()).toBe("");
    for (const l of lines) expect(l).toMatch(LINE);
    expect(lines[0]).toContain(`INFO - Starting run ${runId} "Nightly run": 6 cases; options {`);
    expect(lines[0]).toContain('"threshold":4');
    expect(lines[1]).toContain('Settings {"models":["mock/good","mock/down"],"judges":["mock/j"]');
    const cases = lines.filter((l) => / - Case [0-9a-f]+ /.test(l));
    expect(cases).toHaveLength(6);
    expect(cases.filter((l) => l.includes(" - INFO - ") && l.includes(" passed: "))).toHaveLength(3);
    const errors = cases.filter((l) => l.includes(" - ERROR - "));
    expect(errors).toHaveLength(3);
    for (const l of errors)
      expect(l).toMatch(/ errored: q › s\d.* › mock\/down \(evals\/q\.eval\.jsonl:\d\) .*; api_failure: /);
    expect(text).toContain("q › s0␛]0;pwned␇ › mock/good");
    // No control character but the line ends.
    expect([...text].filter((ch) => ch !== "\n" && (ch < " " || ch === "\u007f"))).toEqual([]);
    expect(text).not.toContain(SECRET);
    expect(lines.at(-1)).toMatch(
      new RegExp(
        `- WARNING - Run ${runId} completed in [\\d.]+ s: 6 cases, 3 passed, 0 failed, 3 errored, 0 skipped; cost \\$`,
      ),
    );
  });

  it("is on disk as the run goes: a run killed with SIGKILL keeps its start line and the cases finished so far", async () => {
    const root = project(30, 150);
    const cli = startBuiltCli(root, ["--min-pass-rate", "0", "--concurrency", "2"]);
    expect(await untilLines(root, 6, cli)).toBe(true);
    cli.child.kill("SIGKILL");
    await cli.exited;
    const { text } = logOf(root);
    const lines = text.split("\n");
    expect(lines.pop()).toBe("");
    for (const l of lines) expect(l).toMatch(LINE);
    expect(lines[0]).toContain("Starting run");
    // Each result is logged after it is recorded: the lines of results.jsonl at the kill, at most one less.
    expect(lines.filter((l) => l.includes(" - Case ")).length).toBeGreaterThanOrEqual(5);
    expect(text).not.toContain(" completed in ");
  });

  it("ends with what stopped the run: results.jsonl on a full disk is the last line, an ERROR", async () => {
    const root = project(4);
    // results.jsonl is full from its first result on; the log (a plain append, no disk fault here) is not.
    const restore = diskFullFor((path) => path.endsWith("results.jsonl"));
    let res: Awaited<ReturnType<typeof runCli>>;
    try {
      res = await runCli(root, ["--min-pass-rate", "0"]);
    } finally {
      restore();
    }
    expect(res.code).toBe(2);
    const { runId, text } = logOf(root);
    const lines = text.trimEnd().split("\n");
    expect(lines[0]).toContain("Starting run");
    expect(lines.at(-1)).toMatch(
      new RegExp(
        `- ERROR - Run ${runId} stopped: OutputWriteError: \\S*results\\.jsonl: the disk is full \\(ENOSPC\\)`,
      ),
    );
  });
});
