// Latency and throughput charts (pure): mean TTFT and tokens/s per model with their intervals, and median TTFT
// by hour of day.
import { mean, meanCi, median } from "../../../src/metrics/stats.ts";
import { type CaseRow, groupBy, orNull, valuesOf } from "../rows.ts";
import { type Chart, type Datum, modelAxis, modelColor, type SpecContext, VL_SCHEMA } from "./chart.ts";
import { passFigures, ranGroups } from "./pass-rate.ts";

/** Per model: the mean of `field` over the cases that have it, its 95% interval (normal approximation), n. */
export function meansByModel(rows: readonly CaseRow[], field: "ttft" | "otps"): Datum[] {
  const withField = rows.filter((r) => r[field] !== null);
  return [...groupBy(withField, (r) => r.model)].map(([model, group]) => {
    const values = valuesOf(group, field);
    const ci = meanCi(values);
    return { model, mean: orNull(mean(values)), lo: ci?.[0] ?? null, hi: ci?.[1] ?? null, n: values.length };
  });
}

export const ttftBars: Chart = {
  id: "ttft-bars",
  define: (ctx) =>
    ctx.values.ttft.length
      ? {
          title: "Time to first token by model",
          caption: "Mean TTFT per model; error bars: 95% CI of the mean (mean ± 1.96 standard errors).",
          kind: "vega-lite",
          spec: barsWithErrorsSpec(ctx, "ttftByModel", "TTFT (ms)"),
        }
      : undefined,
  data: { ttftByModel: (rows) => meansByModel(rows.cases, "ttft") },
};

export const otpsBars: Chart = {
  id: "otps-bars",
  define: (ctx) =>
    ctx.hasOtps
      ? {
          title: "Output tokens per second by model",
          caption: "Mean decode throughput per model; error bars: 95% CI of the mean.",
          kind: "vega-lite",
          spec: barsWithErrorsSpec(ctx, "otpsByModel", "Output tokens/s"),
        }
      : undefined,
  data: { otpsByModel: (rows) => meansByModel(rows.cases, "otps") },
};

/** Bars of the per-model means in data set `name`, with their intervals as error bars. */
function barsWithErrorsSpec(ctx: SpecContext, name: string, title: string) {
  return {
    $schema: VL_SCHEMA,
    width: { step: 48 },
    height: 220,
    data: { name },
    encoding: { x: modelAxis(ctx) },
    layer: [
      {
        mark: { type: "bar" },
        encoding: {
          y: { field: "mean", type: "quantitative", title },
          color: { ...modelColor(ctx), legend: null },
          tooltip: [
            { field: "model", type: "nominal", title: "Model" },
            { field: "mean", type: "quantitative", title: "Mean", format: ".4~r" },
            { field: "lo", type: "quantitative", title: "95% CI low", format: ".4~r" },
            { field: "hi", type: "quantitative", title: "95% CI high", format: ".4~r" },
            { field: "n", type: "quantitative", title: "n" },
          ],
        },
      },
      {
        transform: [{ filter: "isValid(datum.lo)" }],
        mark: { type: "errorbar", ticks: true },
        encoding: {
          y: { field: "lo", type: "quantitative", title },
          y2: { field: "hi" },
        },
      },
    ],
  };
}

/** Median TTFT per hour of day (the time zone of the browser viewing the page) and region, or model. */
export const hourOfDay: Chart = {
  id: "hour-of-day",
  define: (ctx) =>
    ctx.hasStart
      ? {
          title: ctx.hasRegion ? "TTFT by region and hour of day" : "TTFT by model and hour of day",
          caption:
            "Median TTFT per hour of the day the case started, in the time zone of the browser viewing this report.",
          kind: "vega-lite",
          spec: hourOfDaySpec(ctx),
        }
      : undefined,
  data: {
    byHour: (rows, ctx) => {
      const started = rows.cases
        .filter((r) => r.start !== null)
        .map((r) => ({
          ...r,
          group: ctx.hasRegion ? (r.region ?? "(unknown)") : r.model,
          hour: new Date(r.start as number).getHours(),
        }));
      return ranGroups(started, ["group", "hour"]).map((g) => ({
        ...g.key,
        ...passFigures(g.rows),
        ttftP50: orNull(median(valuesOf(g.rows, "ttft"))),
      }));
    },
  },
};

function hourOfDaySpec(ctx: SpecContext) {
  return {
    $schema: VL_SCHEMA,
    width: { step: 22 },
    height: { step: 26 },
    data: { name: "byHour" },
    mark: { type: "rect" },
    encoding: {
      x: {
        field: "hour",
        type: "ordinal",
        title: "Hour of day (local time)",
        scale: { domain: Array.from({ length: 24 }, (_, h) => h) },
      },
      y: { field: "group", type: "nominal", title: null, axis: { labelLimit: 200 } },
      color: { field: "ttftP50", type: "quantitative", title: "TTFT p50 (ms)", scale: { scheme: "blues" } },
      tooltip: [
        { field: "group", type: "nominal", title: ctx.hasRegion ? "Region" : "Model" },
        { field: "hour", type: "ordinal", title: "Hour" },
        { field: "ttftP50", type: "quantitative", title: "TTFT p50 (ms)", format: ".4~r" },
        { field: "rate", type: "quantitative", title: "Pass rate", format: ".1%" },
        { field: "n", type: "quantitative", title: "Cases" },
      ],
    },
  };
}
