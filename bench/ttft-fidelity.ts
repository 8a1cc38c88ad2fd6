// TTFT fidelity under load: N cases at concurrency C against the local simulator with an injected TTFT,
// through the real pipeline (Piscina workers, the real OpenAI SDK). Error = measured TTFT − injected TTFT.
//
//   node --import tsx --conditions source bench/ttft-fidelity.ts [cases=500] [concurrency=32] [ttftMs=200]
import { rmSync } from "node:fs";
import { availableParallelism } from "node:os";
import { Writable } from "node:stream";
import { percentile, startEvals } from "../src/index.ts";
import { startSimulator } from "../src/simulator/server.ts";
import { createFixtureProject } from "../test/support/fixture-project.ts";
import { printTable } from "./support/table.ts";

const [cases = 500, concurrency = 32, ttftMs = 200] = process.argv.slice(2).map(Number);
// SIM_URL: use a simulator in another process (`evals simulate --ttft-ms …`) instead of one in this process.
const sim = process.env.SIM_URL
  ? { url: process.env.SIM_URL, close: async () => {} }
  : await startSimulator({ ttftMs, tokensPerS: 400, seed: "bench" });
process.env.OPENAI_API_KEY ??= "sk-bench-not-a-real-key";

const root = createFixtureProject({
  "config/models_profiles.jsonl": JSON.stringify({
    model_id: "openai-compatible/sim",
    base_url: `${sim.url}/v1`,
  }),
  "config/judge_profiles.jsonl": JSON.stringify({ model_id: "mock/judge" }),
  "evals/ttft.eval.jsonl": Array.from({ length: cases }, (_, i) =>
    JSON.stringify({
      text_prompt: `Tell me about item ${i} in twenty words.`,
      expected_output_tokens: 40,
      task: { task_type: "Bench", task_criteria: "" },
      golden_answer: "x",
    }),
  ).join("\n"),
});

const sink = new Writable({ write: (_c, _e, cb) => cb() });
const t0 = performance.now();
const { report } = await startEvals({
  root,
  concurrency,
  reporters: [],
  // NO_THREADS=1: run cases in this thread, to tell worker effects from runner ones.
  ...(process.env.NO_THREADS ? { threads: false } : {}),
  stdout: sink,
  stderr: process.stderr,
  minPassRate: 0,
});
const wall = performance.now() - t0;
await sim.close();
rmSync(root, { recursive: true, force: true });

const errors = report.results
  .map((r) => r.metrics?.ttftMs)
  .filter((x): x is number => x !== undefined)
  .map((t) => t - ttftMs)
  .sort((a, b) => a - b);
const f = (x: number | undefined) => (x === undefined ? "–" : `${x.toFixed(2)} ms`);
const rows: [string, string][] = [
  ["machine cores", String(availableParallelism())],
  ["cases / concurrency", `${cases} / ${concurrency}`],
  ["injected TTFT", `${ttftMs} ms`],
  ["cases measured", `${errors.length} (errored: ${report.summaries.overall.errored})`],
  ["TTFT error p50", f(percentile(errors, 50))],
  ["TTFT error p90", f(percentile(errors, 90))],
  ["TTFT error p95", f(percentile(errors, 95))],
  ["TTFT error p99", f(percentile(errors, 99))],
  ["TTFT error max", f(errors.at(-1))],
  ["cases off by > 10 ms", String(errors.filter((e) => e > 10).length)],
  ["wall time", `${(wall / 1000).toFixed(2)} s`],
];
printTable(rows);
