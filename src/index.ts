// `jury`: what eval files and configs import. It loads no runner, store, metrics, provider or reporter code:
// programs import `jury/node`, reporters `jury/reporter`.
import type { UserConfig } from "./types.ts";

export { checks } from "./checks.ts";
export { defineEval } from "./discovery/define-eval.ts";
export type * from "./types.ts";

/**
 * Types an `evals.config.ts`.
 * @example
 * export default defineConfig({ models: "config/models_profiles.jsonl", jury: { threshold: 3.5 } });
 */
export function defineConfig(config: UserConfig): UserConfig {
  return config;
}
