// Runs' results on disk, as tests of interrupted runs read them while the run goes on or after it.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { vi } from "vitest";
import type { CaseResult } from "../../src/types.ts";
import { createFixtureProject } from "./fixture-project.ts";
import type { BuiltCli } from "./run-cli.ts";

/** `n` scenarios of an .eval.jsonl, one a line: "Question i?" → "Answer i.", a third of them Math, the rest QA. */
export const scenarios = (n: number): string =>
  Array.from({ length: n }, (_, i) =>
    JSON.stringify({
      text_prompt: `Question ${i}?`,
      task: { task_type: i % 3 ? "QA" : "Math", task_criteria: "exact" },
      golden_answer: `Answer ${i}.`,
    }),
  ).join("\n");

/**
 * A project of 60 scenarios on two mock models slow enough (200–250 ms) for a run to be interrupted midway:
 * what the kill, Ctrl-C, resume and retry-errors tests run.
 */
export function resumableProject(): string {
  const line = (o: object) => JSON.stringify(o);
  return createFixtureProject({
    "config/models_profiles.jsonl": [
      line({ model_id: "mock/a", mock: { quality: 0.8, ttft_ms: 250, tokens_per_s: 0 } }),
      line({ model_id: "mock/b", mock: { quality: 0.4, ttft_ms: 200, tokens_per_s: 0 } }),
    ].join("\n"),
    "config/judge_profiles.jsonl": [line({ model_id: "mock/j1" }), line({ model_id: "mock/j2" })].join("\n"),
    "evals/kill.eval.jsonl": scenarios(60),
  });
}

/** Lines in the newest run's results.jsonl so far (0 before the run dir exists). */
export function linesSoFar(root: string): number {
  const runs = join(root, "outputs", "runs");
  const id = existsSync(runs) ? readdirSync(runs).sort().at(-1) : undefined;
  const file = id && join(runs, id, "results.jsonl");
  if (!file || !existsSync(file)) return 0;
  return readFileSync(file, "utf8").split("\n").filter(Boolean).length;
}

/**
 * Waits until the newest run's results.jsonl holds at least `n` lines, or the CLI exits. Resolves true when the
 * lines are there (the CLI is then still running, or just finished).
 */
export async function untilLines(root: string, n: number, cli: BuiltCli, timeout = 60_000): Promise<boolean> {
  let exited = false;
  void cli.exited.then(() => {
    exited = true;
  });
  await vi.waitFor(
    () => {
      if (!exited && linesSoFar(root) < n)
        throw new Error(`waiting for ${n} results (${linesSoFar(root)} so far)`);
    },
    { timeout, interval: 10 },
  );
  return linesSoFar(root) >= n;
}

/** results.jsonl of a run: the given one, else the newest (run ids sort by time). */
export function resultsOf(root: string, runId?: string): { lines: CaseResult[]; runDir: string } {
  const runs = join(root, "outputs", "runs");
  const id = runId ?? readdirSync(runs).sort().at(-1);
  const runDir = join(runs, id as string);
  const text = readFileSync(join(runDir, "results.jsonl"), "utf8");
  return {
    lines: text
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as CaseResult),
    runDir,
  };
}
