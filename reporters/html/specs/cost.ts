// The cost chart (pure): mean cost of a case per model, the response's and the jury's stacked.
import { mean } from "../../../src/metrics/stats.ts";
import { valuesOf } from "../rows.ts";
import { type Chart, type Datum, modelAxis, type SpecContext, VL_SCHEMA } from "./chart.ts";
import { ranGroups } from "./pass-rate.ts";

export const cost: Chart = {
  id: "cost",
  define: (ctx) => ({
    title: "Cost per response",
    caption: "Mean cost of one case per model: the model's response and the jury's verdicts, stacked.",
    kind: "vega-lite",
    spec: costSpec(ctx),
  }),
  data: {
    costByModel: (rows) =>
      ranGroups(rows.cases, ["model"]).flatMap(({ key, rows: group }) =>
        (
          [
            ["response", mean(valuesOf(group, "cost"))],
            ["jury", mean(valuesOf(group, "judgeCost"))],
          ] as const
        )
          .filter(([, m]) => m !== undefined)
          .map(([part, m]): Datum => ({ model: key.model, part, mean: m, n: group.length })),
      ),
  },
};

function costSpec(ctx: SpecContext) {
  return {
    $schema: VL_SCHEMA,
    width: { step: 48 },
    height: 220,
    data: { name: "costByModel" },
    mark: { type: "bar" },
    encoding: {
      x: modelAxis(ctx),
      y: { field: "mean", type: "quantitative", title: "USD per case", stack: "zero" },
      color: { field: "part", type: "nominal", title: "Cost of", scale: { domain: ["response", "jury"] } },
      tooltip: [
        { field: "model", type: "nominal", title: "Model" },
        { field: "part", type: "nominal", title: "Cost of" },
        { field: "mean", type: "quantitative", title: "Mean USD", format: "$.3~r" },
        { field: "n", type: "quantitative", title: "Cases" },
      ],
    },
  };
}
