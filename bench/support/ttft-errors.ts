import { rmSync } from "node:fs";
import { Writable } from "node:stream";
import { scenarioRef, startEvals } from "../../src/node.ts";
import { createFixtureProject } from "../../test/support/fixture-project.ts";
import type { SimulatorProcess } from "./spawn-simulator.ts";

type Urls = Pick<SimulatorProcess, "url" | "h2cUrl">;

/**
 * The providers the TTFT bench times, as model profiles at a simulator. Bedrock's HTTP/2 goes straight to the
 * simulator's h2c server: through the main port each of its connections would pass a proxy hop (preface
 * sniffing) that a real server does not have and the served TTFT does not see.
 */
export const TTFT_PROVIDERS = {
  "openai-compatible": (sim: Urls) => ({ model_id: "openai-compatible/sim", base_url: `${sim.url}/v1` }),
  bedrock: (sim: Urls) => ({
    model_id: "bedrock/us.amazon.nova-lite-v1:0",
    region: "us-east-1",
    base_url: sim.h2cUrl,
  }),
  gemini: (sim: Urls) => ({ model_id: "gemini/gemini-2.0-flash", base_url: sim.url }),
} as const;
export type TtftProvider = keyof typeof TTFT_PROVIDERS;

/** Fake keys for the SDKs: the simulator checks none. Set before the run's worker threads start. */
export function fakeProviderKeys(): void {
  process.env.OPENAI_API_KEY ??= "sk-bench-not-a-real-key";
  process.env.GEMINI_API_KEY ??= "bench-not-a-real-key";
  process.env.AWS_ACCESS_KEY_ID ??= "AKIABENCHNOTAREALKEY";
  process.env.AWS_SECRET_ACCESS_KEY ??= "bench-not-a-real-secret";
}

export interface TtftCell {
  sim: SimulatorProcess;
  provider: TtftProvider;
  cases: number;
  concurrency: number;
  /** Makes this cell's prompts unique on a simulator shared by several cells (its truth is keyed by prompt). */
  tag: string;
  workers?: number;
  threads?: boolean;
}

/**
 * Runs `cases` cases of one provider at `concurrency` through the real pipeline (`startEvals`: worker threads, the
 * provider's SDK) against the simulator, and returns, per case, the runner's TTFT minus the TTFT the simulator
 * served (first content chunk written − request arrival, `recordTtft`): the measurement error proper.
 */
export async function ttftErrors(
  cell: TtftCell,
): Promise<{ errors: number[]; errored: number; wallMs: number }> {
  const root = createFixtureProject({
    "config/models_profiles.jsonl": JSON.stringify(TTFT_PROVIDERS[cell.provider](cell.sim)),
    "config/judge_profiles.jsonl": JSON.stringify({ model_id: "mock/judge" }),
    "evals/ttft.eval.jsonl": Array.from({ length: cell.cases }, (_, i) =>
      JSON.stringify({
        text_prompt: `[${cell.tag}] Tell me about item ${i} in twenty words.`,
        expected_output_tokens: 40,
        task: { task_type: "Bench", task_criteria: "" },
        golden_answer: "x",
      }),
    ).join("\n"),
  });
  try {
    const sink = new Writable({ write: (_c, _e, cb) => cb() });
    const t0 = performance.now();
    const { report, results: reader } = await startEvals({
      root,
      concurrency: cell.concurrency,
      ...(cell.workers ? { workers: cell.workers } : {}),
      ...(cell.threads === false ? { threads: false } : {}),
      reporters: [],
      stdout: sink,
      stderr: process.stderr,
      minPassRate: 0,
    });
    const wallMs = performance.now() - t0;
    const served = (await cell.sim.stats()).servedTtftMs ?? {};
    const results = await reader.all(); // read from the run dir: before it is removed
    const recordById = new Map(report.cases.map((c) => [c.id, c]));
    const errors: number[] = [];
    for (const r of results) {
      const rec = recordById.get(r.caseId);
      const measured = r.metrics?.ttftMs;
      const prompt = rec ? report.scenarios?.[scenarioRef(rec)]?.prompt : undefined;
      const truth = prompt === undefined ? undefined : served[prompt];
      if (measured !== undefined && truth !== undefined) errors.push(measured - truth);
    }
    return { errors: errors.sort((a, b) => a - b), errored: report.summaries.overall.errored, wallMs };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
