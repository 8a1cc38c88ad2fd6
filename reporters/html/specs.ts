// Chart specs of the HTML report (pure): RunReport → Vega-Lite specs (Vega for the treemap and the radar, which
// Vega-Lite cannot draw). Specs carry no data: they read the named data sets the page fills from its embedded
// rows ("cases", "scores", "fails"; see data.ts) and refills when a filter changes, so every aggregate below is a
// transform that runs in the browser on the rows left by the filters.
import { meanDimensionScore, modelLabel, type RunReportWithResults } from "../../src/index.ts";

export type Spec = Record<string, unknown>;
export type DatasetName = "cases" | "scores" | "fails";

export interface ChartDef {
  /** Stable id: the chart container's `data-chart`. */
  id: string;
  title: string;
  /** What the chart shows and how to read it. */
  caption: string;
  kind: "vega-lite" | "vega";
  spec: Spec;
  /** The data sets the spec reads. */
  data: DatasetName[];
}

const VL_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";
const VEGA_SCHEMA = "https://vega.github.io/schema/vega/v6.json";
const Z = 1.959964;
const PERCENTILES = [0.5, 0.9, 0.95, 0.99];

/** What a spec builder needs to know of the run: category orders (stable colours) and value ranges. */
export interface SpecContext {
  models: string[];
  tasks: string[];
  /** Dimension display names, in order. */
  dims: string[];
  /** Values of a numeric per-case measure over the whole run. */
  values: { ttft: number[]; score: number[]; outTok: number[] };
  hasRegion: boolean;
  hasStart: boolean;
  hasFailures: boolean;
}

/** The category orders and value ranges of a report that specs are built from. */
export function specContext(report: RunReportWithResults): SpecContext {
  const byId = new Map(report.results.map((r) => [r.caseId, r]));
  const ttft: number[] = [];
  const score: number[] = [];
  const outTok: number[] = [];
  const dims: string[] = [];
  let hasRegion = false;
  let hasStart = false;
  let hasFailures = false;
  for (const c of report.cases) {
    const r = byId.get(c.id);
    if (!r) continue;
    const m = r.metrics;
    if (m && r.state !== "skipped") {
      if (m.ttftMs !== undefined) ttft.push(m.ttftMs);
      if (r.state === "passed" || r.state === "failed") outTok.push(m.outputTokens);
      if (m.region) hasRegion = true;
      if (Number.isFinite(Date.parse(m.startedAt))) hasStart = true;
    }
    const finite = (r.jury?.dimensions ?? []).filter((d) => Number.isFinite(d.score));
    for (const d of finite) if (!dims.includes(d.name)) dims.push(d.name);
    const mean = meanDimensionScore(finite);
    if (mean !== undefined) score.push(mean);
    if (r.state === "failed" || r.state === "errored") hasFailures = true;
  }
  return {
    models: unique(report.cases.map((c) => modelLabel(c))),
    tasks: unique(report.cases.map((c) => c.taskType)),
    dims,
    values: { ttft, score, outTok },
    hasRegion,
    hasStart,
    hasFailures,
  };
}

