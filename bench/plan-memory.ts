// What planning holds: resolve, discover, load and plan N mock/ scenarios (one `.eval.jsonl`, 3 mock judges) as a run
// does before any worker starts, each size in a child process of its own. Prints the peak RSS of planning, the live
// main-thread heap after a forced GC with the plan held (minus the same before), per case, and the time taken;
// then reads every case's record once, and every task's scenario once, as a run does.
//
//   node --import tsx --conditions jury-source bench/plan-memory.ts [sizes=100000,1000000]
//   npm run bench:plan -- 1000000
import { rmSync } from "node:fs";
import { prepareRun } from "../src/runner/prepare.ts";
import { live, reportToParent, runBenchChild } from "./support/child.ts";
import { createMockProject } from "./support/mock-project.ts";
import { megabytes, printTable, seconds } from "./support/table.ts";

const args = process.argv.slice(2);
const sizes = (args[0] ?? "100000,1000000").split(",").map(Number);

interface Result {
  cases: number;
  baseRssKb: number;
  maxRssKb: number;
  planMs: number;
  liveBefore: number;
  livePlanned: number;
  readMs: number;
  maxRssAfterReadKb: number;
}

if (process.env.BENCH_CHILD) {
  const cases = sizes[0] ?? 0;
  const root = args[1] as string;
  const baseRssKb = process.resourceUsage().maxRSS;
  const liveBefore = live();
  const t0 = performance.now();
  const prepared = await prepareRun({ root });
  const planMs = performance.now() - t0;
  const maxRssKb = process.resourceUsage().maxRSS;
  const livePlanned = live();
  const t1 = performance.now();
  let bytes = 0;
  for (const c of prepared.plan.cases) bytes += c.record.id.length + c.task.scenario.prompt.length;
  const readMs = performance.now() - t1;
  if (bytes === 0) throw new Error("no case read");
  await prepared.close();
  reportToParent({
    cases,
    baseRssKb,
    maxRssKb,
    planMs,
    liveBefore,
    livePlanned,
    readMs,
    maxRssAfterReadKb: process.resourceUsage().maxRSS,
  } satisfies Result);
} else {
  const rows: [string, string][] = [];
  for (const n of sizes) {
    const root = createMockProject(n, { judges: 3 });
    try {
      const r = (
        await runBenchChild<Result>("plan-memory.ts", [String(n), root], { nodeFlags: ["--expose-gc"] })
      ).result;
      const held = r.livePlanned - r.liveBefore;
      rows.push(
        [
          `planning ${n.toLocaleString("en")} cases`,
          `peak RSS ${megabytes(r.maxRssKb)} (before ${megabytes(r.baseRssKb)}), ${seconds(r.planMs)}`,
        ],
        [
          `held after planning`,
          `${megabytes(held / 1024)} live main-thread heap (${Math.round(held / n)} bytes a case)`,
        ],
        [
          `every record and scenario read once`,
          `${seconds(r.readMs)} (peak RSS then ${megabytes(r.maxRssAfterReadKb)})`,
        ],
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }
  printTable(rows);
}
