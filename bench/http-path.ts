// The HTTP path of a model call (issue 22): jury against the simulator in its own process, with an
// openai-compatible/ target (streamed) and J openai-compatible/ judges (not streamed), next to a bare `fetch` loop
// making the same calls (1 streamed + J non-streamed per case) to the same server at the same concurrency: the
// physical limit of this machine for this work. Rounds are interleaved (bare, jury, lean, bare, jury, lean…); each
// run is a child process, whose peak RSS (worker threads included) is reported. The lean client makes jury's calls
// (its judge prompt, so the simulator writes verdicts) through undici's `request` alone, the cheapest client at hand:
// what the simulator itself can serve. Per run the simulator's own CPU time per call (its process, apart from the
// client's) is printed next to the client's CPU per case. With profile=1, one more jury run profiles
// every worker thread (through the inspector's NodeWorker domain: Piscina terminates its threads, which then write
// no --cpu-prof file) from the 2nd second of the run to 90% of its cases, and its main thread with --cpu-prof.
//
//   node --import tsx --conditions jury-source bench/http-path.ts [cases=1000] [concurrency=32] [ttftMs=0] [tokensPerS=0] [judges=3] [rounds=3] [workers=default] [profile=0] [preflight=1]
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { Writable } from "node:stream";
import { STANDARD_DIMENSIONS } from "../src/discovery/metric-keys.ts";
import { buildJudgePrompt } from "../src/jury/prompt.ts";
import { startEvals } from "../src/node.ts";
import type { SimulatorStats } from "../src/simulator/server.ts";
import { createFixtureProject } from "../test/support/fixture-project.ts";
import { reportToParent, runBenchChild } from "./support/child.ts";
import { type ProfileSummary, summariseCpuProfile } from "./support/cpu-profile.ts";
import { simScenarios } from "./support/sim-scenarios.ts";
import { spawnSimulator } from "./support/spawn-simulator.ts";
import { printTable, seconds } from "./support/table.ts";

const args = process.argv.slice(2);
const [cases = 1000, concurrency = 32, ttftMs = 0, tokensPerS = 0, judges = 3, rounds = 3] = args
  .slice(0, 6)
  .map(Number);
const workersArg = args[6] && args[6] !== "default" ? Number(args[6]) : undefined;
const profile = (args[7] ?? "0") !== "0";
const preflight = (args[8] ?? "1") !== "0";
const TOKENS = 100;

interface Result {
  runMs: number;
  /** CPU time of the whole process (every thread) per case, in ms: what the work costs, whatever the load. */
  cpuMsPerCase: number;
  maxRssMb: number;
  calls: number;
  passed?: number;
  total?: number;
  workers?: number;
  /** Event-loop delay of the child's main thread, p50 / p99 / max in ms. */
  loopDelayMs?: [number, number, number];
  /** Per worker thread: its profile file. */
  profiles?: string[];
}

const mode = process.env.BENCH_MODE;
if (process.env.BENCH_CHILD && mode === "bare") await bareChild();
else if (process.env.BENCH_CHILD && mode === "lean") await leanChild();
else if (process.env.BENCH_CHILD) await juryChild();
else await parent();

/** The yardstick: `concurrency` loops of fetch, each case a streamed call read to its end and J JSON calls. */
async function bareChild() {
  const url = `${process.env.BENCH_SIM_URL}/v1/chat/completions`;
  const { cases: scenarios } = simScenarios(cases, TOKENS);
  let next = 0;
  let calls = 0;
  const post = (body: object) =>
    fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer x" },
      body: JSON.stringify(body),
    });
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < scenarios.length; i = next++) {
        const prompt = scenarios[i]?.prompt ?? "";
        const res = await post({
          model: "sim",
          messages: [{ role: "user", content: prompt }],
          stream: true,
          stream_options: { include_usage: true },
          max_tokens: TOKENS,
        });
        let answer = "";
        const decoder = new TextDecoder();
        for await (const chunk of res.body as AsyncIterable<Uint8Array>) answer += decoder.decode(chunk);
        calls++;
        await Promise.all(
          Array.from({ length: judges }, async (_, j) => {
            const r = await post({
              model: `judge-${j}`,
              messages: [{ role: "user", content: `Judge: ${prompt}\n${answer.length}` }],
              max_tokens: 300,
            });
            await r.json();
            calls++;
          }),
        );
      }
    }),
  );
  reportToParent({
    runMs: performance.now() - t0,
    cpuMsPerCase: cpuMs(cpu0),
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    calls,
  } satisfies Result);
}

