// Raw throughput: N cases on a zero-latency mock/ model with J zero-latency mock/ judges, end to end (plan, Piscina
// workers, the jury, results file, reporters), in a child process; then the same run again under `--cpu-prof`,
// summarised to the top self-time functions and modules of the main thread (which does the scheduling, the
// results file, the summaries and the reports: the bottleneck at zero latency).
//
//   node --import tsx --conditions jury-source bench/throughput.ts [cases=20000] [concurrency=64] [judges=3] [reporters=default,json] [profile=1]
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
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
}

if (process.env.BENCH_CHILD) {
  const root = createMockProject(cases, { judges });
  const sink = new Writable({ write: (_c, _e, cb) => cb() });
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
  rmSync(root, { recursive: true, force: true });
  const s = run.report.summaries.overall;
  reportToParent({
    runMs,
    passed: s.passed,
    total: s.total,
    workers: run.report.config.run.workers,
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
  ];
  if (profile) {
    const dir = mkdtempSync(join(tmpdir(), "jury-bench-prof-"));
    const prof = await runBenchChild<Result>("throughput.ts", childArgs, {
      nodeFlags: ["--cpu-prof", "--cpu-prof-dir", dir],
    });
    rows.push(["wall time under --cpu-prof", seconds(prof.result.runMs)]);
    // CPU.<date>.<time>.<pid>.<thread id>.<seq>.cpuprofile: thread 0 is the main thread. Piscina terminates its
    // workers, which then write no profile (the other files are tsx's module-loader thread): the main thread only.
    const main = readdirSync(dir).filter((f) => f.endsWith(".cpuprofile") && f.split(".")[4] === "0");
    const sums = main.map((f) => summariseCpuProfile(join(dir, f), 12));
    for (const s of sums) {
      rows.push(["main thread: busy / profiled", `${seconds(s.busyMs)} / ${seconds(s.totalMs)}`]);
      for (const f of s.functions)
        rows.push(["main thread: self time", `${pct(f.share)} ${f.ms.toFixed(0).padStart(6)} ms  ${f.name}`]);
      for (const m of s.modules.slice(0, 8))
        rows.push(["main thread: by module", `${pct(m.share)} ${m.ms.toFixed(0).padStart(6)} ms  ${m.name}`]);
    }
    rmSync(dir, { recursive: true, force: true });
  }
  printTable(rows);
}

function pct(share: number): string {
  return `${(share * 100).toFixed(1).padStart(5)}%`;
}
