// The failures chart (pure): a Vega treemap of the failed and errored cases, model → what failed (the failing
// jury dimensions and checks, or the error class). Areas count cases: a case that failed several ways counts once,
// in the box of that combination.
import { type FailRow, groupBy } from "../rows.ts";
import { type Chart, type Datum, type SpecContext, themeSignals, unique, VEGA_SCHEMA } from "./chart.ts";

/** A label's width (px) per character at font size 11, generously: a label that may not fit is not drawn. */
const CHAR_PX = 7;
/** Line height (px) of a box's label at font size 11. */
const LINE_PX = 13;

export const errorTreemap: Chart = {
  id: "error-treemap",
  define: (ctx) =>
    ctx.hasFailures
      ? {
          title: "What failed",
          caption:
            "Failed and errored cases by model, then by what failed: the failing jury dimensions and checks (a case failing several counts once, under their combination) or the error class; area: number of failed or errored cases. A box too small for its label has it in its tooltip.",
          kind: "vega",
          spec: errorTreemapSpec(ctx),
        }
      : undefined,
  data: {
    failCounts: (rows) =>
      failedCases(rows.fails, (r) => JSON.stringify([r.model, r.label])).map((d) => {
        // The box's label, one line per failing dimension or check, then the count; what the box fits of it
        // is decided in Vega, which knows the box's size.
        const lines = [...String(d.label).split(" + "), cases(d.n as number)];
        return { ...d, lines, widest: Math.max(...lines.map((l) => l.length)) };
      }),
    failTotals: (rows) => failedCases(rows.fails, (r) => r.model).map(({ model, n }) => ({ model, n })),
  },
};

function cases(n: number): string {
  return `${n} ${n === 1 ? "case" : "cases"}`;
}

/** The failed cases (one row each: model, what failed), counted by `key`. */
function failedCases(fails: readonly FailRow[], key: (c: Datum & { model: string }) => string): Datum[] {
  const failed = [...groupBy(fails, (r) => String(r.i)).values()].map((g) => ({
    model: (g[0] as FailRow).model,
    label: unique(g.map((r) => r.label)).join(" + "),
  }));
  return [...groupBy(failed, key)].map(([, group]) => ({ ...group[0], n: group.length }));
}

/** Vega treemap of what failed: model → failing dimensions and checks, or error class; area = cases. */
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
          {
            type: "formula",
            as: "full",
            expr: "datum.key + ' (' + datum.n + (datum.n === 1 ? ' case)' : ' cases)')",
          },
          { type: "formula", as: "shown", expr: fitting("datum.full", "datum.key", 8, 0) },
        ],
      },
      {
        name: "leaves",
        source: "tree",
        transform: [
          { type: "filter", expr: "!datum.children" },
          {
            type: "formula",
            as: "shown",
            expr: `datum.y1 - datum.y0 >= length(datum.lines) * ${LINE_PX} + 4 && datum.widest * ${CHAR_PX} <= datum.x1 - datum.x0 - 6 ? datum.lines : ${fitting("'' + datum.n", "''", 6, 14)}`,
          },
        ],
      },
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
            text: { field: "shown" },
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
            tooltip: { signal: "{'Model': datum.model, 'What failed': datum.label, 'Cases': datum.n}" },
            // Its aria-label: the box's full label for a screen reader, whatever its text shows.
            description: {
              signal: "'Model: ' + datum.model + '; What failed: ' + datum.label + '; Cases: ' + datum.n",
            },
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
            text: { field: "shown" },
            fill: { signal: "fg" },
            fontSize: { value: 11 },
            lineHeight: { value: LINE_PX },
            limit: { signal: "datum.x1 - datum.x0 - 6" },
          },
        },
      },
    ],
  };
}

/**
 * A Vega expression: `full` when it fits the box (its width less `margin` px, its height over `minHeight` px),
 * else `short` when that fits, else nothing — never a label cut down to "…".
 */
function fitting(full: string, short: string, margin: number, minHeight: number): string {
  const room = `datum.x1 - datum.x0 - ${margin}`;
  const fits = (text: string) => `length(${text}) * ${CHAR_PX} <= ${room}`;
  return `datum.y1 - datum.y0 <= ${minHeight} ? '' : ${fits(full)} ? ${full} : ${fits(short)} ? ${short} : ''`;
}
