// The failures chart (pure): a Vega treemap of what failed, model → failing dimension, check or error class.
import { groupBy } from "../rows.ts";
import { type Chart, type SpecContext, themeSignals, VEGA_SCHEMA } from "./chart.ts";

export const errorTreemap: Chart = {
  id: "error-treemap",
  define: (ctx) =>
    ctx.hasFailures
      ? {
          title: "What failed",
          caption:
            "Failing jury dimensions, failing checks and errors, grouped by model; area: number of cases.",
          kind: "vega",
          spec: errorTreemapSpec(ctx),
        }
      : undefined,
  data: {
    failCounts: (rows) =>
      [...groupBy(rows.fails, (r) => JSON.stringify([r.model, r.label]))].map(([, group]) => ({
        model: group[0]?.model,
        label: group[0]?.label,
        n: group.length,
      })),
    failTotals: (rows) =>
      [...groupBy(rows.fails, (r) => r.model)].map(([model, group]) => ({ model, n: group.length })),
  },
};

/** Vega treemap of what failed: model → failing dimension, check or error class; area = cases. */
function errorTreemapSpec(ctx: SpecContext) {
  const box = {
    x: { field: "x0" },
    y: { field: "y0" },
    x2: { field: "x1" },
    y2: { field: "y1" },
  };
  return {
    $schema: VEGA_SCHEMA,
    width: 560,
    height: 300,
    padding: 4,
    autosize: "none",
    signals: themeSignals,
    data: [
      { name: "failCounts", values: [] },
      { name: "failTotals", values: [] },
      {
        name: "tree",
        source: "failCounts",
        transform: [
          { type: "nest", keys: ["model"], generate: true },
          {
            type: "treemap",
            field: "n",
            sort: { field: "value", order: "descending" },
            round: true,
            method: "squarify",
            paddingInner: 3,
            paddingTop: 18,
            size: [{ signal: "width" }, { signal: "height" }],
          },
        ],
      },
      {
        name: "groups",
        source: "tree",
        transform: [
          { type: "filter", expr: "datum.depth === 1" },
          { type: "lookup", from: "failTotals", key: "model", fields: ["key"], values: ["n"], as: ["n"] },
        ],
      },
      { name: "leaves", source: "tree", transform: [{ type: "filter", expr: "!datum.children" }] },
    ],
    scales: [{ name: "color", type: "ordinal", domain: ctx.models, range: "category" }],
    marks: [
      {
        type: "rect",
        from: { data: "groups" },
        encode: {
          update: {
            ...box,
            fill: { value: "transparent" },
            stroke: { scale: "color", field: "key" },
            strokeWidth: { value: 2 },
          },
        },
      },
      {
        type: "text",
        from: { data: "groups" },
        encode: {
          update: {
            x: { field: "x0", offset: 4 },
            y: { field: "y0", offset: 13 },
            text: { signal: "datum.key + ' (' + datum.n + ')'" },
            fill: { signal: "fg" },
            fontWeight: { value: "bold" },
            fontSize: { value: 11 },
            limit: { signal: "datum.x1 - datum.x0 - 8" },
          },
        },
      },
      {
        type: "rect",
        from: { data: "leaves" },
        encode: {
          update: {
            ...box,
            fill: { scale: "color", field: "model" },
            fillOpacity: { value: 0.55 },
            tooltip: { signal: "{'Model': datum.model, 'Failing': datum.label, 'Cases': datum.n}" },
          },
        },
      },
      {
        type: "text",
        from: { data: "leaves" },
        interactive: false,
        encode: {
          update: {
            x: { signal: "(datum.x0 + datum.x1) / 2" },
            y: { signal: "(datum.y0 + datum.y1) / 2" },
            align: { value: "center" },
            baseline: { value: "middle" },
            text: { signal: "datum.label + ' ' + datum.n" },
            fill: { signal: "fg" },
            fontSize: { value: 11 },
            limit: { signal: "datum.x1 - datum.x0 - 6" },
            opacity: { signal: "datum.y1 - datum.y0 > 14 ? 1 : 0" },
          },
        },
      },
    ],
  };
}