/** Every chart the report's data supports, in page order. */
export function chartSpecs(report: RunReportWithResults): ChartDef[] {
  const ctx = specContext(report);
  const ran = report.results.some((r) => r.state !== "skipped");
  if (!ran) return [];
  const charts: ChartDef[] = [];
  const lite = (id: string, title: string, caption: string, spec: Spec): void => {
    charts.push({ id, title, caption, kind: "vega-lite", spec, data: ["cases"] });
  };
  if (ctx.values.ttft.length) {
    lite(
      "ttft-bars",
      "Time to first token by model",
      "Mean TTFT per model; error bars: 95% CI of the mean (mean ± 1.96 standard errors).",
      barsWithErrorsSpec(ctx, "ttft", "TTFT (ms)"),
    );
  }
  if (report.results.some((r) => r.metrics?.otps !== undefined)) {
    lite(
      "otps-bars",
      "Output tokens per second by model",
      "Mean decode throughput per model; error bars: 95% CI of the mean.",
      barsWithErrorsSpec(ctx, "otps", "Output tokens/s"),
    );
  }
  if (ctx.values.ttft.length)
    lite(
      "ttft-distribution",
      "Distribution of TTFT",
      "Histogram with the normal curve of the same mean and standard deviation; rules at p50, p90, p95, p99.",
      distributionSpec("ttft", "TTFT (ms)", ctx.values.ttft),
    );
  if (ctx.values.score.length)
    lite(
      "score-distribution",
      "Distribution of the mean jury score",
      "Per case, the mean of the jury's dimension scores (1–5); normal curve and percentiles as above.",
      distributionSpec("score", "Mean jury score", ctx.values.score, { extent: [1, 5], step: 0.25 }),
    );
  if (ctx.values.outTok.length)
    lite(
      "tokens-distribution",
      "Distribution of output tokens",
      "Output tokens per judged response (errored cases have none); normal curve and percentiles as above.",
      distributionSpec(
        "outTok",
        "Output tokens",
        ctx.values.outTok,
        undefined,
        "datum.state == 'passed' || datum.state == 'failed'",
      ),
    );
  lite(
    "cost",
    "Cost per response",
    "Mean cost of one case per model: the model's response and the jury's verdicts, stacked.",
    costSpec(ctx),
  );
  lite(
    "success-heatmap",
    "Pass rate by model and task type",
    "Share of the cases that ran which passed, with the Wilson 95% interval in the tooltip.",
    successHeatmapSpec(ctx),
  );
  lite(
    "task-temperature",
    "Task type × temperature",
    "Per task type and temperature: pass rate, TTFT p50, mean cost per response, mean output tokens/s.",
    taskTemperatureSpec(),
  );
  lite(
    "bubble",
    "Latency × pass rate",
    "One bubble per model: latency p50 (time to last byte), pass rate; size: mean output tokens/s; colour: mean cost per response.",
    bubbleSpec(),
  );
  if (ctx.hasStart)
    lite(
      "hour-of-day",
      ctx.hasRegion ? "TTFT by region and hour of day" : "TTFT by model and hour of day",
      "Median TTFT per hour of the day the case started, in the time zone of the browser viewing this report.",
      hourOfDaySpec(ctx),
    );
  if (ctx.hasFailures)
    charts.push({
      id: "error-treemap",
      title: "What failed",
      caption: "Failing jury dimensions, failing checks and errors, grouped by model; area: number of cases.",
      kind: "vega",
      spec: errorTreemapSpec(ctx),
      data: ["fails"],
    });
  if (ctx.dims.length)
    charts.push({
      id: "radar",
      title: "Jury scores per dimension",
      caption: "Mean score (1–5) per dimension and model, over the judged cases.",
      kind: "vega",
      spec: radarSpec(ctx),
      data: ["scores"],
    });
  return charts;
}

const modelColor = (ctx: SpecContext) => ({
  field: "model",
  type: "nominal",
  scale: { domain: ctx.models },
  title: "Model",
});

const modelAxis = (ctx: SpecContext) => ({
  field: "model",
  type: "nominal",
  sort: ctx.models,
  title: null,
  axis: { labelAngle: -30, labelLimit: 180 },
});

