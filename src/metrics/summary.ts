// Summaries of a run (pure): the numbers every reporter and the gate show, computed once from the records.

import { modelLabel } from "../discovery/ids.ts";
import type {
  CaseRecord,
  Counts,
  GroupSummary,
  LatencyQuantiles,
  MeanInterval,
  MedianInterval,
  ModelProfile,
  RunSummaries,
} from "../types.ts";
import { AgreementAccumulator } from "./agreement.ts";
import { BOOTSTRAP_RESAMPLES, bootstrapRatio, bootstrapRatios } from "./bootstrap.ts";
import { ClusterIds } from "./cluster-ids.ts";
import { countCase, emptyCounts } from "./counts.ts";
import { type CaseFacts, FactsTable } from "./facts-table.ts";
import { GrowingColumn } from "./growing-column.ts";
import { RateAccumulator } from "./rate.ts";
import { percentile, quantileCi, wilson } from "./stats.ts";
import { TrialsAccumulator } from "./trials.ts";
import { VariantsAccumulator } from "./variants.ts";

/**
 * Units drawn (units × resamples) by one group's bootstrap: 2,000 resamples up to 500 scenario clusters, 1,000
 * at 1,000, down to `MIN_RESAMPLES` from 5,000 — so 20,000 cases still summarize in about half a second. The
 * Monte Carlo error of the interval's ends grows as resamples fall, but stays small next to the interval, which
 * narrows as the group grows.
 */
const BOOTSTRAP_BUDGET = 1_000_000;
const MIN_RESAMPLES = 200;

/**
 * Summaries of a run: overall, per eval (keyed `file › eval name`, so same-named evals in two files stay
 * apart), per model (profile key) and per task type, each in the order the groups first appear in `cases`.
 * The figures do not depend on the order of `cases` and `results` (they are gathered in case-id order).
 *
 * - A planned case without a result (an interrupted run) counts in `total` but in no state.
 * - `passRate` = passed ÷ (passed + failed + errored), 0 when nothing ran; skipped cases don't count.
 * - `meanScores`: per dimension key, the mean of the jury's aggregate over the cases the jury scored;
 *   `meanScoreCis`: the same with its 95% percentile-bootstrap interval, resampled by scenario (file, eval,
 *   scenario key, model) when a scenario has several invocations, temperatures or experiments, else by case;
 *   `meanJury`: the mean over every case × dimension, always resampled by scenario. One joint bootstrap per
 *   group (the same draws for all its means) with a fixed seed (the group), so summaries are deterministic;
 *   2,000 resamples, fewer (≥ 200) for groups of more than 500 scenario clusters. A group of every case (the
 *   only eval, model or task type) has the overall group's figures, intervals included: the same data.
 * - `ttftMs`: p50/p95 (linear interpolation) over cases that measured a TTFT (neither replayed from the cache nor
 *   answered by a provider's batch engine: `batched` counts those, `batchedCost` their cost at batch prices),
 *   each with its distribution-free 95% interval (`quantileCi`: order statistics, none for too small a sample);
 *   `otps`: the median decode throughput of the cases that have one, with the same interval; `ttfrMs` as
 *   `ttftMs`, over cases that measured a time to first reasoning token (present only then), `reasoningTokens`
 *   their sum (when > 0).
 * - `cost`: `responseCost` (the models' answers) plus `judgeCost` (the jury's verdicts); `costPerCase`: the
 *   mean over the cases that ran with its percentile-bootstrap 95% interval, resampled by case (seeded by the
 *   group, resamples as for the jury means).
 * - `rate`: load figures per model key of `models` (see `RateAccumulator`).
 * - `agreement`: Krippendorff's alpha, contested cases and judge bias (see `summarizeAgreement`).
 */
