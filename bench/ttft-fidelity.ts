// TTFT fidelity under load: N cases at concurrency C against the local simulator with an injected TTFT,
// through the real pipeline (Piscina workers, the real OpenAI SDK).
// Two errors per case: measured − injected TTFT (includes the simulator's own timer lateness), and measured − the
// TTFT the simulator actually served (its first content chunk written − the request's arrival): the runner's
// measurement error proper. The simulator runs in a process of its own, like a real server
// (SIM_INPROCESS=1 runs it in this process instead, sharing the runner's event loop).
// WORKERS=n sets the worker threads (default min(4, cores)). BY_WAVE=1 also prints each case's error vs served TTFT in start order, one line per `concurrency` cases.
//
//   node --import tsx --conditions source bench/ttft-fidelity.ts [cases=500] [concurrency=32] [ttftMs=200]
import { rmSync } from "node:fs";
import { availableParallelism } from "node:os";
import { Writable } from "node:stream";
import { percentile, scenarioRef, startEvals } from "../src/node.ts";
import { startSimulator } from "../src/simulator/server.ts";
import { createFixtureProject } from "../test/support/fixture-project.ts";
import { spawnSimulator } from "./support/spawn-simulator.ts";
import { printTable } from "./support/table.ts";

const [cases = 500, concurrency = 32, ttftMs = 200] = process.argv.slice(2).map(Number);
// SIM_URL: use a simulator in another process (`evals simulate --ttft-ms …`) instead of one in this process.
const simOptions = { ttftMs, tokensPerS: 400, seed: "bench", recordTtft: true };
const sim = process.env.SIM_INPROCESS
  ? await (async () => {
      const s = await startSimulator(simOptions);
      return { ...s, stats: async () => s.stats };
    })()
  : await spawnSimulator(simOptions);
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
const { report, results: reader } = await startEvals({
  root,
  concurrency,
  ...(process.env.WORKERS ? { workers: Number(process.env.WORKERS) } : {}),
  reporters: [],
  // NO_THREADS=1: run cases in this thread, to tell worker effects from runner ones.
  ...(process.env.NO_THREADS ? { threads: false } : {}),
  stdout: sink,
  stderr: process.stderr,
  minPassRate: 0,
});
const wall = performance.now() - t0;
const served = (await sim.stats()).servedTtftMs ?? {};
await sim.close();
const results = await reader.all(); // read from the run dir: before it is removed
rmSync(root, { recursive: true, force: true });

const recordById = new Map(report.cases.map((c) => [c.id, c]));
const vsInjected: number[] = [];
const vsServed: number[] = [];
for (const r of results) {
  const measured = r.metrics?.ttftMs;
  const rec = recordById.get(r.caseId);
  if (measured === undefined || !rec) continue;
  vsInjected.push(measured - ttftMs);
  const prompt = report.scenarios?.[scenarioRef(rec)]?.prompt;
  const truth = prompt === undefined ? undefined : served[prompt];
  if (truth !== undefined) vsServed.push(measured - truth);
}
if (process.env.BY_WAVE) {
  const order = results
    .map((r) => ({ r, rec: recordById.get(r.caseId) }))
    .filter((x) => x.r.metrics?.ttftMs !== undefined && x.rec)
    .sort((a, b) => String(a.r.metrics?.startedAt).localeCompare(String(b.r.metrics?.startedAt)));
  const errs = order.map(({ r, rec }) => {
    const prompt = report.scenarios?.[scenarioRef(rec as NonNullable<typeof rec>)]?.prompt ?? "";
    return ((r.metrics?.ttftMs ?? 0) - (served[prompt] ?? Number.NaN)).toFixed(1);
  });
  for (let i = 0; i < errs.length; i += concurrency) console.log(i, errs.slice(i, i + 32).join(" "));
}
vsInjected.sort((a, b) => a - b);
vsServed.sort((a, b) => a - b);
const f = (x: number | undefined) => (x === undefined ? "–" : `${x.toFixed(2)} ms`);
const cols = (a: string, b: string) => `${a.padStart(16)}  ${b.padStart(18)}`;
const both = (label: string, pick: (xs: number[]) => number | undefined, fmt = f): [string, string] => [
  label,
  cols(fmt(pick(vsServed)), fmt(pick(vsInjected))),
];
printTable([
  ["machine cores", String(availableParallelism())],
  ["cases / concurrency", `${cases} / ${concurrency}`],
  ["injected TTFT", `${ttftMs} ms`],
  ["simulator", process.env.SIM_INPROCESS ? "in this process" : "own process"],
  ["cases measured", `${vsInjected.length} (errored: ${report.summaries.overall.errored})`],
  ["TTFT error", cols("vs served TTFT", "vs injected TTFT")],
  both("p50", (xs) => percentile(xs, 50)),
  both("p90", (xs) => percentile(xs, 90)),
  both("p99", (xs) => percentile(xs, 99)),
  both("max", (xs) => xs.at(-1)),
  both("cases off by > 5 ms", (xs) => xs.filter((e) => Math.abs(e) > 5).length, String),
  ["wall time", `${(wall / 1000).toFixed(2)} s`],
]);