/** Mean of `field` per model as bars, with the 95% CI of the mean (normal approximation) as error bars. */
export function barsWithErrorsSpec(ctx: SpecContext, field: string, title: string): Spec {
  return {
    $schema: VL_SCHEMA,
    width: { step: 48 },
    height: 220,
    data: { name: "cases" },
    transform: [
      { filter: `isValid(datum.${field})` },
      {
        aggregate: [
          { op: "mean", field, as: "mean" },
          { op: "stderr", field, as: "se" },
          { op: "count", as: "n" },
        ],
        groupby: ["model"],
      },
      { calculate: `datum.n > 1 ? datum.mean - ${Z} * datum.se : null`, as: "lo" },
      { calculate: `datum.n > 1 ? datum.mean + ${Z} * datum.se : null`, as: "hi" },
    ],
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

/** Bins of a histogram: `step` a 1-2-5 multiple of a power of ten, about 20 bins over the values. */
export function histogramBins(values: readonly number[]): { extent: [number, number]; step: number } {
  if (!values.length) return { extent: [0, 1], step: 0.05 };
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const span = hi - lo || Math.abs(hi) || 1;
  const step = niceStep(span / 20);
  const start = Math.floor(lo / step) * step;
  const end = (Math.floor(hi / step) + 1) * step;
  return { extent: [round(start), round(end)], step };
}

function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(raw));
  const f = raw / power;
  return round((f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * power);
}

function round(x: number): number {
  return Number(x.toPrecision(12));
}

/**
 * Histogram of `field` (fixed bins over the whole run, so filters don't move them), the normal curve of the
 * filtered values' mean and standard deviation scaled to counts, rules at p50/p90/p95/p99, and the sample size.
 */
export function distributionSpec(
  field: string,
  title: string,
  values: readonly number[],
  bins = histogramBins(values),
  where?: string,
): Spec {
  const [lo, hi] = bins.extent;
  const valid = { filter: `isValid(datum.${field})${where ? ` && (${where})` : ""}` };
  return {
    $schema: VL_SCHEMA,
    width: 380,
    height: 220,
    data: { name: "cases" },
    transform: [valid],
    layer: [
      {
        mark: { type: "bar", opacity: 0.75 },
        encoding: {
          x: {
            field,
            type: "quantitative",
            bin: { extent: bins.extent, step: bins.step },
            title,
            scale: { domain: bins.extent },
          },
          y: { aggregate: "count", type: "quantitative", title: "Cases" },
          tooltip: [
            { field, bin: { extent: bins.extent, step: bins.step }, type: "quantitative", title },
            { aggregate: "count", type: "quantitative", title: "Cases" },
          ],
        },
      },
      {
        transform: [
          {
            aggregate: [
              { op: "mean", field, as: "mu" },
              { op: "stdev", field, as: "sd" },
              { op: "count", as: "n" },
            ],
          },
          { filter: "datum.n > 1 && datum.sd > 0" },
          { calculate: "sequence(0, 121)", as: "k" },
          { flatten: ["k"] },
          { calculate: `${lo} + datum.k * ${(hi - lo) / 120}`, as: "x" },
          { calculate: `datum.n * ${bins.step} * densityNormal(datum.x, datum.mu, datum.sd)`, as: "y" },
        ],
        mark: { type: "line", strokeWidth: 2, color: "#e45756" },
        encoding: {
          x: { field: "x", type: "quantitative" },
          y: { field: "y", type: "quantitative" },
        },
      },
      {
        transform: [
          { quantile: field, probs: PERCENTILES, as: ["prob", "value"] },
          { calculate: "'p' + round(datum.prob * 100)", as: "p" },
          { calculate: "10 + 13 * indexof([0.5, 0.9, 0.95, 0.99], datum.prob)", as: "row" },
        ],
        layer: [
          {
            mark: { type: "rule", strokeDash: [4, 3] },
            encoding: {
              x: { field: "value", type: "quantitative" },
              color: {
                field: "p",
                type: "nominal",
                title: "Percentile",
                scale: { domain: ["p50", "p90", "p95", "p99"] },
              },
              tooltip: [
                { field: "p", type: "nominal", title: "Percentile" },
                { field: "value", type: "quantitative", title, format: ".4~r" },
              ],
            },
          },
          {
            mark: { type: "text", align: "left", dx: 3, fontSize: 10 },
            encoding: {
              x: { field: "value", type: "quantitative" },
              y: { field: "row", type: "quantitative", scale: null },
              text: { field: "p" },
              color: { field: "p", type: "nominal" },
            },
          },
        ],
      },
      {
        transform: [
          {
            aggregate: [
              { op: "count", as: "n" },
              { op: "mean", field, as: "mu" },
              { op: "stdev", field, as: "sd" },
            ],
          },
          {
            calculate:
              "'n = ' + datum.n + ' · mean ' + format(datum.mu, '.4~r') + (datum.n > 1 ? ' · sd ' + format(datum.sd, '.3~r') : '')",
            as: "label",
          },
        ],
        mark: { type: "text", align: "right", baseline: "top", fontSize: 11 },
        encoding: {
          x: { value: { expr: "width" } },
          y: { value: -14 },
          text: { field: "label" },
        },
      },
    ],
  };
}

/** Mean cost of a case per model: response and jury stacked. */
export function costSpec(ctx: SpecContext): Spec {
  return {
    $schema: VL_SCHEMA,
    width: { step: 48 },
    height: 220,
    data: { name: "cases" },
    transform: [
      { filter: "datum.ran == 1" },
      { fold: ["cost", "judgeCost"], as: ["part", "usd"] },
      { calculate: "datum.part == 'cost' ? 'response' : 'jury'", as: "part" },
      {
        aggregate: [
          { op: "mean", field: "usd", as: "mean" },
          { op: "count", as: "n" },
        ],
        groupby: ["model", "part"],
      },
    ],
    mark: { type: "bar" },
    encoding: {
      x: modelAxis(ctx),
      y: { field: "mean", type: "quantitative", title: "USD per case", stack: "zero" },
      color: { field: "part", type: "nominal", title: "Cost of", scale: { domain: ["response", "jury"] } },
      tooltip: [
        { field: "model", type: "nominal", title: "Model" },
        { field: "part", type: "nominal", title: "Cost of" },
        { field: "mean", type: "quantitative", title: "Mean USD", format: ".3~e" },
        { field: "n", type: "quantitative", title: "Cases" },
      ],
    },
  };
}

/**
 * Vega-Lite steps that count passed and ran cases per group (`passed`, `n`, plus `extra` aggregates) and derive
 * the pass `rate` — with its Wilson 95% bounds `lo`/`hi` when `interval` is set.
 */
function passRate(
  groupby: string[],
  extra: Record<string, unknown>[] = [],
  interval = false,
): Record<string, unknown>[] {
  return [
    { aggregate: [{ op: "sum", field: "pass", as: "passed" }, { op: "count", as: "n" }, ...extra], groupby },
    { calculate: "datum.passed / datum.n", as: "rate" },
    ...(interval
      ? [
          { calculate: wilsonExpr("datum.passed", "datum.n", "-"), as: "lo" },
          { calculate: wilsonExpr("datum.passed", "datum.n", "+"), as: "hi" },
        ]
      : []),
  ];
}

/** Vega expression: one bound of the Wilson 95% interval of `k` successes in `n` (n > 0). */
function wilsonExpr(k: string, n: string, sign: "-" | "+"): string {
  const p = `(${k} / ${n})`;
  const z2 = Z * Z;
  const centre = `(${p} + ${z2} / (2 * ${n}))`;
  const half = `(${Z} * sqrt(${p} * (1 - ${p}) / ${n} + ${z2} / (4 * ${n} * ${n})))`;
  const bound = `(${centre} ${sign} ${half}) / (1 + ${z2} / ${n})`;
  return sign === "-" ? `max(0, ${bound})` : `min(1, ${bound})`;
}

/** Pass rate per model × task type, coloured, labelled with the rate and the number of cases. */
export function successHeatmapSpec(ctx: SpecContext): Spec {
  return {
    $schema: VL_SCHEMA,
    width: { step: Math.max(70, Math.min(140, 560 / Math.max(1, ctx.tasks.length))) },
    height: { step: 32 },
    data: { name: "cases" },
    transform: [
      { filter: "datum.ran == 1" },
      ...passRate(["model", "task"], [], true),
      { calculate: "format(datum.rate, '.0%') + ' (n=' + datum.n + ')'", as: "label" },
    ],
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

/** Four heatmaps side by side: per task type × temperature, pass rate, TTFT p50, mean cost, mean tokens/s. */
export function taskTemperatureSpec(): Spec {
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
      {
        mark: { type: "text", fontSize: 10 },
        encoding: { text: { field, type: "quantitative", format } },
      },
    ],
  });
  return {
    $schema: VL_SCHEMA,
    data: { name: "cases" },
    transform: [
      { filter: "datum.ran == 1" },
      ...passRate(
        ["task", "temp"],
        [
          { op: "median", field: "ttft", as: "ttftP50" },
          { op: "mean", field: "cost", as: "costMean" },
          { op: "mean", field: "otps", as: "otpsMean" },
        ],
      ),
    ],
    hconcat: [
      cell("rate", "Pass rate", ".0%", "redyellowgreen", [0, 1]),
      cell("ttftP50", "TTFT p50 (ms)", ".3~s", "blues"),
      cell("costMean", "USD per response", ".2~e", "oranges"),
      cell("otpsMean", "Output tokens/s", ".3~s", "greens"),
    ],
    resolve: { scale: { color: "independent" }, legend: { color: "independent" } },
  };
}

