import { parse, View } from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import { describe, expect, it } from "vitest";
import { pageData } from "../../../reporters/html/data.ts";
import { decodeData, filterRows, type PageRows } from "../../../reporters/html/rows.ts";
import { percentileLabels } from "../../../reporters/html/specs/distribution.ts";
import {
  type ChartDef,
  chartData,
  chartSpecs,
  type Datum,
  histogramBins,
  type Spec,
  specContext,
} from "../../../reporters/html/specs/index.ts";
import { bubbleLabels } from "../../../reporters/html/specs/pass-rate.ts";
import { mean, median, percentile, quantileCi, wilson } from "../../../src/metrics/stats.ts";
import type { RunReportWithResults as RunReport } from "../../../src/types.ts";
import { regionalReport, sampleReport } from "../../support/html-report.ts";
import { caseRecord, passed, runReport, skipped } from "../../support/records.ts";

const rowsOf = (report: RunReport) => decodeData(pageData(report));
const rows = rowsOf(sampleReport());
const ctx = specContext(rows);
const charts = chartSpecs(rows);
const EMPTY: PageRows = { ...rows, cases: [], scores: [], fails: [] };

/** Collects what Vega or Vega-Lite would log as warnings or errors. */
function collector(into: unknown[]) {
  const logger = {
    level: () => logger,
    error: (...a: unknown[]) => into.push(a),
    warn: (...a: unknown[]) => into.push(a),
    info: () => logger,
    debug: () => logger,
  };
  return logger;
}

/** The Vega spec a chart becomes on the page, with the data sets of `from` filled in as the page does. */
function vegaSpec(def: ChartDef, from: PageRows = rows, warnings: unknown[] = []): Spec {
  const sets = chartData(def.id, from, ctx);
  if (def.kind === "vega-lite") {
    const options = { logger: collector(warnings) } as never;
    return compile({ ...def.spec, datasets: sets } as unknown as TopLevelSpec, options)
      .spec as unknown as Spec;
  }
  const spec = structuredClone(def.spec) as {
    data: { name: string; values?: unknown }[];
    marks?: { transform?: { type: string }[] }[];
  };
  for (const d of spec.data) if (d.name in sets) d.values = sets[d.name];
  // Vega's label transform draws the marks to a canvas to place labels, and Node has none: the labels stay where
  // their text mark puts them (the browser test checks where the transform puts them).
  for (const m of spec.marks ?? [])
    if (m.transform) m.transform = m.transform.filter((t) => t.type !== "label");
  return spec as unknown as Spec;
}

/** Runs a chart headless in Node and returns every data set it holds, by name. */
async function run(def: ChartDef, from: PageRows = rows): Promise<Record<string, Datum[]>> {
  const warnings: unknown[] = [];
  const spec = vegaSpec(def, from, warnings);
  const view = new View(parse(spec as never), { renderer: "none", logger: collector(warnings) as never });
  await view.runAsync();
  expect(warnings, def.id).toEqual([]);
  const names = (spec.data as { name: string }[]).map((d) => d.name);
  return Object.fromEntries(names.map((n) => [n, view.data(n) as Datum[]]));
}

/** Every text a chart draws, once run headless (axis labels, legends and marks). */
async function renderedTexts(def: ChartDef, from: PageRows): Promise<string[]> {
  const view = new View(parse(vegaSpec(def, from) as never), { renderer: "none" });
  await view.runAsync();
  const out: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === "object") {
      const o = node as Record<string, unknown>;
      if (o.marktype === "text")
        for (const item of (o.items as { text?: unknown }[]) ?? []) out.push(String(item.text));
      if (Array.isArray(o.items)) walk(o.items);
    }
  };
  walk((view.scenegraph() as unknown as { root: unknown }).root);
  return out;
}

const chart = (id: string) => {
  const def = charts.find((c) => c.id === id);
  if (!def) throw new Error(`no chart ${id}`);
  return def;
};

