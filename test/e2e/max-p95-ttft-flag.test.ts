// issue 14's must-show: `--max-p95-ttft-ms 1` on the command line fails the gate with its own line (cac used to
// parse it as `maxP95-ttftMs`, and the flag was silently ignored). A real run of mock models, in process.
import { rmSync } from "node:fs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { startEvals } from "../../src/runner/start.ts";
import { createFixtureProject } from "../support/fixture-project.ts";
import { parseStartArgs } from "../support/parse-start-args.ts";

const line = (o: object) => JSON.stringify(o);
const FILES = {
  "config/models_profiles.jsonl": line({
    model_id: "mock/m",
    mock: { quality: 1, ttft_ms: 20, tokens_per_s: 0 },
  }),
  "config/judge_profiles.jsonl": [line({ model_id: "mock/j1" }), line({ model_id: "mock/j2" })].join("\n"),
  "evals/q.eval.jsonl": [1, 2, 3]
    .map((i) =>
      line({
        text_prompt: `Q${i}?`,
        task: { task_type: "QA", task_criteria: "c" },
        golden_answer: `The answer to question ${i} is ${i * 3}.`,
      }),
    )
    .join("\n"),
};

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** `evals <args>` in a fresh fixture project: the flags parsed as the CLI does, then the real run. */
async function evals(args: string[]) {
  const root = createFixtureProject(FILES);
  roots.push(root);
  let stdout = "";
  let stderr = "";
  const { options } = parseStartArgs(args);
  const run = await startEvals({
    ...options,
    root,
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
  });
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping ANSI colours
  const plain = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, "");
  return { ...run, stdout: plain(stdout), stderr: plain(stderr) };
}

describe("--max-p95-ttft-ms on the command line", () => {
  it("1 ms fails the gate with its own line, and the run exits 1", async () => {
    const run = await evals(["--max-p95-ttft-ms", "1"]);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/✗ max p95 TTFT: p95 TTFT \d+ ms > 1 ms/);
    expect(run.report.gate?.checks).toContainEqual(
      expect.objectContaining({ name: "max p95 TTFT", passed: false }),
    );
    // Only that gate failed: every case passed.
    expect(run.report.gate?.checks.filter((c) => !c.passed).map((c) => c.name)).toEqual(["max p95 TTFT"]);
  });

  it("a ceiling above the TTFT passes with its line", async () => {
    const run = await evals(["--max-p95-ttft-ms=60000"]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/✓ max p95 TTFT: p95 TTFT \d+ ms ≤ 60000 ms/);
  });
});

describe("evals --max-p95-ttft-ms 1 through main()", () => {
  it("fails the gate with the p95 TTFT line", async () => {
    const { main } = await import("../../src/cli/index.ts");
    const root = createFixtureProject(FILES);
    roots.push(root);
    const cwd = process.cwd();
    let out = "";
    const write = vi.spyOn(process.stdout, "write").mockImplementation((s: string | Uint8Array) => {
      out += String(s);
      return true;
    });
    process.chdir(root);
    try {
      expect(await main(["--max-p95-ttft-ms", "1"])).toBe(1);
    } finally {
      process.chdir(cwd);
      write.mockRestore();
    }
    // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping ANSI colours
    expect(out.replace(/\u001b\[[0-9;]*m/g, "")).toMatch(/✗ max p95 TTFT: p95 TTFT \d+ ms > 1 ms/);
  });
});
