// The cost of one model call on the HTTP path, without the runner: `cases` × (1 streamed target call + J judge
// calls, not streamed) through the real OpenAI SDK (openai-compatible/ profiles, the provider and measureStream as a
// worker runs them) in this one thread, `concurrency` cases at a time, against the simulator in its own process at
// zero latency. Prints CPU time and bytes allocated per call (V8's GCProfiler: what each collection found, summed),
// after a warm-up round.
//
//   node --import tsx --conditions jury-source bench/http-calls.ts [cases=1000] [concurrency=32] [judges=3]
import { readFileSync } from "node:fs";
import { GCProfiler } from "node:v8";
import { measureStream } from "../src/providers/measure-stream.ts";
import { getProvider } from "../src/providers/registry.ts";
import type { ModelProfile } from "../src/types.ts";
import { spawnSimulator } from "./support/spawn-simulator.ts";
import { printTable } from "./support/table.ts";

const [cases = 1000, concurrency = 32, judges = 3] = process.argv.slice(2).map(Number);
const sim = await spawnSimulator({ ttftMs: 0, tokensPerS: 0, seed: "bench" });
process.env.OPENAI_API_KEY ??= "sk-bench-not-a-real-key";
const profile = (model: string): ModelProfile => ({
  key: `openai-compatible/${model}`,
  modelId: `openai-compatible/${model}`,
  provider: "openai-compatible",
  model,
  inputCostPer1k: 0,
  outputCostPer1k: 0,
  baseUrl: `${sim.url}/v1`,
  source: { file: "bench", line: 1 },
});
const target = profile("sim");
const jury = Array.from({ length: judges }, (_, i) => profile(`judge-${i}`));
const provider = await getProvider("openai-compatible");
const ask = (p: ModelProfile, content: string, stream: boolean) =>
  measureStream(
    provider.stream(p, {
      messages: [{ role: "user", content }],
      temperature: 0,
      maxTokens: 100,
      seed: "s",
      stream,
    }),
    () => 0,
  );

async function round(n: number) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < n; i = next++) {
        const answer = await ask(target, `Question ${i}: what is edge computing?`, true);
        await Promise.all(jury.map((j) => ask(j, `Judge: ${answer.text}`, false)));
      }
    }),
  );
}

try {
  await round(Math.min(cases, 200));
  const gc = new GCProfiler();
  gc.start();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await round(cases);
  const ms = performance.now() - t0;
  const { user, system } = process.cpuUsage(cpu0);
  const { statistics } = gc.stop() ?? { statistics: [] };
  // Bytes allocated between collections: each one's heap before it, less the heap the previous one left.
  let allocated = 0;
  let gcMs = 0;
  let after: number | undefined;
  for (const s of statistics) {
    const before = s.beforeGC.heapStatistics.usedHeapSize;
    if (after !== undefined) allocated += Math.max(0, before - after);
    after = s.afterGC.heapStatistics.usedHeapSize;
    gcMs += s.cost / 1000;
  }
  const calls = cases * (1 + judges);
  printTable([
    ["load average", readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")],
    ["calls (streamed + not) / concurrency", `${cases} + ${cases * judges} / ${concurrency} cases`],
    ["wall", `${(ms / 1000).toFixed(2)} s (${(calls / (ms / 1000)).toFixed(0)} calls/s)`],
    ["CPU per call (this process)", `${((user + system) / 1000 / calls).toFixed(3)} ms`],
    ["allocated per call", `${(allocated / calls / 1024).toFixed(1)} KB (${statistics.length} collections)`],
    ["GC time per call", `${(gcMs / calls).toFixed(3)} ms`],
  ]);
} finally {
  await sim.close();
}