/**
 * jury's calls with the least client work: undici's `request` on a keep-alive Agent (the library jury's providers
 * use), `concurrency` loops, each case a streamed target call read to its end and then J judge calls at once with
 * jury's judge prompt (the scenario's answer as the response), their bodies read as text. The run's rate is then
 * mostly the simulator's.
 */
async function leanChild() {
  const { Agent, request } = await import("undici");
  const agent = new Agent({ keepAliveTimeout: 30_000 });
  const url = `${process.env.BENCH_SIM_URL}/v1/chat/completions`;
  const { cases: scenarios } = simScenarios(cases, TOKENS);
  const headers = { "content-type": "application/json", authorization: "Bearer x" };
  let next = 0;
  let calls = 0;
  const post = async (body: string) => {
    const res = await request(url, { dispatcher: agent, method: "POST", headers, body });
    if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}`);
    calls++;
    return res.body.text();
  };
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < scenarios.length; i = next++) {
        const { prompt, answer } = scenarios[i] ?? { prompt: "", answer: "" };
        await post(
          JSON.stringify({
            model: "sim",
            messages: [{ role: "user", content: prompt }],
            stream: true,
            stream_options: { include_usage: true },
            max_tokens: TOKENS,
          }),
        );
        const { system, user } = buildJudgePrompt({
          taskType: "Bench",
          criteria: "",
          prompt,
          golden: answer,
          response: answer,
          dimensions: STANDARD_DIMENSIONS,
        });
        await Promise.all(
          Array.from({ length: judges }, (_, j) =>
            post(
              JSON.stringify({
                model: `judge-${j}`,
                messages: [
                  { role: "system", content: system },
                  { role: "user", content: user },
                ],
                temperature: 0,
                max_tokens: 2048,
                stream: false,
              }),
            ),
          ),
        );
      }
    }),
  );
  const runMs = performance.now() - t0;
  await agent.close();
  reportToParent({
    runMs,
    cpuMsPerCase: cpuMs(cpu0),
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    calls,
  } satisfies Result);
}

async function juryChild() {
  const simUrl = process.env.BENCH_SIM_URL as string;
  const { cases: scenarios } = simScenarios(cases, TOKENS);
  const root = createFixtureProject({
    "config/models_profiles.jsonl": JSON.stringify({
      model_id: "openai-compatible/sim",
      base_url: `${simUrl}/v1`,
    }),
    "config/judge_profiles.jsonl": Array.from({ length: judges }, (_, i) =>
      JSON.stringify({ model_id: `openai-compatible/judge-${i}`, base_url: `${simUrl}/v1` }),
    ).join("\n"),
    "evals/bench.eval.jsonl": scenarios
      .map(({ prompt, answer }) =>
        JSON.stringify({
          text_prompt: prompt,
          expected_output_tokens: TOKENS,
          task: { task_type: "Bench", task_criteria: "" },
          golden_answer: answer,
        }),
      )
      .join("\n"),
  });
  const profiler = process.env.BENCH_PROFILE_DIR
    ? await workerProfiler(process.env.BENCH_PROFILE_DIR)
    : undefined;
  let done = 0;
  const counter = {
    onCaseResult() {
      done++;
      if (profiler && done === Math.floor(cases * 0.9)) void profiler.stop();
    },
  };
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const run = await startEvals({
    root,
    concurrency,
    ...(workersArg ? { workers: workersArg } : {}),
    reporters: ["json"],
    stdout: new Writable({ write: (_c, _e, cb) => cb() }),
    stderr: process.stderr,
    minPassRate: 0,
    preflight,
    reporterInstances: [counter],
  });
  const runMs = performance.now() - t0;
  delay.disable();
  rmSync(root, { recursive: true, force: true });
  const s = run.report.summaries.overall;
  const ms = (ns: number) => Math.round(ns / 1e4) / 100;
  reportToParent({
    runMs,
    cpuMsPerCase: cpuMs(cpu0),
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    calls: 0,
    passed: s.passed,
    total: s.total,
    workers: run.report.config.run.workers,
    loopDelayMs: [ms(delay.percentile(50)), ms(delay.percentile(99)), ms(delay.max)],
    ...(profiler ? { profiles: await profiler.files } : {}),
  } satisfies Result);
}

/**
 * Profiles every worker thread of this process from the inspector of the main thread: each thread is attached as
 * it starts, its profiler started a second later (past its start-up) and stopped by stop().
 */
async function workerProfiler(dir: string) {
  const session = new Session();
  session.connect();
  let id = 0;
  const pending = new Map<number, (result: unknown) => void>();
  const workers: string[] = [];
  const send = (sessionId: string, method: string) =>
    new Promise<unknown>((resolve) => {
      const n = ++id;
      pending.set(n, resolve);
      void session.post("NodeWorker.sendMessageToWorker", {
        sessionId,
        message: JSON.stringify({ id: n, method }),
      });
    });
  session.on("NodeWorker.receivedMessageFromWorker", ({ params }) => {
    const msg = JSON.parse(params.message) as { id?: number; result?: unknown };
    if (msg.id !== undefined) pending.get(msg.id)?.(msg.result);
  });
  session.on("NodeWorker.attachedToWorker", ({ params }) => {
    const sessionId = params.sessionId as string;
    workers.push(sessionId);
    void send(sessionId, "Profiler.enable").then(() =>
      setTimeout(() => void send(sessionId, "Profiler.start"), 1000).unref(),
    );
  });
  await session.post("NodeWorker.enable", { waitForDebuggerOnStart: false });
  let stopped: Promise<string[]> | undefined;
  const stop = () => {
    stopped ??= Promise.all(
      workers.map(async (w, i) => {
        const { profile } = (await send(w, "Profiler.stop")) as { profile: unknown };
        const file = join(dir, `worker-${i}.cpuprofile`);
        writeFileSync(file, JSON.stringify(profile));
        return file;
      }),
    );
    return stopped;
  };
  return {
    stop,
    get files() {
      return stop();
    },
  };
}

async function parent() {
  const sim = await spawnSimulator({ ttftMs, tokensPerS, seed: "bench" });
  const env = { BENCH_SIM_URL: sim.url, OPENAI_API_KEY: "sk-bench-not-a-real-key" };
  const childArgs = args.slice(0, 9);
  const { answerTokens, verdictTokens } = simScenarios(1, TOKENS);
  const perChunk =
    tokensPerS > 0 ? Math.max(1, Math.round((tokensPerS * 25) / 1000)) : Number.POSITIVE_INFINITY;
  const latencyMs = (n: number) =>
    ttftMs + (tokensPerS > 0 ? (Math.ceil(n / perChunk) - 1) * ((perChunk / tokensPerS) * 1000) : 0);
  const idealMs = Math.ceil(cases / concurrency) * (latencyMs(answerTokens) + latencyMs(verdictTokens));
  const rows: [string, string][] = [
    ["machine cores", String(availableParallelism())],
    ["cases × (1 + judges) / concurrency", `${cases} × (1 + ${judges}) / ${concurrency}`],
    ["latency", `TTFT ${ttftMs} ms, ${tokensPerS} tok/s (ideal ${seconds(idealMs)})`],
  ];
  const bare: number[] = [];
  const jury: number[] = [];
  const simCpu: Record<string, number[]> = { bare: [], jury: [], lean: [] };
  /** A child run, with the simulator's CPU time per call it served meanwhile (µs). */
  const measured = async (mode: string) => {
    const [cpu0, calls0] = [await sim.cpuUsage(), requestsServed(await sim.stats())];
    const { result } = await runBenchChild<Result>("http-path.ts", childArgs, {
      env: { ...env, ...(mode === "jury" ? {} : { BENCH_MODE: mode }) },
    });
    const [cpu1, calls1] = [await sim.cpuUsage(), requestsServed(await sim.stats())];
    const perCall = (cpu1.user + cpu1.system - cpu0.user - cpu0.system) / Math.max(1, calls1 - calls0);
    simCpu[mode]?.push(perCall);
    return { ...result, simUsPerCall: perCall, served: calls1 - calls0 };
  };
  const sim$ = (r: { simUsPerCall: number; served: number }) =>
    `simulator CPU ${r.simUsPerCall.toFixed(0)} µs/call (${r.served} calls)`;
  try {
    // The simulator's first calls run cold code: a lean run first, not reported, so round 1 measures it warm.
    await runBenchChild<Result>("http-path.ts", ["500", ...childArgs.slice(1)], {
      env: { ...env, BENCH_MODE: "lean" },
    });
    for (let r = 0; r < rounds; r++) {
      const load = readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
      const b = await measured("bare");
      const jr = await measured("jury");
      const l = await measured("lean");
      bare.push(b.runMs);
      jury.push(jr.runMs);
      const rate = (ms: number) => `${(cases / (ms / 1000)).toFixed(0)} cases/s`;
      rows.push(
        [
          `round ${r + 1} (load ${load}): bare loop`,
          `${seconds(b.runMs)}, ${rate(b.runMs)}, CPU ${b.cpuMsPerCase.toFixed(2)} ms/case, ${b.calls} calls, RSS ${b.maxRssMb.toFixed(0)} MB; ${sim$(b)}`,
        ],
        [
          `round ${r + 1}: jury (${jr.workers} workers)`,
          `${seconds(jr.runMs)}, ${rate(jr.runMs)}, CPU ${jr.cpuMsPerCase.toFixed(2)} ms/case, ${jr.passed}/${jr.total} passed, RSS ${jr.maxRssMb.toFixed(0)} MB, loop delay p50/p99/max ${jr.loopDelayMs?.join(" / ")} ms; ${sim$(jr)}`,
        ],
        [
          `round ${r + 1}: lean client (undici request)`,
          `${seconds(l.runMs)}, ${rate(l.runMs)}, CPU ${l.cpuMsPerCase.toFixed(2)} ms/case, ${l.calls} calls; ${sim$(l)}`,
        ],
        [
          `round ${r + 1}: jury ÷ bare rate, ideal ÷ jury`,
          `${(b.runMs / jr.runMs).toFixed(3)}, ${(idealMs / jr.runMs).toFixed(3)}`,
        ],
      );
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
    rows.push(["median jury ÷ bare rate", (median(bare) / median(jury)).toFixed(3)]);
    rows.push([
      "median simulator CPU per call: bare / jury / lean",
      `${[simCpu.bare, simCpu.jury, simCpu.lean].map((xs) => median(xs ?? []).toFixed(0)).join(" / ")} µs`,
    ]);
    if (profile) {
      const dir = mkdtempSync(join(tmpdir(), "jury-bench-http-prof-"));
      const { result } = await runBenchChild<Result>("http-path.ts", childArgs, {
        env: { ...env, BENCH_PROFILE_DIR: dir },
        nodeFlags: ["--cpu-prof", "--cpu-prof-dir", dir],
      });
      const main = readdirSync(dir).filter((f) => f.startsWith("CPU.") && f.split(".")[4] === "0");
      const sums: [string, ProfileSummary][] = [
        ...main.map((f): [string, ProfileSummary] => ["main thread", summariseCpuProfile(join(dir, f), 30)]),
        ...(result.profiles ?? []).map((f, i): [string, ProfileSummary] => [
          `worker ${i}`,
          summariseCpuProfile(f, 40),
        ]),
      ];
      for (const [who, s] of sums) {
        rows.push([`${who}: busy / profiled`, `${seconds(s.busyMs)} / ${seconds(s.totalMs)}`]);
        for (const m of s.modules.slice(0, 10))
          rows.push([`${who}: by module`, `${pct(m.share)} ${m.ms.toFixed(0).padStart(6)} ms  ${m.name}`]);
        for (const f of s.functions.slice(0, 30))
          rows.push([`${who}: self time`, `${pct(f.share)} ${f.ms.toFixed(0).padStart(6)} ms  ${f.name}`]);
      }
      rmSync(dir, { recursive: true, force: true });
    }
  } finally {
    await sim.close();
  }
  printTable(rows);
}

/** Requests the simulator counted, every route. */
function requestsServed(stats: SimulatorStats): number {
  return Object.values(stats.requests).reduce((n, c) => n + c, 0);
}

function cpuMs(since: NodeJS.CpuUsage): number {
  const { user, system } = process.cpuUsage(since);
  return (user + system) / 1000 / cases;
}

function pct(share: number): string {
  return `${(share * 100).toFixed(1).padStart(5)}%`;
}
