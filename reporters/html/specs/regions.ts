// The regional analysis's charts (pure), as the seed draws it: latency against cost per region and task type,
// and each region's figures (`regionFigures`) that the page's table and recommendation read.
import { mean, median } from "../../../src/metrics/stats.ts";
import { type RegionFigures, regionZone } from "../regions.ts";
import { type CaseRow, orNull, valuesOf } from "../rows.ts";
import { type Chart, type SpecContext, VL_SCHEMA } from "./chart.ts";
import { passFigures, ranGroups } from "./pass-rate.ts";

/** A region's figures, with its time zone, case count and mean retries per case. */
export interface RegionRow extends RegionFigures {
  zone: string;
  n: number;
  lo: number;
  hi: number;
  retriesMean: number | null;
}

/** Per region (cases that ran and recorded one, first-appearance order): what the regional table shows. */
export function regionFigures(rows: readonly CaseRow[]): RegionRow[] {
  return ranGroups(
    rows.filter((r) => r.region !== null),
    ["region"],
  ).map((g) => {
    const region = g.key.region as string;
    const { rate, n, lo, hi } = passFigures(g.rows);
    return {
      region,
      zone: regionZone(region),
      n,
      rate,
      lo,
      hi,
      latencyP50: orNull(median(valuesOf(g.rows, "ttlb"))),
      costMean: orNull(mean(valuesOf(g.rows, "cost"))),
      retriesMean: orNull(mean(valuesOf(g.rows, "retries"))),
    };
  });
}

/** One point per region × task type: TTLB p50 against mean cost per response. */
export const regionLatencyCost: Chart = {
  id: "region-latency-cost",
  define: (ctx) =>
    ctx.hasRegion
      ? {
          title: "Latency × cost by region and task type",
          caption:
            "One point per region and task type: median time to last byte against the mean cost per response; colour: region, shape: task type.",
          section: "regions",
          kind: "vega-lite",
          spec: regionLatencyCostSpec(ctx),
        }
      : undefined,
  data: {
    byRegionTask: (rows) =>
      ranGroups(
        rows.cases.filter((r) => r.region !== null),
        ["region", "task"],
      ).flatMap((g) => {
        const latency = orNull(median(valuesOf(g.rows, "ttlb")));
        const cost = orNull(mean(valuesOf(g.rows, "cost")));
        return latency === null ? [] : [{ ...g.key, latency, cost: cost ?? 0, ...passFigures(g.rows) }];
      }),
  },
};

function regionLatencyCostSpec(ctx: SpecContext) {
  return {
    $schema: VL_SCHEMA,
    width: 380,
    height: 240,
    data: { name: "byRegionTask" },
    mark: { type: "point", filled: true, size: 110, opacity: 0.85 },
    encoding: {
      x: {
        field: "latency",
        type: "quantitative",
        title: "Time to last byte p50 (ms)",
        scale: { zero: false, padding: 16 },
        axis: { tickCount: 5 },
      },
      y: {
        field: "cost",
        type: "quantitative",
        title: "Mean USD per response",
        axis: { format: "$.2~r" },
        scale: { zero: false, padding: 16 },
      },
      color: { field: "region", type: "nominal", title: "Region" },
      shape: {
        field: "task",
        type: "nominal",
        title: "Task type",
        scale: { domain: ctx.tasks },
        // A grey that reads on the light card and the dark one (the symbols' default black is lost on dark).
        legend: { symbolFillColor: "#888888", symbolStrokeColor: "#888888" },
      },
      tooltip: [
        { field: "region", type: "nominal", title: "Region" },
        { field: "task", type: "nominal", title: "Task type" },
        { field: "latency", type: "quantitative", title: "TTLB p50 (ms)", format: ".4~r" },
        { field: "cost", type: "quantitative", title: "USD/response", format: "$.3~r" },
        ...(ctx.accuracy ? [{ field: "rate", type: "quantitative", title: "Pass rate", format: ".1%" }] : []),
        { field: "n", type: "quantitative", title: "Cases" },
      ],
    },
  };
}
