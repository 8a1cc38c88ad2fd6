import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Plan } from "../plan/expand.ts";
import { writeJsonAtomic } from "../store/run-dir.ts";
import type { PromptOptimizationLog, ResolvedConfig, TextSink } from "../types.ts";
import { optimizePrompts } from "./prompt-optimizer.ts";

/**
 * Optimizes the prompts of a run's `optimized` cases (returns the plan with them; the input is untouched), writes `prompt-optimization.json` in the run dir before any
 * case runs (a resumed run keeps the entries of the cases it does not run again) and prints one line.
 */
export async function runPromptOptimization(
  plan: Plan,
  config: ResolvedConfig,
  runDir: string,
  stdout: TextSink,
  signal?: AbortSignal,
): Promise<{ plan: Plan; log: PromptOptimizationLog }> {
  const { cases, log } = await optimizePrompts(plan.cases, config.run.promptOptimization, {
    retry: config.run.retry,
    timeoutMs: config.run.timeoutMs,
    ...(signal ? { signal } : {}),
  });
  const file = join(runDir, "prompt-optimization.json");
  if (existsSync(file)) {
    const previous = JSON.parse(readFileSync(file, "utf8")) as PromptOptimizationLog;
    const key = (e: { model: string; promptExcerpt: string }) => `${e.model}\0${e.promptExcerpt}`;
    const now = new Set(log.entries.map(key));
    log.entries.unshift(...previous.entries.filter((e) => !now.has(key(e))));
    log.calls += previous.calls;
  }
  writeJsonAtomic(file, log);
  const count = (status: string) => log.entries.filter((e) => e.status === status).length;
  stdout.write(
    `Prompt optimization (${log.mode}): ${count("optimized")} optimized, ${count("skipped")} skipped, ${count("error")} failed ` +
      `(original prompt kept) in ${log.calls} OptimizePrompt call(s); see ${file}\n`,
  );
  return { plan: { ...plan, cases }, log };
}
