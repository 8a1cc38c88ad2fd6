import type { GateResult, GateVerdict } from "../types.ts";

/** A gate's verdict, also of a run.json written before `verdict` was recorded (when only `passed` was). */
export function gateVerdict(gate: Pick<GateResult, "passed"> & { verdict?: GateVerdict }): GateVerdict {
  return gate.verdict ?? (gate.passed ? "passed" : "failed");
}
