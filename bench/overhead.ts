// Runner overhead vs the ideal: N cases × J judges with fixed model latency, through the real pipeline (Piscina
// workers, the jury, results file, reporters), in two modes:
//   sim  — an OpenAI-compatible model and judges with `base_url` at the local simulator (in a process of its own,
//          like a real server: in this one its timers would share the runner's main thread), called
//          with the real OpenAI SDK: TTFT ttftMs, then `tokens` tokens at tokensPerS (the judges' replies stream
//          at the same rate).
//   mock — a mock/ model with the same simulated latency and zero-latency mock/ judges (no HTTP at all).
// The ideal wall time is what the model latency alone takes at this concurrency: ⌈cases ÷ concurrency⌉ waves of
// one case's latency (response, then the judges in parallel). Ratio = ideal ÷ actual (1.0 = the runner costs
// nothing). Actual = startEvals() from call to return (plan, workers' start-up, reports included).
//
//   node --import tsx --conditions jury-source bench/overhead.ts [cases=2000] [concurrency=64] [ttftMs=100] [tokens=200] [tokensPerS=400] [judges=3] [mode=both|sim|mock]
import { rmSync } from "node:fs";
import { availableParallelism } from "node:os";
import { Writable } from "node:stream";
import type { startEvals as StartEvals } from "../src/node.ts";
import { createFixtureProject } from "../test/support/fixture-project.ts";
import { builtOrSource } from "./support/built.ts";
import { simScenarios } from "./support/sim-scenarios.ts";
import { spawnSimulator } from "./support/spawn-simulator.ts";
import { printTable, seconds } from "./support/table.ts";

// The built runner (dist/, what `npx evals` runs) when it is up to date, else the sources through tsx — whose
// worker threads compile TypeScript as they start, a cost users of the package never pay.
const { startEvals, label: runnerLabel } = await builtOrSource<{ startEvals: typeof StartEvals }>("src/node");
const args = process.argv.slice(2);
const [cases = 2000, concurrency = 64, ttftMs = 100, tokens = 200, tokensPerS = 400, judges = 3] = args
  .slice(0, 6)
  .map(Number);
const mode = args[6] ?? "both";
if (!["both", "sim", "mock"].includes(mode)) throw new Error(`mode must be both, sim or mock (got ${mode})`);

// The simulator's and the mock's stream: first token after ttft, then chunks of round(rate × 25 ms) tokens, 25 ms
// apart.
const perChunk =
  tokensPerS > 0 ? Math.max(1, Math.round((tokensPerS * 25) / 1000)) : Number.POSITIVE_INFINITY;
const latencyMs = (n: number) =>
  ttftMs + (tokensPerS > 0 ? (Math.ceil(n / perChunk) - 1) * ((perChunk / tokensPerS) * 1000) : 0);
const waves = Math.ceil(cases / concurrency);
const sink = new Writable({ write: (_c, _e, cb) => cb() });

interface Outcome {
  caseMs: number;
  detail: string;
  actualMs: number;
  /** From the call to the first case's start (config, plan, threads), and from the last result to the return. */
  beforeMs: number;
  afterMs: number;
  passed: number;
  total: number;
  workers: number;
}

/** When the first case started and the last result came, to tell the runner's fixed costs from per-case ones. */
const phases = {
  t0: 0,
  first: 0,
  last: 0,
  onCaseStart() {
    phases.first ||= performance.now();
  },
  onCaseResult() {
    phases.last = performance.now();
  },
};

async function timedRun(root: string): Promise<Omit<Outcome, "caseMs" | "detail">> {
  const t0 = performance.now();
  phases.first = 0;
  const run = await startEvals({
    root,
    concurrency,
    reporters: ["json"],
    stdout: sink,
    stderr: process.stderr,
    minPassRate: 0,
    preflight: false,
    reporterInstances: [phases],
  });
  const end = performance.now();
  rmSync(root, { recursive: true, force: true });
  const s = run.report.summaries.overall;
  return {
    actualMs: end - t0,
    beforeMs: phases.first - t0,
    afterMs: end - phases.last,
    passed: s.passed,
    total: s.total,
    workers: run.report.config.run.workers,
  };
}