/** One bubble per model: latency p50 × pass rate, size tokens/s, colour cost per response. */
export function bubbleSpec(): Spec {
  return {
    $schema: VL_SCHEMA,
    width: 420,
    height: 260,
    data: { name: "cases" },
    transform: [
      { filter: "datum.ran == 1" },
      ...passRate(
        ["model"],
        [
          { op: "median", field: "ttlb", as: "latency" },
          { op: "mean", field: "otps", as: "tps" },
          { op: "mean", field: "cost", as: "costMean" },
        ],
        true,
      ),
      { filter: "isValid(datum.latency)" },
    ],
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
          size: { field: "tps", type: "quantitative", title: "Tokens/s", scale: { range: [60, 1400] } },
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
            { field: "tps", type: "quantitative", title: "Tokens/s", format: ".3~r" },
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

/** Median TTFT per hour of day (the browser's time zone) and region, or model when no region is known. */
export function hourOfDaySpec(ctx: SpecContext): Spec {
  const by = ctx.hasRegion ? "region" : "model";
  return {
    $schema: VL_SCHEMA,
    width: { step: 22 },
    height: { step: 26 },
    data: { name: "cases" },
    transform: [
      { filter: "datum.ran == 1 && isValid(datum.start)" },
      { calculate: "hours(datum.start)", as: "hour" },
      { calculate: by === "region" ? "datum.region || '(unknown)'" : "datum.model", as: "group" },
      ...passRate(["group", "hour"], [{ op: "median", field: "ttft", as: "ttftP50" }]),
    ],
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
        { field: "group", type: "nominal", title: by === "region" ? "Region" : "Model" },
        { field: "hour", type: "ordinal", title: "Hour" },
        { field: "ttftP50", type: "quantitative", title: "TTFT p50 (ms)", format: ".4~r" },
        { field: "rate", type: "quantitative", title: "Pass rate", format: ".1%" },
        { field: "n", type: "quantitative", title: "Cases" },
      ],
    },
  };
}

