// Raw throughput: N cases on a zero-latency mock/ model with J zero-latency mock/ judges, end to end (plan, Piscina
// workers, the jury, results file, reporters), in a child process; then the same run again under `--cpu-prof`,
// summarised to the top self-time functions and modules of the main thread (scheduling, the results file, the
// summaries and the reports) and of each worker thread (the case: model call, prompts, jury, its result), with
// the CPU time each spends per case; and the size of a result as it crosses from a worker (a structured clone) and
// as its results.jsonl line.
//
//   node --import tsx --conditions jury-source bench/throughput.ts [cases=20000] [concurrency=64] [judges=3] [reporters=default,json] [profile=1]
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { serialize } from "node:v8";
import { startEvals } from "../src/node.ts";
import { reportToParent, runBenchChild } from "./support/child.ts";
import { summariseCpuProfile } from "./support/cpu-profile.ts";
import { createMockProject } from "./support/mock-project.ts";
import { printTable, seconds } from "./support/table.ts";

const args = process.argv.slice(2);
const [cases = 20_000, concurrency = 64, judges = 3] = args.slice(0, 3).map(Number);
const reporters = (args[3] ?? "default,json").split(",").filter(Boolean);
const profile = (args[4] ?? "1") !== "0";

interface Result {
  runMs: number;
  passed: number;
  total: number;
  workers: number;
  /** Mean bytes of a result: its results.jsonl line, and its structured clone (`v8.serialize`). */
  lineBytes: number;
  cloneBytes: number;
  /** CPU time of the whole process (every thread) during the run, in ms: less swayed by a busy machine than wall. */
  cpuMs: number;
  /** Of it, the main thread's (absent off Linux). */
  mainCpuMs?: number;
}

/** CPU time of this process's main thread in ms (Linux: utime + stime of its task, in 10 ms ticks; else absent). */
function mainThreadCpuMs(): number | undefined {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, "utf8");
    // The fields after the command (which may hold spaces, inside parentheses): utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

if (process.env.BENCH_CHILD) {
  const root = createMockProject(cases, { judges });
  const sink = new Writable({ write: (_c, _e, cb) => cb() });
  const cpu0 = process.cpuUsage();
  const main0 = mainThreadCpuMs();
  const t0 = performance.now();
  const run = await startEvals({
    root,
    concurrency,
    reporters,
    stdout: sink,
    stderr: process.stderr,
    minPassRate: 0,
  });
  const runMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const main1 = mainThreadCpuMs();
  const lines = readFileSync(join(run.runDir, "results.jsonl"), "utf8").split("\n").filter(Boolean);
  const sample = lines.filter((_, i) => i % Math.max(1, Math.floor(lines.length / 1000)) === 0);
  const mean = (f: (line: string) => number) => sample.reduce((n, l) => n + f(l), 0) / sample.length;
  rmSync(root, { recursive: true, force: true });
  const s = run.report.summaries.overall;
  reportToParent({
    runMs,
    passed: s.passed,
    total: s.total,
    workers: run.report.config.run.workers,
    lineBytes: mean((l) => Buffer.byteLength(l) + 1),
    cloneBytes: mean((l) => serialize(JSON.parse(l)).length),
    cpuMs: (cpu.user + cpu.system) / 1000,
    ...(main0 === undefined || main1 === undefined ? {} : { mainCpuMs: main1 - main0 }),
  } satisfies Result);
} else {
  const childArgs = [String(cases), String(concurrency), String(judges), reporters.join(",")];
  const { result } = await runBenchChild<Result>("throughput.ts", childArgs);
  const rows: [string, string][] = [
    ["machine cores", String(availableParallelism())],
    ["cases × judges / concurrency", `${cases} × ${judges} / ${concurrency} (zero latency)`],
    ["reporters", reporters.join(", ")],
    ["workers, passed / total", `${result.workers}, ${result.passed} / ${result.total}`],
    ["wall time (startEvals)", seconds(result.runMs)],
    ["throughput", `${(cases / (result.runMs / 1000)).toFixed(0)} cases/s`],
    [
      "CPU time, all threads",
      `${seconds(result.cpuMs)}: ${((result.cpuMs * 1000) / cases).toFixed(0)} µs a case (load ${loadavg()[0]?.toFixed(1)})`,
    ],
    ...(result.mainCpuMs === undefined
      ? []
      : ([
          [
            "CPU time: main thread / the others",
            `${perCase(result.mainCpuMs)} / ${perCase(result.cpuMs - result.mainCpuMs)} µs a case (workers, GC helpers)`,
          ],
        ] as [string, string][])),
    [
      "a result: line / structured clone",
      `${result.lineBytes.toFixed(0)} B / ${result.cloneBytes.toFixed(0)} B`,
    ],
  ];
  if (profile) {
    const dir = mkdtempSync(join(tmpdir(), "jury-bench-prof-"));
    const prof = await runBenchChild<Result>("throughput.ts", childArgs, {
      nodeFlags: ["--cpu-prof", "--cpu-prof-dir", dir],
    });
    rows.push(["wall time under --cpu-prof", seconds(prof.result.runMs)]);
    // CPU.<date>.<time>.<pid>.<thread id>.<seq>.cpuprofile: thread 0 is the main thread; the worker threads are those
    // that ran cases (tsx's module-loader threads write profiles too).
    const files = readdirSync(dir).filter((f) => f.endsWith(".cpuprofile"));
    const threads = files
      .map((f) => ({ thread: Number(f.split(".")[4]), summary: summariseCpuProfile(join(dir, f), 12) }))
      .filter((t) => t.thread === 0 || t.summary.modules.some((m) => m.name === "src/runner/execute-case.ts"))
      .sort((a, b) => a.thread - b.thread);
    for (const { thread, summary: s } of threads) {
      const who = thread === 0 ? "main thread" : `worker ${thread}`;
      const perCase = `${((s.busyMs * 1000) / cases).toFixed(0)} µs per case of the run`;
      rows.push([`${who}: busy / profiled`, `${seconds(s.busyMs)} / ${seconds(s.totalMs)} (${perCase})`]);
      for (const f of s.functions)
        rows.push([`${who}: self time`, `${pct(f.share)} ${f.ms.toFixed(0).padStart(6)} ms  ${f.name}`]);
      for (const m of s.modules.slice(0, 10))
        rows.push([`${who}: by module`, `${pct(m.share)} ${m.ms.toFixed(0).padStart(6)} ms  ${m.name}`]);
    }
    rmSync(dir, { recursive: true, force: true });
  }
  printTable(rows);
}

function perCase(ms: number): string {
  return ((ms * 1000) / cases).toFixed(0);
}

function pct(share: number): string {
  return `${(share * 100).toFixed(1).padStart(5)}%`;
}