async function simRun(): Promise<Outcome> {
  const sim = await spawnSimulator({ ttftMs, tokensPerS, seed: "bench" });
  process.env.OPENAI_API_KEY ??= "sk-bench-not-a-real-key";
  const { cases: scenarios, answerTokens, verdictTokens } = simScenarios(cases, tokens);
  const root = createFixtureProject({
    "config/models_profiles.jsonl": JSON.stringify({
      model_id: "openai-compatible/sim",
      base_url: `${sim.url}/v1`,
    }),
    "config/judge_profiles.jsonl": Array.from({ length: judges }, (_, i) =>
      JSON.stringify({ model_id: `openai-compatible/judge-${i}`, base_url: `${sim.url}/v1` }),
    ).join("\n"),
    "evals/bench.eval.jsonl": scenarios
      .map(({ prompt, answer }) => {
        return JSON.stringify({
          text_prompt: prompt,
          expected_output_tokens: tokens,
          task: { task_type: "Bench", task_criteria: "" },
          golden_answer: answer,
        });
      })
      .join("\n"),
  });
  try {
    const run = await timedRun(root);
    const caseMs = latencyMs(answerTokens) + latencyMs(verdictTokens);
    return {
      ...run,
      caseMs,
      detail: `${caseMs.toFixed(0)} ms (response ${answerTokens} tokens ${latencyMs(answerTokens).toFixed(0)} ms + judges' ${verdictTokens} tokens ${latencyMs(verdictTokens).toFixed(0)} ms)`,
    };
  } finally {
    await sim.close();
  }
}

async function mockRun(): Promise<Outcome> {
  const golden = Array.from({ length: tokens }, (_, i) => `word${i}`).join(" ");
  const root = createFixtureProject({
    "config/models_profiles.jsonl": JSON.stringify({
      model_id: "mock/bench",
      mock: { quality: 1, ttft_ms: ttftMs, tokens_per_s: tokensPerS },
    }),
    "config/judge_profiles.jsonl": Array.from({ length: judges }, (_, i) =>
      JSON.stringify({ model_id: `mock/judge-${i}` }),
    ).join("\n"),
    "evals/bench.eval.jsonl": Array.from({ length: cases }, (_, i) =>
      JSON.stringify({
        text_prompt: `question ${i}`,
        task: { task_type: "Bench", task_criteria: "" },
        golden_answer: golden,
      }),
    ).join("\n"),
  });
  const run = await timedRun(root);
  const caseMs = latencyMs(tokens);
  return { ...run, caseMs, detail: `${caseMs.toFixed(0)} ms (response; mock judges answer at once)` };
}

const modes = mode === "both" ? (["sim", "mock"] as const) : ([mode] as ["sim" | "mock"]);
const outcomes: [string, Outcome][] = [];
for (const m of modes) outcomes.push([m, m === "sim" ? await simRun() : await mockRun()]);

const rows: [string, string][] = [
  ["machine cores", String(availableParallelism())],
  ["runner", runnerLabel],
  ["cases × judges / concurrency", `${cases} × ${judges} / ${concurrency}`],
  ["latency profile", `TTFT ${ttftMs} ms, ${tokens} tokens at ${tokensPerS} tok/s`],
];
for (const [m, o] of outcomes) {
  const idealMs = waves * o.caseMs;
  const label = m === "sim" ? "simulator (OpenAI SDK)" : "mock/ model";
  rows.push(
    [`${label}: latency per case`, o.detail],
    [`${label}: workers, passed / total`, `${o.workers}, ${o.passed} / ${o.total}`],
    [`${label}: ideal / actual wall time`, `${seconds(idealMs)} / ${seconds(o.actualMs)}`],
    [
      `${label}: before the first case / after the last`,
      `${seconds(o.beforeMs)} / ${seconds(o.afterMs)} (config, plan, threads / summaries, reports)`,
    ],
    [`${label}: throughput`, `${(cases / (o.actualMs / 1000)).toFixed(1)} cases/s`],
    [`${label}: ratio ideal ÷ actual`, (idealMs / o.actualMs).toFixed(3)],
  );
}
printTable(rows);
