// The latency × pass rate bubbles faceted by task type (pure): one panel per task type, one point per model,
// with the Wilson 95% interval of its pass rate; the panels share their axes, so they compare.
import { median } from "../../../src/metrics/stats.ts";
import { orNull, valuesOf } from "../rows.ts";
import { type Chart, modelColor, type SpecContext, VL_SCHEMA } from "./chart.ts";
import { passFigures, ranGroups } from "./pass-rate.ts";

export const bubbleByTask: Chart = {
  id: "bubble-by-task",
  define: (ctx) =>
    ctx.accuracy
      ? {
          title: "Latency × pass rate by task type",
          caption:
            "One panel per task type, one point per model: latency p50 (time to last byte) and pass rate; the bar is its Wilson 95% interval.",
          kind: "vega-lite",
          spec: bubbleByTaskSpec(ctx),
        }
      : undefined,
  data: {
    byModelTask: (rows) =>
      ranGroups(rows.cases, ["task", "model"]).flatMap((g) => {
        const latency = orNull(median(valuesOf(g.rows, "ttlb")));
        return latency === null ? [] : [{ ...g.key, latency, ...passFigures(g.rows) }];
      }),
  },
};

function bubbleByTaskSpec(ctx: SpecContext) {
  const x = {
    field: "latency",
    type: "quantitative",
    title: "Latency p50 (ms)",
    scale: { zero: false, padding: 12 },
    axis: { tickCount: 4 },
  };
  return {
    $schema: VL_SCHEMA,
    data: { name: "byModelTask" },
    facet: {
      field: "task",
      type: "nominal",
      // The data's order, which is the run's (a sort array would make Vega aggregate the sort index).
      sort: null,
      title: null,
      header: { labelLimit: 200, labelFontSize: 12 },
    },
    columns: 3,
    spec: {
      width: 200,
      height: 170,
      layer: [
        {
          mark: { type: "rule", strokeWidth: 1.5, opacity: 0.7 },
          encoding: { x, y: { field: "lo", type: "quantitative" }, y2: { field: "hi" } },
        },
        {
          mark: { type: "circle", size: 120, opacity: 0.85, stroke: "#888888", strokeWidth: 1 },
          encoding: {
            x,
            y: {
              field: "rate",
              type: "quantitative",
              title: "Pass rate",
              scale: { domain: [0, 1] },
              axis: { format: ".0%" },
            },
            color: modelColor(ctx),
            tooltip: [
              { field: "task", type: "nominal", title: "Task type" },
              { field: "model", type: "nominal", title: "Model" },
              { field: "rate", type: "quantitative", title: "Pass rate", format: ".1%" },
              { field: "lo", type: "quantitative", title: "95% CI low", format: ".1%" },
              { field: "hi", type: "quantitative", title: "95% CI high", format: ".1%" },
              { field: "latency", type: "quantitative", title: "Latency p50 (ms)", format: ".4~r" },
              { field: "n", type: "quantitative", title: "Cases" },
            ],
          },
        },
      ],
    },
  };
}