/** Every transform of a compiled Vega spec, nested marks included. */
function transforms(spec: Spec): { type: string }[] {
  const out: { type: string }[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === "object") {
      const o = node as Record<string, unknown>;
      if (Array.isArray(o.transform)) out.push(...(o.transform as { type: string }[]));
      for (const v of Object.values(o)) walk(v);
    }
  };
  walk(spec);
  return out;
}

describe("chartSpecs", () => {
  it("builds every chart the data supports, in page order, each reading its own data sets", () => {
    expect(charts.map((c) => [c.id, c.kind, c.data.join()])).toEqual([
      ["ttft-bars", "vega-lite", "ttftByModel"],
      ["otps-bars", "vega-lite", "otpsByModel"],
      ["ttlb-percentiles", "vega-lite", "ttlbByModel"],
      ["ttft-distribution", "vega-lite", "ttftBins,ttftCurve,ttftPercentiles,ttftPercentileLabels,ttftLabel"],
      ["ttft-buckets", "vega-lite", "ttftBuckets"],
      ["ttlb-buckets", "vega-lite", "ttlbBuckets"],
      [
        "score-distribution",
        "vega-lite",
        "scoreBins,scoreCurve,scorePercentiles,scorePercentileLabels,scoreLabel",
      ],
      [
        "tokens-distribution",
        "vega-lite",
        "outTokBins,outTokCurve,outTokPercentiles,outTokPercentileLabels,outTokLabel",
      ],
      ["cost", "vega-lite", "costByModel"],
      ["cost-buckets", "vega-lite", "costBuckets"],
      ["success-heatmap", "vega-lite", "passByModelTask"],
      ["task-temperature", "vega-lite", "byTaskTemperature"],
      ["bubble", "vega", "byModel"],
      ["bubble-by-task", "vega-lite", "byModelTask"],
      ["hour-of-day", "vega-lite", "byHour"],
      ["error-treemap", "vega", "failCounts,failTotals"],
      ["radar", "vega", "meanScores"],
    ]);
  });

  it("is a pure function of the rows, and specs carry no data of their own", () => {
    expect(chartSpecs(rowsOf(sampleReport()))).toEqual(charts);
    for (const def of charts) {
      expect(def.spec.datasets).toBeUndefined();
      if (def.kind === "vega")
        for (const d of def.spec.data as { name: string; values?: unknown[] }[])
          if (def.data.includes(d.name)) expect(d.values).toEqual([]);
    }
  });

  it("formats no number in exponent notation (d3's e / g / s types): USD axes and tooltips read $0.0014", () => {
    const formats = [
      ...JSON.stringify(chartSpecs(rowsOf(regionalReport()))).matchAll(/"format":"([^"]*)"/g),
    ].map((m) => m[1] as string);
    expect(formats.length).toBeGreaterThan(0);
    expect(formats.filter((f) => /[egs]$/.test(f))).toEqual([]);
  });

  it("every chart runs in Vega without a warning, on all the data and on none", async () => {
    for (const def of charts) await run(def);
    for (const def of charts) expect(() => parse(vegaSpec(def, EMPTY) as never), def.id).not.toThrow();
  });

  it("Vega computes no statistic: no chart, once compiled, aggregates, bins, smooths or takes quantiles", () => {
    const statistical = new Set([
      "aggregate",
      "joinaggregate",
      "window",
      "bin",
      "quantile",
      "density",
      "kde",
      "kde2d",
      "regression",
      "loess",
      "impute",
      "pivot",
    ]);
    // A facet's panels are listed by an aggregate that only groups (no field, no op): it computes nothing.
    const listsPanels = (t: { type: string; ops?: unknown[]; fields?: unknown[] }) =>
      t.type === "aggregate" && !t.ops?.length && !t.fields?.length;
    for (const def of charts) {
      const found = transforms(vegaSpec(def)).filter((t) => statistical.has(t.type) && !listsPanels(t));
      expect(found, def.id).toEqual([]);
    }
  });

  it("the success heatmap shows the Wilson intervals src/metrics/stats.ts computes, as computed", async () => {
    const cells = (await run(chart("success-heatmap"))).passByModelTask ?? [];
    const a = cells.find((r) => r.model === "mock/a" && r.task === "Q&A");
    // mock/a Q&A is cases 1..10: 3, 6, 9 failed, 7 errored → 6 of 10 passed.
    const [lo, hi] = wilson(6, 10);
    expect(a).toMatchObject({ passed: 6, n: 10, rate: 0.6, lo, hi });
    // The filters re-aggregate with the same function: mock/b at t=0.7 only.
    const subset = filterRows(rows, { model: "mock/b", temp: "0.7" });
    const b = chartData("success-heatmap", subset, ctx).passByModelTask ?? [];
    for (const cell of b) {
      const group = subset.cases.filter((r) => r.task === cell.task && r.ran === 1);
      const k = group.filter((r) => r.pass === 1).length;
      const [l, h] = wilson(k, group.length);
      expect(cell).toMatchObject({ model: "mock/b", passed: k, n: group.length, lo: l, hi: h });
    }
  });

  it("the distribution draws the percentiles, the normal curve and the sample size computed in TypeScript", async () => {
    const sets = await run(chart("ttft-distribution"));
    const ttft = rows.cases
      .map((r) => r.ttft)
      .filter((x): x is number => typeof x === "number")
      .sort((x, y) => x - y);
    expect((sets.ttftPercentiles ?? []).map((r) => [r.p, r.value])).toEqual(
      [50, 90, 95, 99].map((p) => [`p${p}`, percentile(ttft, p)]),
    );
    expect(sets.ttftCurve).toHaveLength(121);
    expect((sets.ttftBins ?? []).reduce((s, r) => s + (r.n as number), 0)).toBe(ttft.length);
    expect(sets.ttftLabel?.[0]?.label).toBe(
      `n = ${ttft.length} · mean ${Number((mean(ttft) as number).toPrecision(4))} · sd ${Number(
        Math.sqrt(
          ttft.reduce((s, x) => s + (x - (mean(ttft) as number)) ** 2, 0) / (ttft.length - 1),
        ).toPrecision(3),
      )}`,
    );
  });

  it("the treemap counts failures by model, and the radar averages scores per dimension", async () => {
    const tree = await run(chart("error-treemap"));
    expect((tree.leaves ?? []).map((r) => `${r.model} ${r.label} ${r.n}`).sort()).toEqual([
      "mock/a Correctness 6",
      "mock/a api_failure 2",
      // Every failed case of mock/b failed both: one box of 6 cases, not two.
      "mock/b Correctness + Format 6",
      "mock/b api_failure 3",
    ]);
    // Cases, not failures: mock/b's 6 failed cases failed two dimensions each.
    expect((tree.groups ?? []).map((r) => `${r.key} ${r.n}`).sort()).toEqual(["mock/a 8", "mock/b 9"]);
    const radar = await run(chart("radar"));
    const format = (radar.table ?? []).filter((r) => r.dim === "Format");
    expect(format.map((r) => [r.model, Number((r.value as number).toFixed(3))])).toEqual([
      ["mock/a", 5],
      // 17 judged cases of mock/b, 6 of them with Format 2.
      ["mock/b", Number(((11 * 5 + 6 * 2) / 17).toFixed(3))],
    ]);
  });

  it("the task × temperature grid writes – for a group without OTPS, and no chart writes NaN", async () => {
    // Summarization at t=0.3 has no OTPS (one-token answers): its cell has no figure.
    const report = sampleReport();
    for (const r of report.results) {
      const c = report.cases.find((x) => x.id === r.caseId);
      if (c?.taskType === "Summarization" && c.temperature === 0.3 && r.metrics) delete r.metrics.otps;
    }
    const from = rowsOf(report);
    const def = chartSpecs(from).find((c) => c.id === "task-temperature") as ChartDef;
    const texts = await renderedTexts(def, from);
    expect(texts).toContain("–");
    expect(texts.filter((t) => /NaN|Infinity/.test(t))).toEqual([]);
    for (const d of chartSpecs(from)) {
      const all = await renderedTexts(d, from);
      expect(
        all.filter((t) => /NaN|Infinity/.test(t)),
        d.id,
      ).toEqual([]);
    }
  });

  it("the OTPS bars are per-model medians with their distribution-free intervals, never a mean", async () => {
    const bars = (await run(chart("otps-bars"))).otpsByModel ?? [];
    for (const model of ["mock/a", "mock/b"]) {
      const values = rows.cases
        .filter((r) => r.model === model && r.otps !== null)
        .map((r) => r.otps as number)
        .sort((a, b) => a - b);
      const ci = quantileCi(values, 0.5) as [number, number];
      expect(bars.find((b) => b.model === model)).toMatchObject({
        p50: median(values),
        lo: ci[0],
        hi: ci[1],
        n: values.length,
      });
    }
  });

  it("leaves out the charts the data cannot support", () => {
    const c = caseRecord({ id: "s" });
    expect(chartSpecs(rowsOf(runReport([c], [skipped(c)])))).toEqual([]);
    const ids = chartSpecs(rowsOf(runReport([c], [passed(c, { metrics: { otps: undefined } })]))).map(
      (d) => d.id,
    );
    expect(ids).not.toContain("error-treemap");
    expect(ids).not.toContain("otps-bars");
    expect(ids).toContain("radar");
  });
});

