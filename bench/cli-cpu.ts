// The CPU a built jury spends per case over HTTP, the figure that holds on a loaded machine where wall times do not:
// bench:peers' work (each case 1 streamed target call + 3 judge calls, `concurrency` cases in flight, zero latency)
// against its server in its own process, run by each given build (a repo dir with `npm run build` done) and by the
// bare fetch loop, at 10 and at `cases` cases, builds alternated in each round. Per run the CPU time of the process
// (user + sys, every thread: /usr/bin/time) and its wall time and peak RSS; per build the medians, the fixed CPU (10
// cases) and the marginal CPU per case ((CPU at `cases` − CPU at 10) ÷ (cases − 10)). Extra flags for jury's CLI
// (e.g. --workers 1) go after `--`.
//
//   node --import tsx --conditions jury-source bench/cli-cpu.ts [--rounds 3] [--cases 1000] [--concurrency 32]
//                                                                <repo dir>… [bare] [-- <jury flags>]
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { REPLY_TOKENS } from "./support/peer-server.ts";
import { API_KEY, bareTool, juryTool, type PreparedRun } from "./support/peer-tools.ts";
import { spawnPeerServer } from "./support/spawn-peer-server.ts";
import { median, printTable } from "./support/table.ts";

const { values, positionals } = parseArgs({
  options: {
    rounds: { type: "string", default: "3" },
    cases: { type: "string", default: "1000" },
    concurrency: { type: "string", default: "32" },
  },
  allowPositionals: true,
});
const dash = process.argv.indexOf("--");
const juryFlags = dash >= 0 ? process.argv.slice(dash + 1) : [];
const builds = positionals.filter((p) => !juryFlags.includes(p));
const sizes = [10, Number(values.cases)];
if (builds.length === 0 || !existsSync("/usr/bin/time")) {
  process.stderr.write(
    "usage: bench/cli-cpu.ts <repo dir with a built jury>… [bare] (needs /usr/bin/time)\n",
  );
  process.exit(2);
}

interface Run {
  cpuS: number;
  wallS: number;
  rssMb: number;
  load: number;
}

const server = await spawnPeerServer({ ttftMs: 0, tokensPerS: 0, ...REPLY_TOKENS });
const work = mkdtempSync(join(tmpdir(), "jury-bench-cli-cpu-"));
const runs = new Map<string, Run[]>(); // `${build} ${size}`
try {
  const prepared = new Map<string, PreparedRun>();
  for (const [b, build] of builds.entries())
    for (const size of sizes) {
      const dir = join(work, `${b}-${size}`);
      mkdirSync(dir);
      const tool = build === "bare" ? bareTool : juryTool(build);
      prepared.set(`${build} ${size}`, tool.prepare(dir, size, Number(values.concurrency), server.url));
    }
  for (let r = 0; r < Number(values.rounds); r++)
    for (const size of sizes)
      for (const build of builds) {
        const run = prepared.get(`${build} ${size}`) as PreparedRun;
        const load = Number(readFileSync("/proc/loadavg", "utf8").split(" ")[0]);
        const argv = [...run.argv, ...(build === "bare" ? [] : juryFlags)];
        const res = spawnSync("/usr/bin/time", ["-f", "CPU %U %S %e %M", process.execPath, ...argv], {
          cwd: run.cwd,
          env: { ...process.env, ...run.env, OPENAI_API_KEY: API_KEY },
          encoding: "utf8",
        });
        const m = /CPU (\S+) (\S+) (\S+) (\S+)\s*$/.exec(res.stderr);
        if (res.status !== 0 || !m)
          throw new Error(`${build} ${size}: exit ${res.status}\n${res.stderr.slice(-800)}`);
        const [user, sys, wall, rssKb] = m.slice(1).map(Number) as [number, number, number, number];
        const sample = { cpuS: user + sys, wallS: wall, rssMb: rssKb / 1024, load };
        runs.set(`${build} ${size}`, [...(runs.get(`${build} ${size}`) ?? []), sample]);
        process.stderr.write(
          `${build} ${size} cases: CPU ${sample.cpuS.toFixed(2)} s, wall ${wall.toFixed(2)} s, ` +
            `${sample.rssMb.toFixed(0)} MB, load ${load.toFixed(1)}\n`,
        );
      }
} finally {
  await server.close();
  rmSync(work, { recursive: true, force: true });
}

const [small, big] = sizes as [number, number];
const rows: [string, string][] = [];
for (const build of builds) {
  const at = (size: number, key: keyof Run) =>
    median((runs.get(`${build} ${size}`) ?? []).map((s) => s[key]));
  const loads = builds.flatMap((b) => sizes.flatMap((s) => (runs.get(`${b} ${s}`) ?? []).map((x) => x.load)));
  rows.push(
    [
      `${build}: CPU at ${small} / ${big} cases (medians)`,
      `${at(small, "cpuS").toFixed(2)} / ${at(big, "cpuS").toFixed(2)} s`,
    ],
    [
      `${build}: marginal CPU per case`,
      `${(((at(big, "cpuS") - at(small, "cpuS")) / (big - small)) * 1000).toFixed(2)} ms`,
    ],
    [
      `${build}: wall at ${small} / ${big} cases, peak RSS at ${big}`,
      `${at(small, "wallS").toFixed(2)} / ${at(big, "wallS").toFixed(2)} s, ${at(big, "rssMb").toFixed(0)} MB`,
    ],
    [
      `${build}: load average (1 min) over the runs`,
      `${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}`,
    ],
  );
}
printTable(rows);
