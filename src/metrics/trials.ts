import type { CaseRecord, CaseResult, TrialSummary } from "../types.ts";

/** The trials of one case are its invocations: same eval, scenario, model, variant, temperature and experiment. */
export function trialKey(c: CaseRecord): string {
  return JSON.stringify([c.file, c.evalName, c.scenarioKey, c.model, c.variant, c.temperature, c.experiment]);
}

/**
 * Trial figures (pure), when cases run several times: pass^k — the share of trial groups in which every trial
 * passed (a case that must work every time) — next to pass@1 (the share of single trials that passed), and the
 * flaky groups, whose trials disagree. Undefined when every case ran once.
 */
export function summarizeTrials(
  cases: readonly CaseRecord[],
  results: readonly CaseResult[],
): TrialSummary | undefined {
  const byId = new Map(results.map((r) => [r.caseId, r]));
  const groups = new Map<string, { record: CaseRecord; ids: string[]; passed: number; ran: number }>();
  for (const c of cases) {
    const r = byId.get(c.id);
    if (!r || r.state === "skipped") continue;
    const key = trialKey(c);
    const g = groups.get(key) ?? { record: c, ids: [], passed: 0, ran: 0 };
    g.ids.push(c.id);
    g.ran++;
    if (r.state === "passed") g.passed++;
    groups.set(key, g);
  }
  const k = Math.max(0, ...[...groups.values()].map((g) => g.ran));
  if (k <= 1) return undefined;
  const all = [...groups.values()];
  const trials = all.reduce((n, g) => n + g.ran, 0);
  return {
    k,
    groups: all.length,
    passHatK: all.filter((g) => g.passed === g.ran).length / all.length,
    passAt1: all.reduce((n, g) => n + g.passed, 0) / trials,
    flaky: all
      .filter((g) => g.passed > 0 && g.passed < g.ran)
      .map((g) => ({
        file: g.record.file,
        evalName: g.record.evalName,
        scenarioKey: g.record.scenarioKey,
        model: g.record.model,
        passed: g.passed,
        trials: g.ran,
        caseIds: g.ids,
      })),
  };
}