describe("histogramBins", () => {
  it("picks a 1-2-5 step for about 20 bins and an extent that holds every value", () => {
    expect(histogramBins([100, 150])).toEqual({ extent: [100, 155], step: 5 });
    expect(histogramBins([0.3, 9.7])).toEqual({ extent: [0, 10], step: 0.5 });
    expect(histogramBins([812])).toEqual({ extent: [800, 850], step: 50 });
    expect(histogramBins([])).toEqual({ extent: [0, 1], step: 0.05 });
  });
});

describe("percentileLabels", () => {
  const bins = { extent: [0, 100] as [number, number], step: 5 };
  it("gives rules closer than 8 px one label, and moves a label that would run into another a row down", () => {
    // 380 px for 100: p90, p95 and p99 within 1.5 px of each other; p50 far from them.
    expect(
      percentileLabels(
        [
          { p: "p50", value: 10 },
          { p: "p90", value: 60 },
          { p: "p95", value: 60.2 },
          { p: "p99", value: 60.4 },
        ],
        bins,
      ),
    ).toEqual([
      { label: "p50", value: 10, row: 10 },
      { label: "p90 p95 p99", value: 60, row: 10 },
    ]);
    // 3 px apart: merged; 12 px apart: two labels, the second a row down (it would overlap the first).
    expect(
      percentileLabels(
        [
          { p: "p50", value: 50 },
          { p: "p90", value: 50.8 },
          { p: "p95", value: 54 },
          { p: "p99", value: 90 },
        ],
        bins,
      ).map((l) => [l.label, l.row]),
    ).toEqual([
      ["p50 p90", 10],
      ["p95", 23],
      ["p99", 10],
    ]);
  });
});

describe("bubbleLabels", () => {
  it("gives bubbles at the same spot one label, on the first of them", () => {
    const b = (model: string, latency: number, rate: number) => ({ model, latency, rate });
    expect(
      bubbleLabels([b("a", 1000, 1), b("b", 1010, 0.98), b("c", 1500, 1), b("d", 1030, 0.95)]).map(
        (x) => x.label,
      ),
    ).toEqual(["a, b, d", "", "c", ""]);
  });
});
