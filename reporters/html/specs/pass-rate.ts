// Pass-rate charts (pure): the model × task heatmap, task type × temperature, and latency × pass rate bubbles.
import { mean, median, wilson } from "../../../src/metrics/stats.ts";
import { type CaseRow, groupBy, orNull, valuesOf } from "../rows.ts";
import { type Chart, type Datum, figureText, type SpecContext, VL_SCHEMA } from "./chart.ts";

/** Passed and ran cases of a group, the pass rate and its Wilson 95% interval. */
export function passFigures(rows: readonly CaseRow[]): {
  passed: number;
  n: number;
  rate: number | null;
  lo: number;
  hi: number;
} {
  const passed = rows.filter((r) => r.pass === 1).length;
  const [lo, hi] = wilson(passed, rows.length);
  return { passed, n: rows.length, rate: rows.length ? passed / rows.length : null, lo, hi };
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
  define: (ctx) => ({
    title: "Pass rate by model and task type",
    caption: "Share of the cases that ran which passed, with the Wilson 95% interval in the tooltip.",
    kind: "vega-lite",
    spec: successHeatmapSpec(ctx),
  }),
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
          color: {
            condition: { test: "datum.rate < 0.2 || datum.rate > 0.85", value: "white" },
            value: "black",
          },
        },
      },
    ],
  };
}

/** Per task type × temperature: pass rate, TTFT p50, mean cost per response, median output tokens/s. */
export const taskTemperature: Chart = {
  id: "task-temperature",
  define: () => ({
    title: "Task type × temperature",
    caption:
      "Per task type and temperature: pass rate, TTFT p50, mean cost per response, median output tokens/s (– where no case has one).",
    kind: "vega-lite",
    spec: taskTemperatureSpec(),
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

function taskTemperatureSpec() {
  const cell = (field: string, title: string, format: string, scheme: string, domain?: [number, number]) => ({
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
      figureText(field, format, { fontSize: 10 }),
    ],
  });
  return {
    $schema: VL_SCHEMA,
    data: { name: "byTaskTemperature" },
    hconcat: [
      cell("rate", "Pass rate", ".0%", "redyellowgreen", [0, 1]),
      cell("ttftP50", "TTFT p50 (ms)", ".3~s", "blues"),
      cell("costMean", "USD per response", ".2~e", "oranges"),
      cell("otpsP50", "Output tokens/s p50", ".3~s", "greens"),
    ],
    resolve: { scale: { color: "independent" }, legend: { color: "independent" } },
  };
}

/** One bubble per model: latency p50 × pass rate, size tokens/s, colour cost per response. */
export const bubble: Chart = {
  id: "bubble",
  define: () => ({
    title: "Latency × pass rate",
    caption:
      "One bubble per model: latency p50 (time to last byte), pass rate; size: median output tokens/s; colour: mean cost per response.",
    kind: "vega-lite",
    spec: bubbleSpec(),
  }),
  data: {
    byModel: (rows) =>
      ranGroups(rows.cases, ["model"])
        .map(
          (g): Datum => ({
            ...g.key,
            ...passFigures(g.rows),
            latency: orNull(median(valuesOf(g.rows, "ttlb"))),
            tps: orNull(median(valuesOf(g.rows, "otps"))),
            costMean: orNull(mean(valuesOf(g.rows, "cost"))),
          }),
        )
        .filter((d) => d.latency !== null),
  },
};

function bubbleSpec() {
  return {
    $schema: VL_SCHEMA,
    width: 420,
    height: 260,
    data: { name: "byModel" },
    encoding: {
      x: { field: "latency", type: "quantitative", title: "Latency p50, time to last byte (ms)" },
      y: {
        field: "rate",
        type: "quantitative",
        title: "Pass rate",
        scale: { domain: [0, 1] },
        axis: { format: ".0%" },
      },
    },
    layer: [
      {
        mark: { type: "rule", opacity: 0.5 },
        encoding: { y: { field: "lo", type: "quantitative" }, y2: { field: "hi" } },
      },
      {
        mark: { type: "circle", opacity: 0.8, stroke: "#888", strokeWidth: 1 },
        encoding: {
          size: { field: "tps", type: "quantitative", title: "Tokens/s p50", scale: { range: [60, 1400] } },
          color: {
            field: "costMean",
            type: "quantitative",
            title: "USD/response",
            scale: { scheme: "viridis" },
            legend: { format: ".2~e" },
          },
          tooltip: [
            { field: "model", type: "nominal", title: "Model" },
            { field: "rate", type: "quantitative", title: "Pass rate", format: ".1%" },
            { field: "lo", type: "quantitative", title: "95% CI low", format: ".1%" },
            { field: "hi", type: "quantitative", title: "95% CI high", format: ".1%" },
            { field: "latency", type: "quantitative", title: "Latency p50 (ms)", format: ".4~r" },
            { field: "tps", type: "quantitative", title: "Tokens/s p50", format: ".3~r" },
            { field: "costMean", type: "quantitative", title: "USD/response", format: ".3~e" },
            { field: "n", type: "quantitative", title: "Cases" },
          ],
        },
      },
      {
        mark: { type: "text", dy: -14, fontSize: 11 },
        encoding: { text: { field: "model" } },
      },
    ],
  };
}
