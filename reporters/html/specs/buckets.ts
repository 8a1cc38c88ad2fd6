// Percentile-bucket stacked bars (pure), as the seed draws them for each latency and cost distribution: per
// model, the share of its cases at or below the whole run's p50, between p50 and p90, p90 and p95, p95 and p99,
// and above p99. A model with more of its bar in the right-hand buckets is slower (or dearer) more often.
import { BUCKETS, bucketBounds, bucketShares } from "../findings.ts";
import { groupBy, valuesOf } from "../rows.ts";
import { type Chart, type SpecContext, VL_SCHEMA } from "./chart.ts";

export type BucketField = "ttft" | "ttlb" | "cost";

/** Light to dark orange-red: the further right a bucket, the worse. */
const BUCKET_COLORS = ["#fdd49e", "#fdae6b", "#f16913", "#c23b3a", "#7f0000"];

const sortedCache = new WeakMap<number[], [number, number, number, number] | undefined>();

/** The whole run's p50/p90/p95/p99 of `field`: fixed, so a filter shows the chosen cases against the run's. */
export function runBounds(
  ctx: SpecContext,
  field: BucketField,
): [number, number, number, number] | undefined {
  const values = ctx.values[field];
  if (!sortedCache.has(values)) sortedCache.set(values, bucketBounds([...values].sort((a, b) => a - b)));
  return sortedCache.get(values);
}

function bucketChart(id: string, field: BucketField, what: string, format: (x: number) => string): Chart {
  const name = `${field}Buckets`;
  return {
    id,
    define: (ctx) => {
      const bounds = runBounds(ctx, field);
      if (!bounds) return undefined;
      const [p50, p90, p95, p99] = bounds.map(format);
      return {
        title: `${what}: percentile buckets by model`,
        caption: `Share of each model's cases in each bucket of the whole run's ${what} percentiles: p50 ${p50}, p90 ${p90}, p95 ${p95}, p99 ${p99}. More of a bar to the right: slower or dearer more often.`,
        kind: "vega-lite",
        spec: bucketSpec(ctx, name, what),
      };
    },
    data: {
      [name]: (rows, ctx) => {
        const bounds = runBounds(ctx, field);
        if (!bounds) return [];
        const ran = rows.cases.filter((r) => r.ran === 1 && r[field] !== null);
        return [...groupBy(ran, (r) => r.model)].flatMap(([model, group]) => {
          const values = valuesOf(group, field);
          return bucketShares(values, bounds).map((b) => ({ model, ...b, total: values.length }));
        });
      },
    },
  };
}

function bucketSpec(ctx: SpecContext, name: string, what: string) {
  return {
    $schema: VL_SCHEMA,
    width: 380,
    height: { step: 22 },
    data: { name },
    mark: { type: "bar" },
    encoding: {
      y: { field: "model", type: "nominal", sort: ctx.models, title: null, axis: { labelLimit: 180 } },
      x: {
        field: "share",
        type: "quantitative",
        stack: "zero",
        title: "Share of the model's cases",
        axis: { format: ".0%" },
        scale: { domain: [0, 1] },
      },
      color: {
        field: "bucket",
        type: "ordinal",
        title: `${what} bucket`,
        scale: { domain: [...BUCKETS], range: BUCKET_COLORS },
        legend: { orient: "bottom", direction: "horizontal", columns: 5 },
      },
      order: { field: "order", type: "quantitative" },
      tooltip: [
        { field: "model", type: "nominal", title: "Model" },
        { field: "bucket", type: "nominal", title: "Bucket" },
        { field: "share", type: "quantitative", title: "Share", format: ".1%" },
        { field: "n", type: "quantitative", title: "Cases" },
        { field: "total", type: "quantitative", title: "Of" },
      ],
    },
  };
}

const ms = (x: number) => (x < 1000 ? `${Math.round(x)} ms` : `${(x / 1000).toFixed(2)} s`);
const usd = (x: number) => `$${Number(x.toPrecision(3))}`;

export const ttftBuckets = bucketChart("ttft-buckets", "ttft", "TTFT", ms);
export const ttlbBuckets = bucketChart("ttlb-buckets", "ttlb", "Time to last byte", ms);
export const costBuckets = bucketChart("cost-buckets", "cost", "Cost per response", usd);
