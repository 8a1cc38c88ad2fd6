// Pass-rate charts (pure): the model × task heatmap, task type × temperature, and latency × pass rate bubbles.
import { mean, median, wilson } from "../../../src/metrics/stats.ts";
import { type CaseRow, groupBy, orNull, valuesOf } from "../rows.ts";
import {
  type Chart,
  type Datum,
  figureText,
  type SpecContext,
  themeSignals,
  VEGA_SCHEMA,
  VL_SCHEMA,
} from "./chart.ts";
import { textOn } from "./theme.ts";

/**
 * Passed and ran cases of a group, the pass rate and its Wilson 95% interval: over the cases with a verdict, so
 * null in a run that judged nothing.
 */
export function passFigures(rows: readonly CaseRow[]): {
  passed: number;
  n: number;
  rate: number | null;
  lo: number;
  hi: number;
} {
  const rated = rows.filter((r) => r.pass !== null);
  const passed = rated.filter((r) => r.pass === 1).length;
  const [lo, hi] = wilson(passed, rated.length);
  return { passed, n: rows.length, rate: rated.length ? passed / rated.length : null, lo, hi };
}

/** The cases that ran, grouped by the given fields (first-appearance order), with each group's fields. */
export function ranGroups<T extends CaseRow, K extends keyof T>(
  rows: readonly T[],
  fields: readonly K[],
): { key: Pick<T, K>; rows: T[] }[] {
  const ran = rows.filter((r) => r.ran === 1);
  return [...groupBy(ran, (r) => JSON.stringify(fields.map((f) => r[f])))].map(([, group]) => {
    const first = group[0] as T;
    const key = Object.fromEntries(fields.map((f) => [f, first[f]])) as Pick<T, K>;
    return { key, rows: group };
  });
}

/** Per model × task type: pass rate with its Wilson interval. */
export const successHeatmap: Chart = {
  id: "success-heatmap",
  define: (ctx) =>
    ctx.accuracy
      ? {
          title: "Pass rate by model and task type",
          caption: "Share of the cases that ran which passed, with the Wilson 95% interval in the tooltip.",
          kind: "vega-lite",
          spec: successHeatmapSpec(ctx),
        }
      : undefined,
  data: {
    passByModelTask: (rows) =>
      ranGroups(rows.cases, ["model", "task"]).map((g) => ({ ...g.key, ...passFigures(g.rows) })),
  },
};

function successHeatmapSpec(ctx: SpecContext) {
  return {
    $schema: VL_SCHEMA,
    width: { step: Math.max(70, Math.min(140, 560 / Math.max(1, ctx.tasks.length))) },
    height: { step: 32 },
    data: { name: "passByModelTask" },
    transform: [{ calculate: "format(datum.rate, '.0%') + ' (n=' + datum.n + ')'", as: "label" }],
    encoding: {
      x: {
        field: "task",
        type: "nominal",
        sort: ctx.tasks,
        title: "Task type",
        axis: { labelAngle: -30, labelLimit: 160 },
      },
      y: { field: "model", type: "nominal", sort: ctx.models, title: null, axis: { labelLimit: 200 } },
    },
    layer: [
      {
        mark: { type: "rect" },
        encoding: {
          color: {
            field: "rate",
            type: "quantitative",
            title: "Pass rate",
            scale: { domain: [0, 1], scheme: "redyellowgreen" },
            legend: { format: ".0%" },
          },
          tooltip: [
            { field: "model", type: "nominal", title: "Model" },
            { field: "task", type: "nominal", title: "Task type" },
            { field: "rate", type: "quantitative", title: "Pass rate", format: ".1%" },
            { field: "lo", type: "quantitative", title: "95% CI low", format: ".1%" },
            { field: "hi", type: "quantitative", title: "95% CI high", format: ".1%" },
            { field: "n", type: "quantitative", title: "Cases" },
          ],
        },
      },
      {
        mark: { type: "text", fontSize: 11 },
        encoding: {
          text: { field: "label" },
          color: textOn("scale('color', datum.rate)"),
        },
      },
    ],
  };
}

/** Per task type × temperature: pass rate, TTFT p50, mean cost per response, median output tokens/s. */
export const taskTemperature: Chart = {
  id: "task-temperature",
  define: (ctx) => ({
    title: "Task type × temperature",
    caption: `Per task type and temperature: ${ctx.accuracy ? "pass rate, " : ""}TTFT p50, mean cost per response, median output tokens/s (– where no case has one).`,
    kind: "vega-lite",
    spec: taskTemperatureSpec(ctx),
  }),
  data: {
    byTaskTemperature: (rows) =>
      ranGroups(rows.cases, ["task", "temp"]).map(
        (g): Datum => ({
          ...g.key,
          ...passFigures(g.rows),
          ttftP50: orNull(median(valuesOf(g.rows, "ttft"))),
          costMean: orNull(mean(valuesOf(g.rows, "cost"))),
          otpsP50: orNull(median(valuesOf(g.rows, "otps"))),
        }),
      ),
  },
};

