import type { Counts, GateResult, GateSettings } from "../types.ts";

/**
 * The run's verdict, which decides the exit code: the pass rate (passed ÷ everything that ran; errored cases
 * count as not passed, skipped ones not at all) must reach `minPassRate`. By default every case must pass.
 */
export function evaluateGate(counts: Counts, settings: GateSettings): GateResult {
  const ran = counts.passed + counts.failed + counts.errored;
  const passRate = ran === 0 ? 1 : counts.passed / ran;
  const passed = passRate >= settings.minPassRate;
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const reason =
    settings.minPassRate >= 1
      ? passed
        ? `all ${ran} cases passed`
        : `${ran - counts.passed} of ${ran} cases did not pass (every case must pass; set --min-pass-rate to allow some)`
      : `pass rate ${pct(passRate)} ${passed ? "≥" : "<"} minimum ${pct(settings.minPassRate)}`;
  return { passed, passRate, minPassRate: settings.minPassRate, reason };
}
