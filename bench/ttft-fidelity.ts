// TTFT fidelity under load: per provider (openai-compatible, bedrock, gemini: their real SDKs) and per arrival
// pattern, N cases at concurrency C against the local simulator, through the real pipeline (Piscina workers).
// The error is measured TTFT − the TTFT the simulator served to that request (its first content chunk written −
// the request's arrival): the runner's measurement error proper. Arrivals: `constant` (every request waits the
// same TTFT, so each wave's first tokens all land in the same millisecond: the stated worst case), `uniform`
// (±50%) and `lognormal` (median TTFT, σ 0.5): spread like a real provider's. The simulator runs in a process of
// its own, like a real server. WORKERS=n sets the worker threads (default min(4, cores)); PROVIDERS=a,b and
// ARRIVALS=x,y pick some; NO_THREADS=1 runs cases in this thread.
//
//   node --import tsx --conditions jury-source bench/ttft-fidelity.ts [cases=512] [concurrencies=32,128] [ttftMs=200]
import { availableParallelism, loadavg } from "node:os";
import { percentile } from "../src/node.ts";
import type { SimulatorOptions } from "../src/simulator/server.ts";
import { spawnSimulator } from "./support/spawn-simulator.ts";
import { printTable } from "./support/table.ts";
import { fakeProviderKeys, TTFT_PROVIDERS, type TtftProvider, ttftErrors } from "./support/ttft-errors.ts";

const [casesArg, concArg, ttftArg] = process.argv.slice(2);
const cases = Number(casesArg ?? 512);
const concurrencies = (concArg ?? "32,128").split(",").map(Number);
const ttftMs = Number(ttftArg ?? 200);
const providers = (process.env.PROVIDERS?.split(",") ?? Object.keys(TTFT_PROVIDERS)) as TtftProvider[];
const ARRIVALS = { constant: undefined, uniform: "uniform", lognormal: "lognormal" } as const;
const arrivals = (process.env.ARRIVALS?.split(",") ?? Object.keys(ARRIVALS)) as (keyof typeof ARRIVALS)[];
fakeProviderKeys();

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");
const rows: [string, string][] = [
  ["machine cores", String(availableParallelism())],
  ["load average at start", load()],
  ["cases per row / TTFT", `${cases} / ${ttftMs} ms (error = measured − served TTFT)`],
];
const ms = (x: number | undefined) => (x === undefined ? "–" : `${x.toFixed(2)} ms`);
const t0 = performance.now();
for (const arrival of arrivals) {
  const jitter = ARRIVALS[arrival];
  const options: SimulatorOptions = {
    ttftMs,
    tokensPerS: 400,
    seed: "bench",
    recordTtft: true,
    ...(jitter ? { ttftJitter: jitter } : {}),
  };
  const sim = await spawnSimulator(options);
  try {
    for (const concurrency of concurrencies) {
      const p50s: number[] = [];
      for (const provider of providers) {
        const { errors, errored } = await ttftErrors({
          sim,
          provider,
          cases,
          concurrency,
          tag: `${provider} c${concurrency}`,
          ...(process.env.WORKERS ? { workers: Number(process.env.WORKERS) } : {}),
          ...(process.env.NO_THREADS ? { threads: false } : {}),
        });
        const p50 = percentile(errors, 50);
        if (p50 !== undefined) p50s.push(p50);
        rows.push([
          `${arrival} c${concurrency} ${provider}`,
          `p50 ${ms(p50)}  p99 ${ms(percentile(errors, 99))}  max ${ms(errors.at(-1))}  (${errors.length} timed${errored ? `, ${errored} errored` : ""})`,
        ]);
      }
      if (p50s.length > 1)
        rows.push([
          `${arrival} c${concurrency} p50 spread`,
          `${ms(Math.max(...p50s) - Math.min(...p50s))} between providers`,
        ]);
    }
  } finally {
    await sim.close();
  }
}
rows.push(
  ["load average at end", load()],
  ["wall time", `${((performance.now() - t0) / 1000).toFixed(1)} s`],
);
printTable(rows);