function taskTemperatureSpec(ctx: SpecContext) {
  const cell = (
    k: number,
    [field, title, format, scheme, domain]: [string, string, string, string, [number, number]?],
  ) => ({
    width: { step: 44 },
    height: { step: 28 },
    title: { text: title, fontSize: 12 },
    encoding: {
      x: { field: "temp", type: "ordinal", title: "Temperature", sort: "ascending" },
      y: { field: "task", type: "nominal", title: null, axis: { labelLimit: 140 } },
    },
    layer: [
      {
        mark: { type: "rect" },
        encoding: {
          color: {
            field,
            type: "quantitative",
            title,
            scale: domain ? { scheme, domain } : { scheme },
            legend: { orient: "bottom", direction: "horizontal", gradientLength: 110, format },
          },
          tooltip: [
            { field: "task", type: "nominal", title: "Task type" },
            { field: "temp", type: "ordinal", title: "Temperature" },
            { field, type: "quantitative", title, format },
            { field: "n", type: "quantitative", title: "Cases" },
          ],
        },
      },
      // The concat's k-th view names its colour scale concat_<k>_color.
      figureText(
        field,
        format,
        { fontSize: 10 },
        `scale('concat_${k}_color', datum[${JSON.stringify(field)}])`,
      ),
    ],
  });
  const cells: [string, string, string, string, [number, number]?][] = [
    ["ttftP50", "TTFT p50 (ms)", ".4~r", "blues"],
    ["costMean", "USD per response", "$.2~r", "oranges"],
    ["otpsP50", "Output tokens/s p50", ".4~r", "greens"],
  ];
  if (ctx.accuracy) cells.unshift(["rate", "Pass rate", ".0%", "redyellowgreen", [0, 1]]);
  return {
    $schema: VL_SCHEMA,
    data: { name: "byTaskTemperature" },
    hconcat: cells.map((c, k) => cell(k, c)),
    resolve: { scale: { color: "independent" }, legend: { color: "independent" } },
  };
}

/** One bubble per model: latency p50 × pass rate, size tokens/s, colour cost per response. */
export const bubble: Chart = {
  id: "bubble",
  define: (ctx) =>
    ctx.accuracy
      ? {
          title: "Latency × pass rate",
          caption:
            "One bubble per model: latency p50 (time to last byte), pass rate with its Wilson 95% interval; size: median output tokens/s; colour: mean cost per response.",
          kind: "vega",
          spec: bubbleSpec(),
        }
      : undefined,
  data: {
    byModel: (rows) =>
      bubbleLabels(
        ranGroups(rows.cases, ["model"])
          .map((g) => ({
            ...g.key,
            ...passFigures(g.rows),
            latency: orNull(median(valuesOf(g.rows, "ttlb"))),
            tps: orNull(median(valuesOf(g.rows, "otps"))),
            costMean: orNull(mean(valuesOf(g.rows, "cost"))),
          }))
          .filter((d) => d.latency !== null),
      ),
  },
};

/** Bubbles this close (a share of the latencies' range, of the pass-rate axis) share one label. */
const SAME_SPOT = { latency: 0.06, rate: 0.1 };

/**
 * Each bubble's `label`: its model, or the models of the bubbles at (about) its spot, on the first of them and
 * none on the others — two labels cannot both sit next to one spot.
 */
export function bubbleLabels<T extends { model: string; latency: number | null; rate: number | null }>(
  bubbles: readonly T[],
): (T & { label: string })[] {
  const latencies = bubbles.map((b) => b.latency ?? 0);
  const span = Math.max(1e-9, Math.max(...latencies) - Math.min(...latencies));
  const near = (a: T, b: T) =>
    Math.abs((a.latency ?? 0) - (b.latency ?? 0)) / span < SAME_SPOT.latency &&
    Math.abs((a.rate ?? 0) - (b.rate ?? 0)) < SAME_SPOT.rate;
  // Each bubble's label goes to the first bubble near it, or to where that one's goes (never a later one).
  const holder: number[] = [];
  bubbles.forEach((b, k) => {
    const first = bubbles.findIndex((o) => near(o, b));
    holder.push(first === k ? k : (holder[first] as number));
  });
  return bubbles.map((b, k) => ({
    ...b,
    label: bubbles
      .filter((_, j) => holder[j] === k)
      .map((o) => o.model)
      .join(", "),
  }));
}

