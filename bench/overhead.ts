// Runner overhead vs the ideal: N cases on a mock/ model with fixed simulated latency, run through the real
// pipeline (Piscina workers, jury of mock judges, results file, reporters). The ideal wall time is what the model
// latency alone would take at this concurrency; ratio = ideal ÷ actual (1.0 = the runner costs nothing).
//
//   node --import tsx bench/overhead.ts [cases=2000] [concurrency=64] [ttftMs=100] [tokens=200] [tokensPerS=400] [judges=3]
import { rmSync } from "node:fs";
import { availableParallelism } from "node:os";
import { Writable } from "node:stream";
import { startEvals } from "../src/index.ts";
import { createFixtureProject } from "../test/support/fixture-project.ts";
import { printTable } from "./support/table.ts";

const [cases = 2000, concurrency = 64, ttftMs = 100, tokens = 200, tokensPerS = 400, judges = 3] =
  process.argv.slice(2).map(Number);

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

// The mock's stream: first token after ttft, then chunks of round(rate × 25 ms) tokens, 25 ms apart.
const perChunk = tokensPerS > 0 ? Math.max(1, Math.round((tokensPerS * 25) / 1000)) : tokens;
const streamMs =
  ttftMs + (tokensPerS > 0 ? (Math.ceil(tokens / perChunk) - 1) * ((perChunk / tokensPerS) * 1000) : 0);
const idealMs = Math.ceil(cases / concurrency) * streamMs;

const sink = new Writable({ write: (_c, _e, cb) => cb() });
const t0 = performance.now();
const run = await startEvals({
  root,
  concurrency,
  reporters: ["json"],
  stdout: sink,
  stderr: process.stderr,
});
const actualMs = performance.now() - t0;
rmSync(root, { recursive: true, force: true });

const s = run.report.summaries.overall;
const rows: [string, string][] = [
  ["machine cores", String(availableParallelism())],
  ["cases × judges", `${cases} × ${judges}`],
  ["concurrency / workers", `${concurrency} / ${run.report.config.run.workers}`],
  [
    "simulated latency per case",
    `${streamMs.toFixed(0)} ms (TTFT ${ttftMs} ms, ${tokens} tokens at ${tokensPerS}/s)`,
  ],
  ["cases passed / total", `${s.passed} / ${s.total}`],
  ["ideal wall time", `${(idealMs / 1000).toFixed(2)} s`],
  ["actual wall time (startEvals, incl. startup)", `${(actualMs / 1000).toFixed(2)} s`],
  ["throughput", `${(cases / (actualMs / 1000)).toFixed(1)} cases/s`],
  ["ratio ideal ÷ actual", (idealMs / actualMs).toFixed(3)],
];
printTable(rows);