export function summarize(
  cases: readonly CaseRecord[],
  results: readonly CaseFacts[] | FactsTable,
  models: readonly Pick<ModelProfile, "key" | "targetRpm">[] = [],
  /** `--trial-pass K` of a `--trials` run (see `trialPassOf`): trial groups also pass by K of N. */
  trialPass?: number,
): RunSummaries {
  const table = results instanceof FactsTable ? results : FactsTable.of(cases, results);
  // Each kind of group numbers its groups' units (scenario clusters) in one typed column: see `UnitsOfKind`.
  const kinds = {
    all: new UnitsOfKind(),
    eval: new UnitsOfKind(),
    model: new UnitsOfKind(),
    taskType: new UnitsOfKind(),
  };
  // Released once summarized (see below): `let`, and read by nothing after.
  let overall: Group | undefined = new Group(kinds.all, "all", "all");
  const byEval = new Map<string, Group>();
  const byModel = new Map<string, Group>();
  const byTaskType = new Map<string, Group>();
  const evalOf = (c: CaseRecord) => groupOf(byEval, kinds.eval, "eval", `${c.file} › ${c.evalName}`);
  const modelOf = (c: CaseRecord) => groupOf(byModel, kinds.model, "model", modelLabel(c));
  const taskTypeOf = (c: CaseRecord) => groupOf(byTaskType, kinds.taskType, "taskType", c.taskType);
  // Groups come in plan order, but their figures are gathered in case-id order: a merge of shards (the same
  // cases in another order) then gives the same summaries, to the last bit and bootstrap draw.
  for (const c of cases) {
    overall.members++;
    evalOf(c).members++;
    modelOf(c).members++;
    taskTypeOf(c).members++;
  }
  const total = overall.members;
  // A group of every case (the run's only eval, model or task type) is the overall group under another key: its
  // figures are gathered and bootstrapped once.
  const whole = (g: Group) => g.members === total;
  const rate = new RateAccumulator();
  const trials = new TrialsAccumulator(cases);
  const variants = new VariantsAccumulator(cases);
  const agreement = new AgreementAccumulator();
  const unprocessed: RunSummaries["unprocessed"] = { total: 0, byClassification: {} };
  const cache = { hits: 0, timeSavedMs: 0, costSaved: 0 };
  // Invocations, temperatures and experiments of one scenario on one model are one cluster.
  const clusters = new ClusterIds();
  table.forEach((c, r, planIndex) => {
    overall?.add(r, clusters.of(c));
    trials.add(c, r?.state, planIndex);
    variants.add(c, r?.state);
    if (!r) return;
    rate.add(c, r);
    agreement.add(r);
    if (r.state === "errored") {
      const kind = r.error?.classification ?? "processing_exception";
      unprocessed.total++;
      unprocessed.byClassification[kind] = (unprocessed.byClassification[kind] ?? 0) + 1;
    }
    cache.hits += r.metrics?.cacheHits ?? 0;
    cache.timeSavedMs += r.metrics?.cacheTimeSavedMs ?? 0;
    cache.costSaved += r.metrics?.cacheCostSaved ?? 0;
  });
  const all = overall.summary();
  overall = undefined;
  // Each kind of group in a pass of its own, its columns released before the next: a group's columns hold a few
  // doubles per case (~110 MB for a million cases), so the kinds are not held at once.
  const list = (m: Map<string, Group>, groupOfCase: (c: CaseRecord) => Group): GroupSummary[] => {
    const groups = [...m.values()];
    if (groups.some((g) => !whole(g)))
      table.forEach((c, r) => {
        const g = groupOfCase(c);
        if (!whole(g)) g.add(r, clusters.of(c));
      });
    m.clear();
    return groups.map((g) => (whole(g) ? { ...all, key: g.key } : g.summary()));
  };
  const modelGroups = list(byModel, modelOf);
  const compared = variants.comparisons(modelGroups);
  const trialSummary = trials.summary(trialPass);
  const evalGroups = list(byEval, evalOf);
  const taskTypeGroups = list(byTaskType, taskTypeOf);
  return {
    overall: all,
    byEval: evalGroups,
    byModel: modelGroups,
    byTaskType: taskTypeGroups,
    rate: rate.summaries(models),
    unprocessed,
    cache,
    ...(trialSummary ? { trials: trialSummary } : {}),
    agreement: agreement.summary(),
    ...(compared.length ? { variants: compared } : {}),
  };
}

function groupOf(map: Map<string, Group>, units: UnitsOfKind, kind: string, key: string): Group {
  let g = map.get(key);
  if (!g) {
    g = new Group(units, kind, key);
    map.set(key, g);
  }
  return g;
}

/**
 * Which unit (column) of its group each scenario cluster is, for the groups of one kind: a cluster belongs to one
 * group of a kind (its eval, its model label, and — every case of a scenario having the scenario's task type — its
 * task type), so one typed column indexed by cluster holds the unit of every group of the kind, and another the
 * group it is of. A cluster in two groups of a kind (runs of two configs joined, a scenario's task type changed
 * between them) has its unit in the second group's own map.
 */
class UnitsOfKind {
  /** Per cluster: its unit + 1 in the group `owner` names (0: none yet). */
  readonly unit = new GrowingColumn();
  /** Per cluster: the group (`Group.id` + 1) holding it. */
  readonly owner = new GrowingColumn();
  /** Groups made (numbers their ids). */
  groups = 0;
}

