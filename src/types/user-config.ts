// The shape of a config file (`defineConfig`).
import type { GateSettings, JurySettings, RetrySettings, RunSettings } from "./config.ts";
import type { PriceUnit } from "./profiles.ts";

export interface UserConfig {
  include?: string[];
  exclude?: string[];
  /** Model profile file (seed JSONL or YAML), relative to the config file. */
  models?: string;
  /** Judge profile file, relative to the config file. */
  judges?: string;
  /**
   * The unit of every profile file's `*_token_cost` and `tier_pricing` prices: `per_1k` (USD per 1,000 tokens, the
   * seed's documented unit) or `per_million` (360-eval's newer profiles). A line's own `price_unit` wins.
   * @default inferred per file: `per_million` when it has `service_tiers` / `tier_pricing` (or judges priced with
   * `input_token_cost`), else `per_1k`
   */
  priceUnit?: PriceUnit;
  jury?: Partial<JurySettings>;
  run?: Partial<Omit<RunSettings, "retry">> & { retry?: Partial<RetrySettings> };
  gate?: Partial<GateSettings>;
  reporters?: (string | [string, { outputFile?: string }])[];
  outputDir?: string;
  /** Call cache: `off` (default), `on` (record and reuse), `replay` (reuse only). Stored in `.evals-cache/`. */
  cache?: "off" | "on" | "replay";
}
