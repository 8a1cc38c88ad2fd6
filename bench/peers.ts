// jury side by side with promptfoo and evalite, and with the physical limit (a bare fetch loop), on identical work
// against one OpenAI-compatible server none of them wrote (bench/support/peer-server.ts, its own process):
// `cases` scenarios, each 1 streamed target call and then 3 judge calls, `concurrency` cases in flight.
// Each tool runs as its own process (jury: the built CLI, `npm run build` first); per run the bench measures wall
// time (spawn to exit), peak RSS of the whole process tree (VmRSS of the process and every descendant summed,
// sampled every 50 ms), the load average at start and end, the server's call counts (target / judge / access
// check, streamed or not) and the cases passed. Rounds are interleaved, tool order rotated each round. Modes:
//   zero — every reply at once;
//   ttft — 200 ms to the first token, then 100 tokens/s (targets 50 tokens, judges 25), where the ideal wall time is
//          ceil(cases / concurrency) waves × (target stream time + judge time).
// promptfoo and evalite are installed with `npm install --prefix` into a cache dir under the OS temp dir (kept,
// keyed by versions; never dependencies); a tool whose install fails (registry unreachable) is skipped, said so.
// BENCH_VERBOSE=1 passes every tool's output through (to stderr).
//
//   npm run bench:peers -- [--tools jury,promptfoo,evalite,bare] [--modes zero,ttft] [--sizes 1000[,10000]]
//                          [--rounds 3] [--concurrency 32] [--jury <repo dir with a built jury>]
// e.g. one quick round of jury against the bare loop: npm run bench:peers -- --tools jury,bare --modes zero --rounds 1
import { type ChildProcess, execSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { REPO } from "./support/built.ts";
import { outputOf } from "./support/child.ts";
import { PEERS_CACHE } from "./support/npm-prefix.ts";
import { type PeerServerStats, type PeerServerTiming, REPLY_TOKENS } from "./support/peer-server.ts";
import {
  API_KEY,
  bareTool,
  evaliteTool,
  JUDGES,
  juryTool,
  type PeerTool,
  type PreparedRun,
  promptfooTool,
  type Unavailable,
} from "./support/peer-tools.ts";
import { spawnPeerServer } from "./support/spawn-peer-server.ts";
import { median, megabytes, printTable, seconds } from "./support/table.ts";
import { sampleTreeRss } from "./support/tree-rss.ts";

const { values: args } = parseArgs({
  options: {
    tools: { type: "string", default: "jury,promptfoo,evalite,bare" },
    modes: { type: "string", default: "zero,ttft" },
    sizes: { type: "string", default: "1000" },
    rounds: { type: "string", default: "3" },
    concurrency: { type: "string", default: "32" },
    jury: { type: "string", default: REPO },
  },
});
const list = (s: string) => s.split(",").filter(Boolean);
const sizes = list(args.sizes).map(Number);
const rounds = Number(args.rounds);
const concurrency = Number(args.concurrency);
const MODES: Record<string, { label: string; timing: PeerServerTiming }> = {
  zero: {
    label: "zero added latency",
    timing: { ttftMs: 0, tokensPerS: 0, ...REPLY_TOKENS },
  },
  ttft: {
    label: "200 ms TTFT + 100 tok/s",
    timing: { ttftMs: 200, tokensPerS: 100, ...REPLY_TOKENS },
  },
};
const modes = list(args.modes).map((m) => {
  const mode = MODES[m];
  if (!mode) throw new Error(`unknown mode ${m}: zero or ttft`);
  return { name: m, ...mode };
});

if (!existsSync(join(args.jury, "dist/src/cli/index.js")))
  throw new Error(
    `${args.jury} has no dist/: run npm run build there first (the bench runs jury's built CLI)`,
  );
const skipped: Unavailable[] = [];
const tools: PeerTool[] = [];
for (const name of list(args.tools)) {
  const tool =
    name === "jury"
      ? juryTool(args.jury)
      : name === "bare"
        ? bareTool
        : name === "promptfoo"
          ? promptfooTool()
          : name === "evalite"
            ? evaliteTool()
            : { name, reason: "unknown tool (jury, promptfoo, evalite, bare)" };
  if ("prepare" in tool) tools.push(tool);
  else {
    skipped.push(tool);
    process.stderr.write(`bench: skipping ${tool.name}: ${tool.reason}\n`);
  }
}

interface Sample {
  wallMs: number;
  peakKb: number;
  load: [number, number];
  calls: PeerServerStats;
  passed: number;
  summary: string;
}

const server = await spawnPeerServer(MODES.zero?.timing as PeerServerTiming);
const work = mkdtempSync(join(tmpdir(), "jury-bench-peers-run-"));
const results = new Map<string, Sample[]>(); // `${size} ${mode} ${tool}`
const loadStart = loadavg();
const invalid: string[] = [];
/** `${size} ${mode} ${row} ${tool}` → a cell of the Markdown table. */
const markdown = new Map<string, string>();
// Ctrl-C or a kill: the tool running, the server and the temp dir go too.
let running: ChildProcess | undefined;
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.once(signal, () => {
    // Each tool leads a process group of its own (detached): its children (Vitest's forks…) go with it.
    if (running?.pid) process.kill(-running.pid, "SIGKILL");
    void server.close().finally(() => {
      rmSync(work, { recursive: true, force: true });
      process.exit(130);
    });
  });
try {
  for (const size of sizes) {
    // Every tool's project once per size: the server's URL stays, only its timing changes between modes.
    const prepared = new Map<string, PreparedRun>();
    for (const tool of tools) {
      const dir = join(work, `${tool.name.replace(/\W/g, "-")}-${size}`);
      mkdirSync(dir);
      prepared.set(tool.name, tool.prepare(dir, size, concurrency, server.url));
    }
    for (const mode of modes) {
      await server.configure(mode.timing);
      for (let r = 0; r < rounds; r++) {
        for (let t = 0; t < tools.length; t++) {
          const tool = tools[(t + r) % tools.length] as PeerTool;
          process.stderr.write(
            `bench: ${size} cases, ${mode.name}, round ${r + 1}/${rounds}: ${tool.name}… `,
          );
          const sample = await runOnce(prepared.get(tool.name) as PreparedRun);
          process.stderr.write(
            `${seconds(sample.wallMs)}, ${megabytes(sample.peakKb)}, ${sample.passed}/${size} passed\n`,
          );
          if (sample.passed !== size)
            invalid.push(
              `${tool.name} ${size} ${mode.name} round ${r + 1}: ${sample.passed}/${size} passed (${sample.summary})`,
            );
          const key = `${size} ${mode.name} ${tool.name}`;
          results.set(key, [...(results.get(key) ?? []), sample]);
        }
      }
    }
  }
} finally {
  await server.close();
  rmSync(work, { recursive: true, force: true });
}

/** Runs one prepared tool: wall time, peak RSS of its process tree, load, the server's calls, the cases passed. */
async function runOnce(run: PreparedRun): Promise<Sample> {
  await server.reset();
  const load0 = loadavg()[0] as number;
  const t0 = performance.now();
  const child = spawn(process.execPath, run.argv, {
    cwd: run.cwd,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
    env: { ...process.env, ...run.env, OPENAI_API_KEY: API_KEY },
  });
  running = child;
  const rss = sampleTreeRss(child.pid as number);
  const { code, out } = await outputOf(child);
  const wallMs = performance.now() - t0;
  const peakKb = rss.stop();
  if (process.env.BENCH_VERBOSE) process.stderr.write(out);
  const { passed, summary } = run.outcome(out);
  return {
    wallMs,
    peakKb,
    load: [load0, loadavg()[0] as number],
    calls: await server.stats(),
    passed: code === 0 ? passed : 0,
    summary: code === 0 ? summary : `exit ${code}: ${summary} ${out.slice(-500)}`,
  };
}

// ─── the table ───────────────────────────────────────────────────────────────────

const fmt = (xs: number[], f: (x: number) => string) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return `${f(sorted[0] as number)} / ${f(median(sorted))} / ${f(sorted.at(-1) as number)}`;
};
const loads = (xs: Sample[]) => {
  const all = xs.flatMap((s) => s.load);
  return `${Math.min(...all).toFixed(1)}–${Math.max(...all).toFixed(1)}`;
};
const rows: [string, string][] = [
  [
    "machine",
    `${availableParallelism()} cores, ${cpus()[0]?.model ?? "unknown CPU"}, Node ${process.version}`,
  ],
  ["commit", commitOf(args.jury)],
  [
    "work",
    `${sizes.join(", ")} cases × (1 streamed target + ${JUDGES} judge calls), concurrency ${concurrency}, ${rounds} interleaved rounds (order rotated)`,
  ],
  ["server", `bench/support/peer-server.ts, own process (pid ${server.pid}), node:http`],
  ...tools.map((t): [string, string] => [`tool: ${t.name}`, t.label]),
  ...skipped.map((t): [string, string] => [`SKIPPED: ${t.name}`, t.reason]),
  ["load average at start (1, 5, 15 min)", loadStart.map((l) => l.toFixed(2)).join(", ")],
];
for (const size of sizes)
  for (const mode of modes) {
    const { ttftMs, tokensPerS, targetTokens, judgeTokens } = mode.timing;
    const streamMs = (n: number) => ttftMs + (tokensPerS > 0 ? ((n - 1) * 1000) / tokensPerS : 0);
    const idealMs = Math.ceil(size / concurrency) * (streamMs(targetTokens) + streamMs(judgeTokens));
    rows.push([
      `── ${size} cases, ${mode.label}`,
      ttftMs > 0 ? `ideal ${seconds(idealMs)}` : "min / median / max",
    ]);
    const bare = results.get(`${size} ${mode.name} bare fetch`);
    const bareRate = bare ? size / (median(bare.map((s) => s.wallMs)) / 1000) : undefined;
    for (const tool of tools) {
      const xs = results.get(`${size} ${mode.name} ${tool.name}`);
      if (!xs) continue;
      const walls = xs.map((s) => s.wallMs);
      const rate = size / (median(walls) / 1000);
      const c = xs[0]?.calls as PeerServerStats;
      const cell = (row: string, value: string) =>
        markdown.set(`${size} ${mode.name} ${row} ${tool.name}`, value);
      cell("wall", fmt(walls, seconds));
      cell(
        "rss",
        fmt(
          xs.map((s) => s.peakKb),
          megabytes,
        ),
      );
      if (bareRate && tool !== bareTool) cell("rate", (rate / bareRate).toFixed(2));
      if (ttftMs > 0)
        cell(
          "ideal",
          fmt(
            walls.map((w) => idealMs / w),
            (x) => x.toFixed(2),
          ),
        );
      cell("load", loads(xs));
      rows.push(
        [
          `${tool.name}: wall (load ${loads(xs)})`,
          `${fmt(walls, seconds)} (by round ${walls.map(seconds).join(", ")})`,
        ],
        [
          `${tool.name}: peak RSS, process tree`,
          fmt(
            xs.map((s) => s.peakKb),
            megabytes,
          ),
        ],
        [
          `${tool.name}: rate (median)`,
          `${rate.toFixed(0)} cases/s${bareRate && tool !== bareTool ? `, ${(rate / bareRate).toFixed(2)} of the bare loop's` : ""}${
            ttftMs > 0
              ? `; ideal ÷ actual ${fmt(
                  walls.map((w) => idealMs / w),
                  (x) => x.toFixed(2),
                )}`
              : ""
          }`,
        ],
        [
          `${tool.name}: calls, passed`,
          `${xs.map((s) => s.calls.target + s.calls.judge + s.calls.check).join(", ")} (target ${c.target}, judge ${c.judge}, access check ${c.check}; streamed ${c.streamed}, not ${c.notStreamed}); passed ${xs.map((s) => s.passed).join(", ")}`,
        ],
      );
    }
  }
rows.push([
  "load average at end (1, 5, 15 min)",
  loadavg()
    .map((l) => l.toFixed(2))
    .join(", "),
]);
rows.push([
  "INVALID runs (cases failed or errors)",
  invalid.length ? invalid.join("; ") : "none: every run passed every case",
]);
rows.push(["installs (kept across runs)", PEERS_CACHE]);
printTable(rows);
if (process.env.BENCH_ROWS !== "1") printMarkdown();
if (invalid.length) process.exitCode = 1;

/** The same figures as one Markdown table, a column per tool (for docs/performance.md). */
function printMarkdown(): void {
  const lines = [`| | ${tools.map((t) => t.name).join(" | ")} |`, `|---|${tools.map(() => "---|").join("")}`];
  for (const size of sizes)
    for (const mode of modes) {
      const row = (label: string, key: string) => {
        const cells = tools.map((t) => markdown.get(`${size} ${mode.name} ${key} ${t.name}`) ?? "–");
        lines.push(`| ${size} cases, ${mode.label}: ${label} | ${cells.join(" | ")} |`);
      };
      row("wall, min / median / max", "wall");
      row("peak RSS, process tree", "rss");
      row("rate ÷ bare fetch loop's (medians)", "rate");
      if (mode.timing.ttftMs > 0) row("ideal ÷ actual", "ideal");
      row("load average (1 min) during the runs", "load");
    }
  console.log(`\n${lines.join("\n")}`);
}

function commitOf(dir: string): string {
  try {
    const head = execSync("git rev-parse --short HEAD", { cwd: dir, encoding: "utf8" }).trim();
    const dirty = execSync("git status --porcelain", { cwd: dir, encoding: "utf8" }).trim()
      ? " (+ changes)"
      : "";
    return `${head}${dirty} (${dir})`;
  } catch {
    return `? (${dir} is not a git checkout)`;
  }
}
