// RPM accuracy: N requests to a mock/ model paced at target_rpm, through the real pipeline (Piscina workers
// sharing the GCRA table). Prints target vs actual RPM and the smallest gap between two requests (a burst above
// the pace would show as a gap below 60/rpm s).
//
//   node --import tsx --conditions jury-source bench/rpm.ts [requests=60] [rpm=120] [concurrency=8]
import { rmSync } from "node:fs";
import { availableParallelism } from "node:os";
import { Writable } from "node:stream";
import { startEvals } from "../src/node.ts";
import { createFixtureProject } from "../test/support/fixture-project.ts";
import { printTable } from "./support/table.ts";

const [requests = 60, rpm = 120, concurrency = 8] = process.argv.slice(2).map(Number);
const root = createFixtureProject({
  "config/models_profiles.jsonl": JSON.stringify({
    model_id: "mock/paced",
    target_rpm: rpm,
    mock: { quality: 1, ttft_ms: 0, tokens_per_s: 0 },
  }),
  "config/judge_profiles.jsonl": JSON.stringify({ model_id: "mock/judge" }),
  "evals/rpm.eval.jsonl": Array.from({ length: requests }, (_, i) =>
    JSON.stringify({
      text_prompt: `q${i}`,
      task: { task_type: "Bench", task_criteria: "" },
      golden_answer: "a",
    }),
  ).join("\n"),
});

const sink = new Writable({ write: (_c, _e, cb) => cb() });
const { report, results: reader } = await startEvals({
  root,
  concurrency,
  reporters: [],
  stdout: sink,
  stderr: sink,
  minPassRate: 0,
});
const results = await reader.all(); // read from the run dir: before it is removed
rmSync(root, { recursive: true, force: true });

const times = results.map((r) => r.metrics?.firstRequestAt ?? Number.NaN).sort((a, b) => a - b);
const gaps = times.slice(1).map((t, i) => t - (times[i] as number));
const rate = report.summaries.rate[0];
const interval = 60_000 / rpm;
const rows: [string, string][] = [
  ["machine cores", String(availableParallelism())],
  ["requests / concurrency", `${requests} / ${concurrency}`],
  ["target RPM", String(rpm)],
  ["actual RPM ((n−1) ÷ span)", rate?.actualRpm?.toFixed(2) ?? "–"],
  ["error", rate?.actualRpm ? `${(((rate.actualRpm - rpm) / rpm) * 100).toFixed(2)}%` : "–"],
  ["pace interval", `${interval.toFixed(1)} ms`],
  ["smallest gap between requests", `${Math.min(...gaps).toFixed(1)} ms (clock resolution 1 ms)`],
  [
    "throttle events / total wait",
    `${rate?.throttleEvents} / ${((rate?.totalWaitMs ?? 0) / 1000).toFixed(1)} s`,
  ],
];
printTable(rows);
