// Chart specs of the HTML report (pure): the page's rows → Vega-Lite specs (Vega for the treemap and the radar,
// which Vega-Lite cannot draw), one file per chart family. Specs carry no data and compute no statistic: each
// reads named data sets that `chartData` computes with src/metrics/stats.ts from the rows the filters keep.
import type { PageRows } from "../rows.ts";
import { bubbleByTask } from "./bubble-by-task.ts";
import { costBuckets, ttftBuckets, ttlbBuckets } from "./buckets.ts";
import { type Chart, type ChartDef, type Datum, type SpecContext, specContext } from "./chart.ts";
import { cost } from "./cost.ts";
import { scoreDistribution, tokensDistribution, ttftDistribution } from "./distribution.ts";
import { errorTreemap } from "./failures.ts";
import { hourOfDay, otpsBars, ttftBars } from "./latency.ts";
import { bubble, successHeatmap, taskTemperature } from "./pass-rate.ts";
import { regionLatencyCost } from "./regions.ts";
import { radar } from "./scores.ts";
import { ttlbPercentiles } from "./ttlb.ts";

export type { Chart, ChartDef, Datum, Spec, SpecContext } from "./chart.ts";
export { specContext } from "./chart.ts";
export { histogramBins } from "./distribution.ts";

/** Every chart, in page order. */
export const CHARTS: readonly Chart[] = [
  ttftBars,
  otpsBars,
  ttlbPercentiles,
  ttftDistribution,
  ttftBuckets,
  ttlbBuckets,
  scoreDistribution,
  tokensDistribution,
  cost,
  costBuckets,
  successHeatmap,
  taskTemperature,
  bubble,
  bubbleByTask,
  hourOfDay,
  regionLatencyCost,
  errorTreemap,
  radar,
];

/** Every chart the run's rows support, in page order; none when no case ran. */
export function chartSpecs(rows: PageRows): ChartDef[] {
  const ctx = specContext(rows);
  if (!ctx.ran) return [];
  return CHARTS.flatMap((chart) => {
    const def = chart.define(ctx);
    return def ? [{ id: chart.id, ...def, data: Object.keys(chart.data) }] : [];
  });
}

/**
 * The data sets of chart `id` computed from `rows` (the rows the filters keep); `ctx` is the whole run's
 * context (`specContext` of all rows), which fixes bins and category orders.
 */
export function chartData(id: string, rows: PageRows, ctx: SpecContext): Record<string, Datum[]> {
  const chart = CHARTS.find((c) => c.id === id);
  if (!chart) throw new Error(`no chart "${id}"`);
  return Object.fromEntries(Object.entries(chart.data).map(([name, compute]) => [name, compute(rows, ctx)]));
}
