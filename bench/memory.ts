// Peak memory: a run of N cases on a zero-latency mock/ model with 3 mock/ judges (reporters default + json), each
// size in a child process of its own, which reports its peak RSS (`process.resourceUsage().maxRSS`: the whole
// process, worker threads included) at the end. Prints each size's peak, the ratio and the cost per extra case,
// and what the run retains: the main thread's live heap (after a forced GC) once every other reporter is done,
// minus the same before the run — the plan, the facts table and the report, without garbage. The parent writes
// each size's project (1,000,000 scenarios: ~90 MB of JSONL), so the child's peak is the run's alone. The peak is
// also read at the run's start (discovery and the plan) and at its last result (the run), so the rest is its end:
// summaries, gate, run.json and the reports. BENCH_WORKER_MEMORY_MB sets `workerMemoryMb` (the default otherwise).
//
//   node --import tsx --conditions jury-source bench/memory.ts [sizes=10000,100000] [concurrency=64] [judges=3]
//   npm run bench:memory -- 10000,100000,1000000
import { rmSync } from "node:fs";
import { availableParallelism } from "node:os";
import { Writable } from "node:stream";
import { startEvals } from "../src/node.ts";
import { live, reportToParent, runBenchChild } from "./support/child.ts";
import { createMockProject } from "./support/mock-project.ts";
import { megabytes, printTable, seconds } from "./support/table.ts";

const args = process.argv.slice(2);
const sizes = (args[0] ?? "10000,100000").split(",").map(Number);
const [concurrency = 64, judges = 3] = args.slice(1, 3).map(Number);

interface Result {
  cases: number;
  maxRssKb: number;
  baseRssKb: number;
  runMs: number;
  total: number;
  /** Live main-thread heap + array buffers after a GC: before the run, and at its end (reports written). */
  liveBefore: number;
  liveAtEnd: number;
  /** Peak RSS when the plan was made (`onRunStart`) and when the last result came in. */
  planRssKb: number;
  runRssKb: number;
}

if (process.env.BENCH_CHILD) {
  const cases = sizes[0] ?? 0;
  const root = args[3] as string;
  // What the process holds before the run (Node, tsx, the runner's modules): the peak minus this is the run's.
  const baseRssKb = process.resourceUsage().maxRSS;
  const liveBefore = live();
  let liveAtEnd = 0;
  let planRssKb = 0;
  let runRssKb = 0;
  let results = 0;
  const workerMemoryMb = Number(process.env.BENCH_WORKER_MEMORY_MB) || undefined;
  const sink = new Writable({ write: (_c, _e, cb) => cb() });
  const t0 = performance.now();
  const run = await startEvals({
    root,
    concurrency,
    reporters: ["default", "json"],
    // Last: the console and JSON reports are written by then, so the forced GC cannot lower the peak.
    ...(workerMemoryMb ? { workerMemoryMb } : {}),
    reporterInstances: [
      {
        onRunStart: () => {
          planRssKb = process.resourceUsage().maxRSS;
        },
        onCaseResult: () => {
          if (++results === cases) runRssKb = process.resourceUsage().maxRSS;
        },
        onRunEnd: () => {
          liveAtEnd = live();
        },
      },
    ],
    stdout: sink,
    stderr: process.stderr,
    minPassRate: 0,
  });
  const runMs = performance.now() - t0;
  const total = run.report.summaries.overall.total;
  reportToParent({
    cases,
    maxRssKb: process.resourceUsage().maxRSS,
    baseRssKb,
    runMs,
    total,
    liveBefore,
    liveAtEnd,
    planRssKb,
    runRssKb,
  } satisfies Result);
} else {
  const results: Result[] = [];
  for (const n of sizes) {
    const root = createMockProject(n, { judges });
    try {
      results.push(
        (
          await runBenchChild<Result>("memory.ts", [String(n), String(concurrency), String(judges), root], {
            nodeFlags: ["--expose-gc"],
          })
        ).result,
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }
  const rows: [string, string][] = [
    ["machine cores", String(availableParallelism())],
    ["judges / concurrency", `${judges} / ${concurrency} (zero latency, reporters default + json)`],
  ];
  for (const r of results) {
    rows.push([
      `peak RSS at ${r.cases.toLocaleString("en")} cases`,
      `${megabytes(r.maxRssKb)} (before the run ${megabytes(r.baseRssKb)}; run ${seconds(r.runMs)}, ${r.total} results)`,
    ]);
    rows.push([
      `  of which`,
      `${megabytes(r.planRssKb)} by the plan, ${megabytes(r.runRssKb)} by the last result, ${megabytes(r.maxRssKb)} at the end (summaries, gate, run.json, reports)`,
    ]);
    const retained = r.liveAtEnd - r.liveBefore;
    rows.push([
      `retained at ${r.cases.toLocaleString("en")} cases`,
      `${megabytes(retained / 1024)} live main-thread heap at the run's end (${Math.round(retained / r.cases)} bytes a case: plan, facts table, report)`,
    ]);
  }
  const small = results[0];
  const big = results.at(-1);
  if (small && big && big !== small) {
    for (const r of results.slice(1))
      rows.push([
        `ratio ${r.cases.toLocaleString("en")} ÷ ${small.cases.toLocaleString("en")} cases`,
        `${(r.maxRssKb / small.maxRssKb).toFixed(2)} (cases ×${(r.cases / small.cases).toFixed(0)})`,
      ]);
    rows.push([
      "peak RSS per extra case",
      `${(((big.maxRssKb - small.maxRssKb) * 1024) / (big.cases - small.cases) / 1000).toFixed(2)} KB`,
    ]);
  }
  printTable(rows);
}