/** Colours and strokes the Vega specs read from signals, so the page can switch them with the theme. */
const themeSignals = [
  { name: "fg", value: "#333333" },
  { name: "gridColor", value: "#cccccc" },
];

/** Vega treemap of what failed: model → failing dimension, check or error class; area = cases. */
export function errorTreemapSpec(ctx: SpecContext): Spec {
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
      { name: "fails", values: [] },
      {
        name: "counts",
        source: "fails",
        transform: [{ type: "aggregate", groupby: ["model", "label"], ops: ["count"], as: ["n"] }],
      },
      {
        name: "tree",
        source: "counts",
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
        name: "totals",
        source: "fails",
        transform: [{ type: "aggregate", groupby: ["model"], ops: ["count"], as: ["n"] }],
      },
      {
        name: "groups",
        source: "tree",
        transform: [
          { type: "filter", expr: "datum.depth === 1" },
          { type: "lookup", from: "totals", key: "model", fields: ["key"], values: ["n"], as: ["n"] },
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

/** Vega radar: mean jury score (0–5 scale) per dimension, one closed line per model. */
export function radarSpec(ctx: SpecContext): Spec {
  const angle = "scale('angular', datum.dim)";
  return {
    $schema: VEGA_SCHEMA,
    width: 640,
    height: 380,
    padding: 0,
    autosize: "none",
    signals: [...themeSignals, { name: "radius", value: 140 }],
    data: [
      { name: "scores", values: [] },
      {
        name: "table",
        source: "scores",
        transform: [
          { type: "aggregate", groupby: ["model", "dim"], fields: ["score"], ops: ["mean"], as: ["value"] },
          { type: "formula", expr: angle, as: "angle" },
        ],
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

function unique<T>(xs: readonly T[]): T[] {
  return [...new Set(xs)];
}