class Group {
  /** Planned cases in the group. */
  members = 0;
  private readonly id: number;
  private readonly counts: Counts = emptyCounts();
  /** Units (scenario clusters with a score) so far: they are numbered as they come. */
  private units = 0;
  /** The units of clusters that another group of the kind holds in `ofKind`. */
  private readonly ownUnits = new Map<number, number>();
  /** Per dimension key: the sum and count of the jury's scores per unit (cluster). */
  private readonly dims = new Map<string, Column>();
  /** Every dimension score, per unit. */
  private readonly all: Column = newColumn();
  private readonly ttft = new GrowingColumn();
  private readonly ttfr = new GrowingColumn();
  private readonly otps = new GrowingColumn();
  /** Per case that ran: its cost (answer + verdicts). */
  private readonly caseCosts = new GrowingColumn();
  private inputTokens = 0;
  private outputTokens = 0;
  private reasoningTokens = 0;
  private responseCost = 0;
  private judgeCost = 0;
  /** Cases answered by a provider's batch engine (no latency), and what they cost (at batch prices). */
  private batched = 0;
  private batchedCost = 0;

  constructor(
    private readonly ofKind: UnitsOfKind,
    private readonly kind: string,
    readonly key: string,
  ) {
    this.id = ofKind.groups++;
  }

  add(r: CaseFacts | undefined, cluster: number): void {
    countCase(this.counts, r?.state);
    if (!r) return;
    // A jury below quorum has no dimensions; a dimension no judge scored is NaN and says nothing.
    for (const d of r.jury?.dimensions ?? []) {
      if (!Number.isFinite(d.score)) continue;
      const u = this.unit(cluster);
      let col = this.dims.get(d.key);
      if (!col) {
        col = newColumn();
        this.dims.set(d.key, col);
      }
      addTo(col, u, d.score);
      addTo(this.all, u, d.score);
    }
    const m = r.metrics;
    if (m) {
      // A replayed response's timings were measured another day, and a batch engine's answers were not timed at
      // all: both stay out of latency statistics.
      const measured = !m.cached && !m.batched;
      if (m.ttftMs !== undefined && measured) this.ttft.push(m.ttftMs);
      if (m.ttfrMs !== undefined && measured) this.ttfr.push(m.ttfrMs);
      if (m.otps !== undefined && measured) this.otps.push(m.otps);
      if (m.batched) {
        this.batched++;
        this.batchedCost += m.responseCost + m.judgeCost;
      }
      this.caseCosts.push(m.responseCost + m.judgeCost);
      this.inputTokens += m.inputTokens;
      this.outputTokens += m.outputTokens;
      this.reasoningTokens += m.reasoningTokens ?? 0;
      this.responseCost += m.responseCost;
      this.judgeCost += m.judgeCost;
    }
  }

  /** The unit (column index) of a cluster in this group: the next one for a cluster new to it. */
  private unit(cluster: number): number {
    const { unit, owner } = this.ofKind;
    const held = owner.at(cluster);
    if (held === this.id + 1) return unit.at(cluster) - 1;
    if (held === 0) {
      owner.set(cluster, this.id + 1);
      unit.set(cluster, this.units + 1);
      return this.units++;
    }
    let u = this.ownUnits.get(cluster);
    if (u === undefined) {
      u = this.units++;
      this.ownUnits.set(cluster, u);
    }
    return u;
  }

  summary(): GroupSummary {
    const { passed, failed, errored } = this.counts;
    const ran = passed + failed + errored;
    const { meanScoreCis, meanJury } = this.intervals();
    const otps = medianOf(this.otps);
    const costPerCase = this.costPerCase();
    return {
      key: this.key,
      ...this.counts,
      passRate: ran === 0 ? 0 : passed / ran,
      passRateCi: wilson(passed, ran),
      meanScores: Object.fromEntries(Object.entries(meanScoreCis).map(([k, m]) => [k, m.mean])),
      meanScoreCis,
      ...(meanJury ? { meanJury } : {}),
      ttftMs: quantiles(this.ttft),
      ...(otps ? { otps } : {}),
      ...(this.ttfr.length ? { ttfrMs: quantiles(this.ttfr) } : {}),
      inputTokens: this.inputTokens,
      outputTokens: this.outputTokens,
      ...(this.reasoningTokens > 0 ? { reasoningTokens: this.reasoningTokens } : {}),
      cost: this.responseCost + this.judgeCost,
      responseCost: this.responseCost,
      judgeCost: this.judgeCost,
      ...(costPerCase ? { costPerCase } : {}),
      ...(this.batched > 0 ? { batched: this.batched, batchedCost: this.batchedCost } : {}),
    };
  }

