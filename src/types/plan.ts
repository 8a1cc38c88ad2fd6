// The plan: the cases of a run and what a worker needs to run one.
import type { JurySettings, RetrySettings } from "./config.ts";
import type { Scenario } from "./inputs.ts";
import type { ModelProfile } from "./profiles.ts";

export type PromptVariant = "original" | "optimized";

/** One planned test case. `id` is stable across runs and machines. */
export interface CaseRecord {
  id: string;
  file: string;
  evalName: string;
  scenarioKey: string;
  model: string;
  variant: PromptVariant;
  temperature: number;
  invocation: number;
  experiment: number;
  taskType: string;
  location: { line?: number };
}

/** Everything a worker needs to run one case; plain data only. */
export interface CaseTask {
  case: CaseRecord;
  evalRef: { kind: "jsonl" | "ts"; absFile: string; index: number; name: string };
  scenario: Scenario;
  model: ModelProfile;
  judges: ModelProfile[];
  jury: JurySettings & { metrics: string[] };
  threshold: number;
  stream: boolean;
  timeoutMs: number;
  caseTimeoutMs: number;
  retry: RetrySettings;
  /** The call cache (`--cache on|replay`); absent when off. */
  cache?: { mode: "on" | "replay"; dir: string };
  /** The model's pacing slot under target_rpm (shared by all workers). */
  rateLimit?: { buffer: SharedArrayBuffer; index: number; rpm: number };
}
