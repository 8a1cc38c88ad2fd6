// Formatting shared by the console and JUnit reporters. Imports only the package entry, like any reporter.
import type { CaseRecord, FailureReason } from "../src/index.ts";

/** `eval › scenario › model`: the name `-t` matches. */
export function caseTitle(c: CaseRecord): string {
  return `${c.evalName} › ${c.scenarioKey} › ${c.model}`;
}

/** `[t=0.7, #1]`, plus the experiment when there are several. */
export function caseTags(c: CaseRecord): string {
  return `[t=${c.temperature}, #${c.invocation}${c.experiment > 1 ? `, exp ${c.experiment}` : ""}]`;
}

export function score(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(2);
}

/** One line per failing dimension or check, e.g. `Correctness 2.33 < 3  (judge-a 2 "…", judge-b 3 "…")`. */
export function reasonLines(reasons: readonly FailureReason[], rationaleChars = 100): string[] {
  return reasons.map((r) => {
    if (r.kind === "check") return `check ${r.check}: ${r.message}`;
    if (r.kind === "majority") return r.message;
    const judges = r.judges.map(
      (j) =>
        `${j.judge} ${score(j.score)}${j.rationale ? ` ${JSON.stringify(truncate(j.rationale, rationaleChars))}` : ""}`,
    );
    return `${r.name} ${score(r.score)} < ${r.threshold}  (${judges.join(", ")})`;
  });
}

export function truncate(s: string, n: number): string {
  const one = s.replace(/\s+/g, " ").trim();
  return one.length > n ? `${one.slice(0, n - 1)}…` : one;
}

export function ms(x: number | undefined): string {
  if (x === undefined) return "–";
  return x >= 1000 ? `${(x / 1000).toFixed(2)}s` : `${Math.round(x)}ms`;
}

export function usd(x: number): string {
  return `$${x.toFixed(x >= 1 ? 2 : 4)}`;
}

export function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}