  /** The mean cost of a case that ran, with its bootstrap interval over cases. */
  private costPerCase(): MeanInterval | undefined {
    const n = this.caseCosts.length;
    if (n === 0) return undefined;
    const resamples = resamplesFor(n);
    const costs = this.caseCosts.values();
    let sum = 0;
    for (const x of costs) sum += x;
    const ci = bootstrapRatio(costs, new Float64Array(n).fill(1), {
      resamples,
      seed: `cost\u0000${this.kind}\u0000${this.key}`,
    });
    return { mean: sum / n, ci: ci ?? [sum / n, sum / n], n, units: n, clustered: false, resamples };
  }

  /**
   * Every mean of the group with its interval, from one joint bootstrap over the group's scenario clusters (the
   * same draws for every dimension): a dimension's interval is clustered when one of its clusters holds several
   * scores, and then differs from the plain bootstrap over cases only in its label.
   */
  private intervals(): { meanScoreCis: Record<string, MeanInterval>; meanJury?: MeanInterval } {
    const k = this.units;
    if (k === 0) return { meanScoreCis: {} };
    const dims = [...this.dims].map(([key, col]) => [key, columnValues(col, k)] as const);
    const all = columnValues(this.all, k);
    const resamples = resamplesFor(k);
    const cis = bootstrapRatios([...dims.map(([, col]) => col), all], {
      resamples,
      seed: `${this.kind}\u0000${this.key}`,
    });
    const interval = (col: ColumnValues, i: number, alwaysClustered: boolean): MeanInterval => {
      let sum = 0;
      let n = 0;
      let units = 0;
      for (let u = 0; u < k; u++) {
        const c = col.counts[u] as number;
        sum += col.sums[u] as number;
        n += c;
        if (c > 0) units++;
      }
      return {
        mean: sum / n,
        // None only when no resample drew a unit of it (a dimension of a few cases in a big group): the point.
        ci: cis[i] ?? [sum / n, sum / n],
        n,
        units,
        clustered: alwaysClustered || units < n,
        resamples,
      };
    };
    return {
      meanScoreCis: Object.fromEntries(dims.map(([key, col], i) => [key, interval(col, i, false)])),
      meanJury: interval(all, dims.length, true),
    };
  }
}

/** Bootstrap resamples for `units` units, within `BOOTSTRAP_BUDGET`. */
function resamplesFor(units: number): number {
  return Math.max(MIN_RESAMPLES, Math.min(BOOTSTRAP_RESAMPLES, Math.floor(BOOTSTRAP_BUDGET / units)));
}

/** p50 and p95 of `values` with their distribution-free intervals (each left out where there is none). */
function quantiles(column: GrowingColumn): LatencyQuantiles {
  if (column.length === 0) return {};
  const sorted = sortedValues(column);
  const p50Ci = quantileCi(sorted, 0.5);
  const p95Ci = quantileCi(sorted, 0.95);
  return {
    p50: percentile(sorted, 50) as number,
    p95: percentile(sorted, 95) as number,
    ...(p50Ci ? { p50Ci } : {}),
    ...(p95Ci ? { p95Ci } : {}),
    n: sorted.length,
  };
}

/** The median of `values` with its distribution-free interval; undefined without values. */
function medianOf(column: GrowingColumn): MedianInterval | undefined {
  if (column.length === 0) return undefined;
  const sorted = sortedValues(column);
  const p50Ci = quantileCi(sorted, 0.5);
  return { p50: percentile(sorted, 50) as number, ...(p50Ci ? { p50Ci } : {}), n: sorted.length };
}

/** A column's values in ascending order (sorted in place: a summary reads each column once). */
function sortedValues(column: GrowingColumn): Float64Array {
  return column.values().sort();
}

/** Per unit (scenario cluster): the sum and count of scores. */
interface Column {
  sums: GrowingColumn;
  counts: GrowingColumn;
}

/** A column's sums and counts over `k` units (zeros for the units it has no score of). */
interface ColumnValues {
  sums: Float64Array;
  counts: Float64Array;
}

function newColumn(): Column {
  return { sums: new GrowingColumn(), counts: new GrowingColumn() };
}

function columnValues(col: Column, k: number): ColumnValues {
  col.sums.fill(k);
  col.counts.fill(k);
  return { sums: col.sums.values(), counts: col.counts.values() };
}

function addTo(col: Column, u: number, score: number): void {
  col.sums.add(u, score);
  col.counts.add(u, 1);
}
