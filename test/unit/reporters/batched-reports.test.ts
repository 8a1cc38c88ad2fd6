// Issue 21, "honest figures": every report says which cases went through a provider's batch engine — no latency
// (n/a, never 0) and costs at batch prices. The batch engine (lane E1) is not on this branch: the results are built
// here as the runner records them for batched calls (`metrics.batched`, no latency field), at that seam.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { stripVTControlCharacters } from "node:util";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { writeCsvFile } from "../../../reporters/csv.ts";
import { csvColumns, csvRow } from "../../../reporters/csv-row.ts";
import { DefaultReporter } from "../../../reporters/default.ts";
import { integratedTables } from "../../../reporters/html/aggregate.ts";
import { pageData } from "../../../reporters/html/data.ts";
import { decodeData } from "../../../reporters/html/rows.ts";
import { specContext } from "../../../reporters/html/specs/chart.ts";
import type { Libraries } from "../../../reporters/html/template.ts";
import { JsonReporter } from "../../../reporters/json.ts";
import { buildJunitXml } from "../../../reporters/junit-xml.ts";
import { batchPriceText } from "../../../src/metrics/batch-text.ts";
import { resultsInMemory } from "../../../src/store/results-reader.ts";
import type { CaseRecord, CaseResult, ReporterContext } from "../../../src/types.ts";
import { htmlOf } from "../../support/html-report.ts";
import { BATCHED, caseRecord, configSnapshot, passed, runEndArgs, runReport } from "../../support/records.ts";
import { fileReporterContext } from "../../support/reporter-context.ts";

const records = (n: number, model: string) =>
  Array.from({ length: n }, (_, i) =>
    caseRecord({ id: `${model.slice(5)}${String(i).padStart(3, "0")}`, scenarioKey: `L${i}`, model }),
  );
// 2 measured cases on mock/live, 3 batched on mock/batch.
const live = records(2, "mock/live");
const batch = records(3, "mock/batch");
const cases = [...live, ...batch];
const results: CaseResult[] = [
  ...live.map((c, i) => passed(c, { metrics: { ttftMs: 300 + 100 * i } })),
  ...batch.map((c) => passed(c, { metrics: BATCHED })),
];
const report = runReport(cases, results);
const LATENCY = ["ttftMs", "ttfbMs", "ttlbMs", "ttfrMs", "otps", "itlMs", "e2eTps"];
const STUB: Libraries = { vega: "", vegaLite: "", vegaEmbed: "", page: "" };

function consoleLines(r = report): string[] {
  const lines: string[] = [];
  const ctx: ReporterContext = {
    root: "/p",
    runId: "r",
    runDir: "/p/outputs/runs/r",
    outputDir: "/p/outputs",
    log: (t) => lines.push(stripVTControlCharacters(t)),
    write: () => {},
    isTTY: false,
    isCI: true,
  };
  const reporter = new DefaultReporter();
  reporter.onInit(ctx);
  reporter.onRunEnd(r);
  return lines;
}

describe("batch prices as reports state them", () => {
  it("names the discount, each profile's own, and explicit batch prices", () => {
    expect(batchPriceText(configSnapshot(["mock/a"]))).toBe("50% off");
    const config = configSnapshot(["mock/a", "mock/b", "mock/c"]);
    Object.assign(config.models[1] as object, { batchDiscount: 0.4 });
    Object.assign(config.models[2] as object, { batchInputCostPer1k: 0.001, batchOutputCostPer1k: 0.002 });
    expect(batchPriceText(config)).toBe("50% off; 40% off for mock/b; the profile's batch prices for mock/c");
  });
});

describe("the console summary of a run with batched cases", () => {
  it("says how many cases were batched, that they measured no latency and cost batch prices", () => {
    const lines = consoleLines();
    expect(lines).toContain(
      "     Batch  3 cases through provider batch engines: no latency measured; costs at batch prices (50% off)",
    );
    expect(lines.find((l) => l.includes("TTFT"))).toMatch(
      /\(over 2 measured cases; 3 batched \(no latency\)\)/,
    );
    expect(lines.find((l) => l.includes(" Cost "))).toContain("· $0.0018 of it at batch prices");
  });

  it("shows n/a (batch) for TTFT when every case was batched, never 0", () => {
    const only = runReport(batch, results.slice(2));
    const lines = consoleLines(only);
    expect(lines).toContain("      TTFT  n/a (batch) (no case measured latency)");
    expect(lines.join("\n")).not.toMatch(/TTFT.*\b0 ?ms/);
  });
});

