// A task that blocks, kills or exhausts its worker thread: only that case errors, the cases that shared its thread
// get their normal results, the run goes on. And an eval file that hangs or exits its worker while loading.
// Real Piscina workers, through the CLI.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { RunReportWithResults as RunReport } from "../../src/types.ts";
import { createFixtureProject } from "../support/fixture-project.ts";
import { runCli } from "../support/run-cli.ts";

const PROFILES = {
  "config/models_profiles.jsonl": '{"model_id": "mock/perfect", "mock": {"quality": 1, "ttft_ms": 1}}',
  "config/judge_profiles.jsonl": '{"model_id": "mock/judge-a"}\n{"model_id": "mock/judge-b"}',
};

/**
 * An eval whose `culprit` scenario runs `fault` once the other cases are in flight on its thread. The others,
 * on their first attempt, never settle (so they are on the thread when it goes down); run again, they answer
 * normally: a marker file says it is their second attempt. The culprit also faults at once when run again.
 */
function faultyEval(fault: string, others: number): string {
  return `
import { existsSync, writeFileSync } from "node:fs";
import { defineEval } from "jury";
const marker = (key: string) => new URL(\`./\${key}.seen\`, import.meta.url);
let started = 0;
defineEval("faults", {
  models: ["mock/perfect"],
  scenarios: [{ id: "culprit", prompt: "c" }, ${Array.from({ length: others }, (_, i) => `{ id: "ok${i}", prompt: "p${i}" }`).join(", ")}],
  task: async ({ scenario, generate }) => {
    const again = existsSync(marker(scenario.key));
    writeFileSync(marker(scenario.key), "");
    started++;
    if (scenario.key === "culprit") {
      while (!again && started < ${others + 1}) await new Promise((r) => setImmediate(r));
      ${fault}
    }
    if (!again) await new Promise(() => {});
    return generate({ prompt: scenario.prompt });
  },
});
`;
}

function report(root: string): RunReport {
  return JSON.parse(readFileSync(join(root, "outputs", "report.json"), "utf8")) as RunReport;
}

/** Each case's scenario and state, and the culprit's error message. */
function outcome(root: string) {
  const r = report(root);
  const key = new Map(r.cases.map((c) => [c.id, c.scenarioKey]));
  const states = Object.fromEntries(r.results.map((x) => [key.get(x.caseId), x.state]));
  const culprit = r.results.find((x) => key.get(x.caseId) === "culprit");
  return { status: r.status, states, message: culprit?.error?.message };
}

const ALL_BUT_CULPRIT_PASS = {
  culprit: "errored",
  ok0: "passed",
  ok1: "passed",
  ok2: "passed",
};

describe("a task that kills its worker (4 cases in flight on one thread)", () => {
  it.each([
    ["process.exit(1)", "process.exit(1);", "the worker running this case died: process.exit(1) was called"],
    [
      "an unhandled rejection",
      'void Promise.reject(new Error("lost promise")); await new Promise(() => {});',
      "the worker running this case died: uncaught error: lost promise",
    ],
    [
      "an async throw",
      'setTimeout(() => { throw new Error("async boom"); }); await new Promise(() => {});',
      "the worker running this case died: uncaught error: async boom",
    ],
  ])("%s errors only the culprit; the others run again and pass", async (_, fault, message) => {
    const root = createFixtureProject({ ...PROFILES, "evals/faults.eval.ts": faultyEval(fault, 3) });
    const res = await runCli(root, ["--reporter", "json", "--workers", "1", "--concurrency", "4"]);
    const o = outcome(root);
    expect(o.states).toEqual(ALL_BUT_CULPRIT_PASS);
    expect(o.message).toContain(message);
    expect(o.status).toBe("completed");
    expect(res.code).toBe(1);
  });
});

describe("a task that runs out of memory", () => {
  it("errors that case with the heap limit; the case that shared its thread passes", async () => {
    const hog = "const hog: number[][] = []; for (;;) hog.push(new Array(1e5).fill(Math.random()));";
    const root = createFixtureProject({ ...PROFILES, "evals/faults.eval.ts": faultyEval(hog, 1) });
    const res = await runCli(root, [
      "--reporter",
      "json",
      "--workers",
      "1",
      "--concurrency",
      "2",
      "--worker-memory",
      "96",
    ]);
    const o = outcome(root);
    expect(o.states).toEqual({ culprit: "errored", ok0: "passed" });
    expect(o.message).toBe("the task ran out of memory: worker heap limit 96 MB (--worker-memory)");
    expect(res.code).toBe(1);
  });
});

describe("a task stuck in a synchronous loop", () => {
  it("errors that case after --case-timeout, replaces its worker and runs the cases that shared it", async () => {
    const root = createFixtureProject({
      ...PROFILES,
      "evals/faults.eval.ts": `
import { defineEval } from "jury";
defineEval("faults", {
  models: ["mock/perfect"],
  scenarios: ["culprit", "ok0", "ok1", "ok2"].map((id) => ({ id, prompt: id })),
  task: async ({ scenario, generate }) => {
    if (scenario.key === "culprit") for (;;) {}
    return generate({ prompt: scenario.prompt });
  },
});
`,
    });
    // The deadline leaves a fresh thread time to import the eval file for the cases run again.
    const res = await runCli(root, [
      "--reporter",
      "json",
      "--workers",
      "1",
      "--concurrency",
      "3",
      "--case-timeout",
      "2500",
    ]);
    const o = outcome(root);
    expect(o.states).toEqual(ALL_BUT_CULPRIT_PASS);
    expect(o.message).toBe(
      "the case timed out after 2500 ms and its worker was not responding (a synchronous loop?); the worker was replaced",
    );
    expect(o.status).toBe("completed");
    expect(res.code).toBe(1);
  });
});

describe("an eval file that hangs or exits while loading", () => {
  const LOOP = 'import { defineEval } from "jury";\nfor (;;) {}\ndefineEval("never", { scenarios: [] });\n';
  const EXIT =
    'import { defineEval } from "jury";\nprocess.exit(0);\ndefineEval("never", { scenarios: [] });\n';

  it.each([["run", []] as const, ["validate", ["validate"]] as const])(
    "evals %s: file: message, exit 2, no stack trace",
    async (_, argv) => {
      const root = createFixtureProject({
        ...PROFILES,
        "evals/loop.eval.ts": LOOP,
        "evals/exit.eval.ts": EXIT,
      });
      // Long enough for the file that exits to be compiled and loaded on a loaded CI machine (esbuild starts in the
      // worker): the looping one waits it out, so it is the test's floor.
      const res = await runCli(root, [...argv], { EVALS_COLLECT_TIMEOUT_MS: "8000" });
      // `evals validate` prints its findings on stdout, a run its input errors on stderr.
      const out = res.stdout + res.stderr;
      expect(res.code).toBe(2);
      expect(out).toContain(
        "evals/loop.eval.ts: loading did not finish within 8 s (an infinite loop at the top of the file?)",
      );
      expect(out).toContain("evals/exit.eval.ts: the file called process.exit(0) while loading");
      expect(out).not.toMatch(/\n\s+at /);
      expect(existsSync(join(root, "outputs"))).toBe(false);
    },
  );
});
