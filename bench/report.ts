// The HTML report over a history of runs: R runs × N cases on zero-latency mock/ models, then the time to build
// one report across all of them (as `evals report --all` does) and its size.
//
//   node --import tsx --conditions jury-source bench/report.ts [runs=10] [cases=2000]
import { rmSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { buildHtmlReport, readLibraries } from "../reporters/html/index.ts";
import { startEvals } from "../src/node.ts";
import { buildRunReport } from "../src/runner/run-report.ts";
import { historyOf, listRuns } from "../src/store/history.ts";
import { createMockProject } from "./support/mock-project.ts";
import { printTable } from "./support/table.ts";

const [runs = 10, cases = 2000] = process.argv.slice(2).map(Number);
const root = createMockProject(cases / 2, { models: [{ quality: 0.9 }, { quality: 0.6 }] });
const sink = new Writable({ write: (_c, _e, cb) => cb() });
for (let i = 0; i < runs; i++)
  await startEvals({ root, concurrency: 64, reporters: [], stdout: sink, stderr: sink, minPassRate: 0 });

const t0 = performance.now();
const history = historyOf(listRuns(join(root, "outputs")));
const newest = history.runs.at(-1);
if (!newest) throw new Error("no runs");
const report = buildRunReport({
  runId: "history",
  status: "completed",
  startedAt: newest.startedAt,
  durationMs: 0,
  simulated: true,
  config: newest.config,
  cases: history.cases,
  results: history.results,
  warnings: [],
});
const t1 = performance.now();
const html = buildHtmlReport(report, await readLibraries());
const t2 = performance.now();
rmSync(root, { recursive: true, force: true });

printTable([
  ["machine cores", String(availableParallelism())],
  ["runs × cases", `${runs} × ${cases} = ${history.results.length} results`],
  ["read runs + summaries (bootstrap, agreement)", `${((t1 - t0) / 1000).toFixed(2)} s`],
  ["build HTML", `${((t2 - t1) / 1000).toFixed(2)} s`],
  ["report size", `${(Buffer.byteLength(html) / 1e6).toFixed(1)} MB`],
]);