/**
 * Vega, not Vega-Lite: the model labels are placed by Vega's label transform, around their bubble where they
 * overlap no bubble and no other label (bubbles at about the same spot share one label: `bubbleLabels`).
 */
function bubbleSpec() {
  const x = { scale: "x", field: "latency" };
  const pct = (f: string) => `isValid(datum.${f}) ? format(datum.${f}, '.1%') : '–'`;
  const fig = (f: string, fmt: string) => `isValid(datum.${f}) ? format(datum.${f}, '${fmt}') : '–'`;
  return {
    $schema: VEGA_SCHEMA,
    width: 420,
    height: 260,
    padding: 5,
    autosize: { type: "pad" },
    signals: themeSignals,
    data: [{ name: "byModel", values: [] }],
    scales: [
      {
        name: "x",
        type: "linear",
        domain: { data: "byModel", field: "latency" },
        range: "width",
        nice: true,
        // The models' latencies, not 0 to the slowest: bubbles of close latencies stay apart, and their labels
        // find room. Padding keeps a bubble's radius at both ends clear of the axis and the legends.
        zero: false,
        padding: 30,
      },
      // Room for a bubble's radius at 0% and 100%: no bubble covers an axis label.
      { name: "y", type: "linear", domain: [0, 1], range: "height", padding: 24 },
      {
        name: "size",
        type: "linear",
        domain: { data: "byModel", field: "tps" },
        range: [60, 1400],
        zero: true,
      },
      {
        name: "color",
        type: "linear",
        domain: { data: "byModel", field: "costMean" },
        range: { scheme: "viridis" },
        zero: false,
      },
    ],
    axes: [
      {
        orient: "bottom",
        scale: "x",
        title: "Latency p50, time to last byte (ms)",
        grid: true,
        tickCount: 6,
      },
      {
        orient: "left",
        scale: "y",
        title: "Pass rate",
        format: ".0%",
        grid: true,
        values: [0, 0.2, 0.4, 0.6, 0.8, 1],
      },
    ],
    legends: [
      {
        size: "size",
        title: "Tokens/s p50",
        symbolType: "circle",
        symbolFillColor: "transparent",
        symbolStrokeColor: { signal: "fg" },
        symbolStrokeWidth: 1.5,
        // Clear of a bubble's radius at the right edge of the plot.
        offset: 28,
      },
      { fill: "color", title: "USD/response", format: "$.2~r", type: "gradient", offset: 28 },
    ],
    marks: [
      {
        type: "rule",
        name: "intervals",
        from: { data: "byModel" },
        encode: {
          update: {
            x,
            y: { scale: "y", field: "lo" },
            y2: { scale: "y", field: "hi" },
            stroke: { signal: "fg" },
            strokeOpacity: { value: 0.6 },
            strokeWidth: { value: 1.5 },
          },
        },
      },
      {
        type: "symbol",
        name: "bubbles",
        from: { data: "byModel" },
        encode: {
          update: {
            x,
            y: { scale: "y", field: "rate" },
            shape: { value: "circle" },
            size: [{ test: "isValid(datum.tps)", scale: "size", field: "tps" }, { value: 200 }],
            fill: [
              { test: "isValid(datum.costMean)", scale: "color", field: "costMean" },
              { value: "#888888" },
            ],
            fillOpacity: { value: 0.8 },
            stroke: { value: "#888888" },
            strokeWidth: { value: 1 },
            tooltip: {
              signal: `{'Model': datum.model, 'Pass rate': ${pct("rate")}, '95% CI low': ${pct("lo")}, '95% CI high': ${pct("hi")}, 'Latency p50 (ms)': ${fig("latency", ".4~r")}, 'Tokens/s p50': ${fig("tps", ".3~r")}, 'USD/response': ${fig("costMean", "$.3~r")}, 'Cases': datum.n}`,
            },
          },
        },
      },
      {
        type: "text",
        name: "labels",
        from: { data: "bubbles" },
        interactive: false,
        encode: {
          update: {
            text: { field: "datum.label" },
            fontSize: { value: 11 },
            fill: { signal: "fg" },
          },
        },
        transform: [
          {
            type: "label",
            size: { signal: "[width, height]" },
            // A label may cross an interval's thin rule, never a bubble or another label, and run a little past
            // the plot.
            padding: 16,
            anchor: [
              "right",
              "left",
              "top",
              "bottom",
              "top-right",
              "top-left",
              "bottom-right",
              "bottom-left",
            ],
            offset: [3],
          },
        ],
      },
    ],
  };
}
