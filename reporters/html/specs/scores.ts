// The jury scores chart (pure): a Vega radar of the mean score per dimension, one closed line per model.
import { mean } from "../../../src/metrics/stats.ts";
import { groupBy } from "../rows.ts";
import { type Chart, type SpecContext, themeSignals, VEGA_SCHEMA } from "./chart.ts";

export const radar: Chart = {
  id: "radar",
  define: (ctx) =>
    ctx.dims.length
      ? {
          title: "Jury scores per dimension",
          caption: "Mean score (1–5) per dimension and model, over the judged cases.",
          kind: "vega",
          spec: radarSpec(ctx),
        }
      : undefined,
  data: {
    meanScores: (rows) =>
      [...groupBy(rows.scores, (r) => JSON.stringify([r.model, r.dim]))].map(([, group]) => ({
        model: group[0]?.model,
        dim: group[0]?.dim,
        value: mean(group.map((r) => r.score)),
      })),
  },
};

/** Vega radar: mean jury score (0–5 scale) per dimension, one closed line per model. */
function radarSpec(ctx: SpecContext) {
  const angle = "scale('angular', datum.dim)";
  return {
    $schema: VEGA_SCHEMA,
    width: 640,
    height: 380,
    padding: 0,
    autosize: "none",
    signals: [...themeSignals, { name: "radius", value: 140 }],
    data: [
      { name: "meanScores", values: [] },
      {
        name: "table",
        source: "meanScores",
        transform: [{ type: "formula", expr: angle, as: "angle" }],
      },
      { name: "keys", values: ctx.dims.map((dim) => ({ dim })) },
      { name: "rings", values: [1, 2, 3, 4, 5].map((r) => ({ r })) },
    ],
    scales: [
      { name: "angular", type: "point", range: { signal: "[-PI, PI]" }, padding: 0.5, domain: ctx.dims },
      {
        name: "radial",
        type: "linear",
        range: { signal: "[0, radius]" },
        zero: true,
        nice: false,
        domain: [0, 5],
      },
      { name: "color", type: "ordinal", domain: ctx.models, range: "category" },
    ],
    legends: [
      {
        fill: "color",
        orient: "top-right",
        title: "Model",
        labelColor: { signal: "fg" },
        titleColor: { signal: "fg" },
        labelLimit: 200,
      },
    ],
    // The radar is drawn around the origin of this group, placed left of the legend.
    marks: [
      {
        type: "group",
        encode: { update: { x: { value: 270 }, y: { signal: "height / 2" } } },
        marks: [
          {
            type: "symbol",
            from: { data: "rings" },
            encode: {
              update: {
                x: { value: 0 },
                y: { value: 0 },
                shape: { value: "circle" },
                size: { signal: "pow(2 * scale('radial', datum.r), 2)" },
                fill: { value: "transparent" },
                stroke: { signal: "gridColor" },
                strokeWidth: { value: 1 },
              },
            },
          },
          {
            type: "rule",
            // Grid lines, like the rings: light on purpose (the page's test of line contrast skips *grid* marks).
            name: "radar-grid",
            from: { data: "keys" },
            encode: {
              update: {
                x: { value: 0 },
                y: { value: 0 },
                x2: { signal: `radius * cos(${angle})` },
                y2: { signal: `radius * sin(${angle})` },
                stroke: { signal: "gridColor" },
                strokeWidth: { value: 1 },
              },
            },
          },
          {
            type: "text",
            from: { data: "keys" },
            encode: {
              update: {
                x: { signal: `(radius + 8) * cos(${angle})` },
                y: { signal: `(radius + 8) * sin(${angle})` },
                text: { field: "dim" },
                align: {
                  signal: `abs(cos(${angle})) < 0.2 ? 'center' : cos(${angle}) > 0 ? 'left' : 'right'`,
                },
                baseline: {
                  signal: `abs(sin(${angle})) < 0.2 ? 'middle' : sin(${angle}) > 0 ? 'top' : 'bottom'`,
                },
                fill: { signal: "fg" },
                fontSize: { value: 11 },
              },
            },
          },
          {
            type: "group",
            from: { facet: { data: "table", name: "facet", groupby: ["model"] } },
            marks: [
              {
                type: "line",
                from: { data: "facet" },
                sort: { field: "datum.angle" },
                encode: {
                  update: {
                    interpolate: { value: "linear-closed" },
                    x: { signal: `scale('radial', datum.value) * cos(${angle})` },
                    y: { signal: `scale('radial', datum.value) * sin(${angle})` },
                    stroke: { scale: "color", field: "model" },
                    strokeWidth: { value: 2 },
                    fill: { scale: "color", field: "model" },
                    fillOpacity: { value: 0.08 },
                  },
                },
              },
              {
                type: "symbol",
                from: { data: "facet" },
                encode: {
                  update: {
                    x: { signal: `scale('radial', datum.value) * cos(${angle})` },
                    y: { signal: `scale('radial', datum.value) * sin(${angle})` },
                    fill: { scale: "color", field: "model" },
                    size: { value: 30 },
                    tooltip: {
                      signal:
                        "{'Model': datum.model, 'Dimension': datum.dim, 'Mean score': format(datum.value, '.2f')}",
                    },
                  },
                },
              },
            ],
          },
        ],
      },
    ],
  };
}