describe("JUnit", () => {
  it("gives a batched case jury.batched and no ttft/ttlb/otps property; a measured case keeps them", () => {
    const xml = buildJunitXml(cases, results);
    const props = (id: string) => {
      const at = xml.indexOf(`name="case.id" value="${id}"`);
      return xml.slice(at, xml.indexOf("</properties>", at));
    };
    const b = props("batch000");
    expect(b).toContain('<property name="jury.batched" value="true"/>');
    expect(b).toContain('<property name="latency" value="n/a (batch)"/>');
    expect(b).not.toMatch(/name="(ttft_ms|ttlb_ms|otps)"/);
    const l = props("live000");
    expect(l).toContain('<property name="ttft_ms" value="300.0"/>');
    expect(l).not.toContain("jury.batched");
  });
});

describe("JSON", () => {
  it("writes batched results without latency fields, and the summaries' batched counts", async () => {
    const { root, ctx } = fileReporterContext();
    const reporter = new JsonReporter();
    reporter.onInit(ctx);
    await reporter.onRunEnd(...runEndArgs(report));
    const written = JSON.parse(readFileSync(join(root, "outputs", "report.json"), "utf8")) as typeof report;
    const m = written.results.find((r) => r.caseId === "batch000")?.metrics ?? {};
    expect(m).toMatchObject({ batched: true });
    for (const k of LATENCY) expect(k in m, k).toBe(false);
    expect(written.summaries.overall).toMatchObject({ batched: 3, ttftMs: { n: 2 } });
    expect(written.summaries.byModel.map((g) => [g.key, g.batched])).toEqual([
      ["mock/live", undefined],
      ["mock/batch", 3],
    ]);
  });
});

describe("CSV", () => {
  it("has a batched column; a batched case's latency cells are empty, not 0", async () => {
    const { root } = fileReporterContext();
    const dims = ["correctness"];
    const cols = csvColumns(dims);
    const row = (c: CaseRecord, r: CaseResult) =>
      Object.fromEntries(
        csvRow(c, r, { config: report.config, dimensions: dims }).map((v, i) => [cols[i], v]),
      );
    expect(row(batch[0] as CaseRecord, results[2] as CaseResult)).toMatchObject({
      batched: true,
      time_to_first_byte: undefined,
      time_to_last_byte: undefined,
      otps: undefined,
      throughput_tps: undefined,
      response_cost: 0.00015,
    });
    expect(row(live[0] as CaseRecord, results[0] as CaseResult)).toMatchObject({
      batched: false,
      time_to_first_byte: 0.3,
    });
    const file = join(root, "invocations.csv");
    await writeCsvFile(file, { ...report, config: report.config }, resultsInMemory(results));
    const parsed = parse(readFileSync(file, "utf8"), { columns: true, bom: true }) as Record<
      string,
      string
    >[];
    const b = parsed.find((r) => r.case_id === "batch000");
    expect(b).toMatchObject({ batched: "TRUE", time_to_first_byte: "", time_to_last_byte: "" });
  });
});

describe("the HTML report", () => {
  it("states the batched cases and batch prices in its summary, and on each latency chart what it leaves out", async () => {
    const html = await htmlOf(report, STUB);
    expect(html).toContain(
      "3 cases through provider batch engines: no latency measured; costs at batch prices (50% off): latency figures and charts are over the other 2 cases.",
    );
    expect(html).toContain("Median TTFT per model; error bars");
    expect(html).toContain("3 batched cases are left out: provider batch engines measure no latency.");
  });

  it("marks batched rows for the drill-down and the tables, and counts them per model", () => {
    const rows = decodeData(pageData(report));
    expect(rows.cases.map((r) => [r.model, r.batched, r.ttft])).toEqual([
      ["mock/live", 0, 300],
      ["mock/live", 0, 400],
      ["mock/batch", 1, null],
      ["mock/batch", 1, null],
      ["mock/batch", 1, null],
    ]);
    expect(specContext(rows).batched).toBe(3);
    const [table] = integratedTables(rows.cases);
    expect(table?.models.map((m) => [m.model, m.batched, m.ttftP50])).toEqual([
      ["mock/live", undefined, 350],
      ["mock/batch", 3, null],
    ]);
    // No latency measured is not a slow model: the composite leaves speed out instead of scoring it 0.
    const [l, b] = table?.models ?? [];
    const cheapest = Math.min(l?.costPerResponse ?? 0, b?.costPerResponse ?? 0);
    const costTerm = (cost: number | null | undefined) => (cost ? cheapest / cost : 1);
    expect(b?.compositeWithoutSpeed).toBe(true);
    expect(b?.composite).toBeCloseTo((0.6 * 1 + 0.2 * costTerm(b?.costPerResponse)) / 0.8, 12);
    expect(l?.compositeWithoutSpeed).toBeUndefined();
    expect(l?.composite).toBeCloseTo(0.6 * 1 + 0.2 * 1 + 0.2 * costTerm(l?.costPerResponse), 12);
  });
});
