import type { CaseRecord, CaseState, GateSettings, TrialSummary } from "../types.ts";

/** The trials of one case are its invocations: same eval, scenario, model, variant, temperature and experiment. */
export function trialKey(c: CaseRecord): string {
  return JSON.stringify([c.file, c.evalName, c.scenarioKey, c.model, c.variant, c.temperature, c.experiment]);
}

/**
 * Trial figures (pure), when cases run several times: pass^k — the share of trial groups in which every trial
 * passed (a case that must work every time) — next to pass@1 (the share of single trials that passed), and the
 * flaky groups, whose trials disagree. With `trialPass` (K, `--trial-pass`): also the share of groups in which at
 * least K trials passed (`passKOfN`), the rule the gate then applies. Undefined when every case ran once.
 */
export function summarizeTrials(
  cases: readonly CaseRecord[],
  results: readonly { caseId: string; state: CaseState }[],
  trialPass?: number,
): TrialSummary | undefined {
  const stateOf = new Map(results.map((r) => [r.caseId, r.state]));
  const acc = new TrialsAccumulator(cases);
  for (const [i, c] of cases.entries()) acc.add(c, stateOf.get(c.id), i);
  return acc.summary(trialPass);
}

/** The K of a run's K-of-N rule: the gate's `trialPass`, read only in a `--trials` run. */
export function trialPassOf(gate: Pick<GateSettings, "trials" | "trialPass">): number | undefined {
  return gate.trials ? gate.trialPass : undefined;
}

/**
 * How a run's trial groups pass, for every output to say the same: `label` (`pass^3`, or `2 of 3` with
 * `--trial-pass 2`), the share of groups that passed by it, and how many groups did.
 */
export function trialRule(t: TrialSummary): { label: string; rate: number; passed: number } {
  const rate = t.trialPass === undefined ? t.passHatK : (t.passKOfN ?? 0);
  return {
    label: t.trialPass === undefined ? `pass^${t.k}` : `${t.trialPass} of ${t.k}`,
    rate,
    passed: Math.round(rate * t.groups),
  };
}

/**
 * What a case whose trials disagree shows next to its name: `1 of 3 trials passed`, and with `--trial-pass K` whether
 * that was enough: `2 of 3 trials passed (2 needed: passed)`.
 */
export function trialNote(f: { passed: number; trials: number }, trialPass?: number): string {
  const note = `${f.passed} of ${f.trials} trials passed`;
  if (trialPass === undefined) return note;
  return `${note} (${trialPass} needed: ${f.passed >= trialPass ? "passed" : "failed"})`;
}

interface Trials {
  record: CaseRecord;
  /** The group's case ids with their plan index (groups and ids are listed in plan order). */
  ids: string[];
  at: number[];
  first: number;
  passed: number;
  ran: number;
}

/** `summarizeTrials` one case at a time, in any order: `planIndex` puts groups and their ids in plan order. */
export class TrialsAccumulator {
  private readonly groups = new Map<string, Trials>();
  /**
   * Whether two cases of the run can be trials of one group. Cases of one group differ only by their invocation
   * (the rest of a case's id is its trial key), so a run whose cases all share one invocation has no group of
   * two, no trial figures, and keeps nothing per case.
   */
  private readonly trials: boolean;

  /** `cases`: every case of the run. */
  constructor(cases: readonly Pick<CaseRecord, "invocation">[]) {
    const first = cases[0]?.invocation;
    this.trials = cases.some((c) => c.invocation !== first);
  }

  add(record: CaseRecord, state: CaseState | undefined, planIndex: number): void {
    if (!this.trials || state === undefined || state === "skipped") return;
    const key = trialKey(record);
    let g = this.groups.get(key);
    if (!g) {
      g = { record, ids: [], at: [], first: planIndex, passed: 0, ran: 0 };
      this.groups.set(key, g);
    }
    g.ids.push(record.id);
    g.at.push(planIndex);
    g.first = Math.min(g.first, planIndex);
    g.ran++;
    if (state === "passed") g.passed++;
  }

  summary(trialPass?: number): TrialSummary | undefined {
    let k = 0;
    for (const g of this.groups.values()) k = Math.max(k, g.ran);
    if (k <= 1) return undefined;
    const all = [...this.groups.values()].sort((a, b) => a.first - b.first);
    const trials = all.reduce((n, g) => n + g.ran, 0);
    return {
      k,
      groups: all.length,
      passHatK: all.filter((g) => g.passed === g.ran).length / all.length,
      passAt1: all.reduce((n, g) => n + g.passed, 0) / trials,
      ...(trialPass === undefined
        ? {}
        : { trialPass, passKOfN: all.filter((g) => g.passed >= trialPass).length / all.length }),
      flaky: all
        .filter((g) => g.passed > 0 && g.passed < g.ran)
        .map((g) => ({
          file: g.record.file,
          evalName: g.record.evalName,
          scenarioKey: g.record.scenarioKey,
          model: g.record.model,
          passed: g.passed,
          trials: g.ran,
          caseIds: g.ids
            .map((id, i) => [g.at[i] as number, id] as const)
            .sort((a, b) => a[0] - b[0])
            .map(([, id]) => id),
        })),
    };
  }
}
