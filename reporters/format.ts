// Formatting shared by the console and JUnit reporters. Imports only the package entry, like any reporter.
import { createRequire } from "node:module";
import { isAbsolute, relative } from "node:path";
import {
  type CaseRecord,
  decimal,
  type FailureReason,
  caseName as fullName,
  modelLabel,
  percent,
  range,
  reasonSummary,
  safeText,
  score,
  shortDecimal,
  truncate,
} from "../src/reporter.ts";

export { reasonSummary, score, truncate };

/**
 * `eval › scenario › model`: the name `-t` matches (an optimized prompt's model reads `…_Prompt_Optimized`), on
 * one line: a newline or control character in an eval name, a scenario id or a model is shown (`␊`, `␛`).
 */
export function caseTitle(c: CaseRecord): string {
  return safeText(fullName(c.evalName, c.scenarioKey, modelLabel(c)), { oneLine: true });
}

/** `[t=0.7, #1]`, plus the experiment when there are several. */
export function caseTags(c: CaseRecord): string {
  const extra = c.experiment > 1 ? `, exp ${c.experiment}` : "";
  return `[t=${c.temperature}, #${c.invocation}${extra}]`;
}

/** `eval › scenario › model [t=0.7, #1]`: unique within an eval file. */
export function caseName(c: CaseRecord): string {
  return `${caseTitle(c)} ${caseTags(c)}`;
}

/**
 * One line per failing dimension or check, e.g.
 * `Correctness 2.33 < 3  (judge-a 2 "rationale…", judge-b 3 "…")`, rationales cut to `rationaleChars`.
 */
export function reasonLines(reasons: readonly FailureReason[], rationaleChars = 100): string[] {
  return reasons.map((r) => {
    if (r.kind !== "dimension") return reasonSummary(r);
    const judges = r.judges.map(
      (j) =>
        `${j.judge} ${score(j.score)}${j.rationale ? ` ${JSON.stringify(truncate(j.rationale, rationaleChars))}` : ""}`,
    );
    return `${reasonSummary(r)}  (${judges.join(", ")})`;
  });
}

/** A duration: `812ms`, `1.4s`, `12.3s`, `2m 05s`; `–` when unknown. */
export function ms(x: number | undefined): string {
  if (x === undefined || !Number.isFinite(x)) return "–";
  if (x < 1000) return `${Math.round(x)}ms`;
  if (x < 60_000) return `${(x / 1000).toFixed(1)}s`;
  const s = Math.round(x / 1000);
  return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, "0")}s`;
}

// Two significant digits without exponent notation (`toPrecision` writes `1.2e-7`). Made on first use: Intl's
// first formatter loads ICU's locale data, ~20 ms of a command's start.
let twoDigits: Intl.NumberFormat | undefined;

/** US dollars: `$1.23`, `$0.0123`, and two significant digits below a hundredth of a cent (`$0.000012`); `–` when unknown. */
export function usd(x: number): string {
  if (!Number.isFinite(x)) return "–";
  if (x >= 1) return `$${x.toFixed(2)}`;
  if (x > 0 && x < 0.0001) {
    twoDigits ??= new Intl.NumberFormat("en-US", {
      minimumSignificantDigits: 2,
      maximumSignificantDigits: 2,
      useGrouping: false,
    });
    return `$${twoDigits.format(x)}`;
  }
  return `$${x.toFixed(4)}`;
}

/** A proportion as a percentage with one decimal: `91.8%`, `−4.2%`; `–` when unknown. */
export function pct(x: number): string {
  return percent(x);
}

/** A plain number with `digits` decimals: `80.1`, `−0.40` (never `-0` nor `e-18`); `–` when unknown. */
export function num(x: number | undefined, digits = 1): string {
  return decimal(x, digits);
}

/** A 95% interval: `95% CI 700ms–900ms`, or `95% CI −1.37 to −0.40` when an end is negative (see `range`). */
export function ciText(ci: readonly [number, number], format: (v: number) => string): string {
  return `95% CI ${range(ci, format)}`;
}

/** The version of `jury` itself, read through the package's own `jury/package.json` export. */
export function juryVersion(): string {
  try {
    const pkg = createRequire(import.meta.url)("jury/package.json") as { version?: string };
    return pkg.version ?? "0.0.0";
  } catch {
    return "0.0.0";
  }
}

/** `p` relative to `root` when it lies inside it, else as given. */
export function displayPath(root: string, p: string): string {
  const rel = relative(root, p);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : p;
}

/**
 * What reports call the fields of a run's summaries (`RunSummaries`, `GroupSummary`, the baseline comparison):
 * a table header or label never shows a raw key such as `responseCost` or `timeSavedMs`. See `fieldLabel`.
 */
export const FIELD_LABELS: Readonly<Record<string, string>> = {
  total: "Cases",
  passed: "Passed",
  failed: "Failed",
  errored: "Errored",
  skipped: "Skipped",
  passRate: "Pass rate",
  passRateCi: "Pass rate (95% CI)",
  meanScores: "Mean score per dimension",
  meanScoreCis: "Mean score per dimension (95% CI)",
  meanJury: "Mean jury score (95% CI)",
  ttftMs: "TTFT",
  ttfrMs: "Time to first reasoning token",
  otps: "Output tokens/s",
  inputTokens: "Input tokens",
  outputTokens: "Output tokens",
  reasoningTokens: "Reasoning tokens",
  cost: "Cost",
  responseCost: "Response cost",
  judgeCost: "Judge cost",
  costPerCase: "Cost per case (95% CI)",
  cache: "Call cache",
  hits: "Cache hits",
  timeSavedMs: "Time saved",
  costSaved: "Cost saved",
  trials: "Trials",
  passHatK: "pass^k",
  trialPass: "Trials needed to pass (K)",
  passKOfN: "K-of-N pass rate",
  passAt1: "pass@1",
  groups: "Cases",
  flaky: "Flaky cases",
  unprocessed: "Unprocessed",
  byClassification: "By classification",
  baselineRunId: "Baseline run",
  paired: "Paired cases",
  regressed: "Regressed",
  improved: "Improved",
  newCases: "New cases",
  missing: "Missing cases",
  mcnemarP: "Exact McNemar p",
  passRateDelta: "Pass rate change",
  scoreDelta: "Mean jury score change (95% CI)",
  sameConfig: "Same config",
  byDimension: "By dimension",
  contestedShare: "Contested",
  alpha: "Krippendorff α",
  bias: "Bias",
};

/**
 * A field's label for people: its `FIELD_LABELS` entry, else the key as it is — the keys of a summary's records
 * are often data (a judge id, a dimension, a model) that must show exactly as written.
 */
export function fieldLabel(key: string): string {
  return Object.hasOwn(FIELD_LABELS, key) ? (FIELD_LABELS[key] as string) : key;
}

/**
 * A field's number for people, by what its key says it holds: a duration (`…Ms`) as `ms`, money (`…Cost`,
 * `cost…`) as `usd`, a share (`…Rate`, `…Share`) as `pct`, anything else to at most 3 decimals (`shortDecimal`) —
 * never exponent notation nor `-0`.
 */
export function fieldNumber(key: string, x: number): string {
  if (/Ms$/.test(key)) return ms(x);
  if (/cost/i.test(key)) return usd(x);
  if (/(Rate|Share)$/.test(key)) return pct(x);
  return shortDecimal(x, 3);
}
