// The shape of a config file (`defineConfig`).
import type { GateSettings, JurySettings, RetrySettings, RunSettings } from "./config.ts";

export interface UserConfig {
  include?: string[];
  exclude?: string[];
  /** Model profile file (seed JSONL or YAML), relative to the config file. */
  models?: string;
  /** Judge profile file, relative to the config file. */
  judges?: string;
  jury?: Partial<JurySettings>;
  run?: Partial<Omit<RunSettings, "retry">> & { retry?: Partial<RetrySettings> };
  gate?: Partial<GateSettings>;
  reporters?: (string | [string, { outputFile?: string }])[];
  outputDir?: string;
  /** Call cache: `off` (default), `on` (record and reuse), `replay` (reuse only). Stored in `.evals-cache/`. */
  cache?: "off" | "on" | "replay";
}
