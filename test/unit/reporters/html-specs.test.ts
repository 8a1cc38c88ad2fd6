import { parse, View } from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import { describe, expect, it } from "vitest";
import { pageData } from "../../../reporters/html/data.ts";
import { type ChartDef, chartSpecs, histogramBins, type Spec } from "../../../reporters/html/specs.ts";
import { wilson } from "../../../src/metrics/stats.ts";
import { clientLib, type Row, sampleReport } from "../../support/html-report.ts";
import { caseRecord, passed, runReport, skipped } from "../../support/records.ts";

const report = sampleReport();
const decoded = clientLib().decodeData(pageData(report));
const charts = chartSpecs(report);

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

/** The Vega spec a chart becomes on the page, with the page's data sets filled in. */
function vegaSpec(
  def: ChartDef,
  data: Record<string, Row[]> = decoded as unknown as Record<string, Row[]>,
  warnings: unknown[] = [],
): Spec {
  if (def.kind === "vega-lite") {
    const datasets = Object.fromEntries(def.data.map((n) => [n, data[n]]));
    const options = { logger: collector(warnings) } as never;
    return compile({ ...def.spec, datasets } as unknown as TopLevelSpec, options).spec as unknown as Spec;
  }
  const spec = structuredClone(def.spec) as { data: { name: string; values?: unknown }[] };
  for (const d of spec.data) if ((def.data as string[]).includes(d.name)) d.values = data[d.name];
  return spec as unknown as Spec;
}

/** Runs a chart headless in Node and returns every data set it computed, by name. */
async function run(def: ChartDef): Promise<Record<string, Row[]>> {
  const warnings: unknown[] = [];
  const spec = vegaSpec(def, undefined, warnings);
  const view = new View(parse(spec as never), { renderer: "none", logger: collector(warnings) as never });
  await view.runAsync();
  expect(warnings, def.id).toEqual([]);
  const names = (spec.data as { name: string }[]).map((d) => d.name);
  return Object.fromEntries(names.map((n) => [n, view.data(n) as Row[]]));
}

const chart = (id: string) => {
  const def = charts.find((c) => c.id === id);
  if (!def) throw new Error(`no chart ${id}`);
  return def;
};
const rowsWith = (sets: Record<string, Row[]>, field: string) =>
  Object.values(sets).find((rows) => rows.length && field in (rows[0] as Row)) ?? [];

describe("chartSpecs", () => {
  it("builds every chart the data supports, in page order", () => {
    expect(charts.map((c) => [c.id, c.kind, c.data.join()])).toEqual([
      ["ttft-bars", "vega-lite", "cases"],
      ["otps-bars", "vega-lite", "cases"],
      ["ttft-distribution", "vega-lite", "cases"],
      ["score-distribution", "vega-lite", "cases"],
      ["tokens-distribution", "vega-lite", "cases"],
      ["cost", "vega-lite", "cases"],
      ["success-heatmap", "vega-lite", "cases"],
      ["task-temperature", "vega-lite", "cases"],
      ["bubble", "vega-lite", "cases"],
      ["hour-of-day", "vega-lite", "cases"],
      ["error-treemap", "vega", "fails"],
      ["radar", "vega", "scores"],
    ]);
  });

  it("is a pure function of the report, and specs carry no data of their own", () => {
    expect(chartSpecs(sampleReport())).toEqual(charts);
    for (const def of charts) {
      expect(def.spec.datasets).toBeUndefined();
      if (def.kind === "vega")
        for (const d of def.spec.data as { name: string; values?: unknown[] }[])
          if ((def.data as string[]).includes(d.name)) expect(d.values).toEqual([]);
    }
  });

  it("every Vega-Lite spec compiles and every Vega spec parses", () => {
    for (const def of charts) {
      const spec = vegaSpec(def);
      expect(() => parse(spec as never), def.id).not.toThrow();
    }
  });

  it("every chart runs in Vega without a warning, on all the data and on none", async () => {
    for (const def of charts) await run(def);
    const empty = { cases: [], scores: [], fails: [] };
    for (const def of charts) expect(() => parse(vegaSpec(def, empty) as never), def.id).not.toThrow();
  });

  it("the success heatmap computes pass rates and their Wilson intervals in the browser", async () => {
    const cells = rowsWith(await run(chart("success-heatmap")), "rate");
    const a = cells.find((r) => r.model === "mock/a" && r.task === "Q&A");
    // mock/a Q&A is cases 1..10: 3, 6, 9 failed, 7 errored → 6 of 10 passed.
    expect(a).toMatchObject({ passed: 6, n: 10, rate: 0.6, label: "60% (n=10)" });
    const [lo, hi] = wilson(6, 10);
    expect(a?.lo).toBeCloseTo(lo, 12);
    expect(a?.hi).toBeCloseTo(hi, 12);
  });

  it("the distribution draws percentiles, a normal curve and states the sample size", async () => {
    const sets = await run(chart("ttft-distribution"));
    const ttft = decoded.cases
      .map((r) => r.ttft)
      .filter((x): x is number => typeof x === "number")
      .sort((x, y) => x - y);
    const percentiles = rowsWith(sets, "prob");
    expect(percentiles.map((r) => r.p)).toEqual(["p50", "p90", "p95", "p99"]);
    expect(percentiles[0]?.value).toBe(ttft[Math.floor(ttft.length / 2)]);
    expect(rowsWith(sets, "y")).toHaveLength(121);
    expect(rowsWith(sets, "label")[0]?.label).toMatch(
      new RegExp(`^n = ${ttft.length} · mean [0-9.]+ · sd [0-9.]+$`),
    );
  });

  it("the treemap groups failures by model, and the radar averages scores per dimension", async () => {
    const tree = await run(chart("error-treemap"));
    expect((tree.leaves ?? []).map((r) => `${r.model} ${r.label} ${r.n}`).sort()).toEqual([
      "mock/a Correctness 6",
      "mock/a api_failure 2",
      "mock/b Correctness 6",
      "mock/b Format 6",
      "mock/b api_failure 3",
    ]);
    expect((tree.groups ?? []).map((r) => `${r.key} ${r.n}`).sort()).toEqual(["mock/a 8", "mock/b 15"]);
    const radar = await run(chart("radar"));
    const format = (radar.table ?? []).filter((r) => r.dim === "Format");
    expect(format.map((r) => [r.model, Number((r.value as number).toFixed(3))])).toEqual([
      ["mock/a", 5],
      // 17 judged cases of mock/b, 6 of them with Format 2.
      ["mock/b", Number(((11 * 5 + 6 * 2) / 17).toFixed(3))],
    ]);
  });

  it("leaves out the charts the data cannot support", () => {
    const c = caseRecord({ id: "s" });
    expect(chartSpecs(runReport([c], [skipped(c)]))).toEqual([]);
    const ids = chartSpecs(runReport([c], [passed(c, { metrics: { otps: undefined } })])).map((d) => d.id);
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
