import { describe, expect, it } from "vitest";
import { pageData } from "../../../reporters/html/data.ts";
import { localHour, RATE_TOLERANCE, recommendRegion, regionZone } from "../../../reporters/html/regions.ts";
import { decodeData } from "../../../reporters/html/rows.ts";
import { chartData, chartSpecs, specContext } from "../../../reporters/html/specs/index.ts";
import { regionFigures } from "../../../reporters/html/specs/regions.ts";
import { caseMetrics, caseRecord, passed, runReport } from "../../support/records.ts";

describe("regions' time zones", () => {
  it("maps AWS regions to their IANA zones, and anything else to UTC", () => {
    expect(regionZone("us-east-1")).toBe("America/New_York");
    expect(regionZone("eu-west-1")).toBe("Europe/Dublin");
    expect(regionZone("ap-northeast-1")).toBe("Asia/Tokyo");
    expect(regionZone("westeurope")).toBe("UTC");
    expect(regionZone(null)).toBe("UTC");
    for (const name of ["constructor", "__proto__", "toString"]) expect(regionZone(name), name).toBe("UTC");
  });

  it("gives the hour on the region's clocks, summer time included", () => {
    const summer = Date.UTC(2025, 5, 1, 12); // 12:00 UTC on 1 June
    expect(localHour(summer, "America/New_York")).toBe(8); // EDT, UTC−4
    expect(localHour(summer, "Europe/Dublin")).toBe(13); // IST, UTC+1
    expect(localHour(summer, "Asia/Tokyo")).toBe(21); // JST, UTC+9
    const winter = Date.UTC(2025, 0, 15, 0, 30);
    expect(localHour(winter, "America/New_York")).toBe(19); // EST, UTC−5, the day before
    expect(localHour(winter, "UTC")).toBe(0);
  });
});

describe("the recommended region", () => {
  const region = (
    r: string,
    rate: number | null,
    latencyP50: number | null,
    costMean: number | null = 1,
  ) => ({
    region: r,
    rate,
    latencyP50,
    costMean,
  });

  it(`is the fastest of the regions within ${RATE_TOLERANCE * 100} points of the best pass rate`, () => {
    const pick = recommendRegion([
      region("best-but-slow", 0.9, 900),
      region("close-and-fast", 0.86, 400),
      region("fastest-but-worse", 0.8, 100),
    ]);
    expect(pick?.region).toBe("close-and-fast");
  });

  it("breaks a latency tie on cost, ranks by latency alone when nothing was judged, needs a latency", () => {
    expect(recommendRegion([region("dear", 1, 300, 2), region("cheap", 1, 300, 1)])?.region).toBe("cheap");
    expect(recommendRegion([region("a", null, 500), region("b", null, 200)])?.region).toBe("b");
    expect(recommendRegion([region("a", 1, null)])).toBeUndefined();
    expect(recommendRegion([])).toBeUndefined();
  });
});

describe("regional data of the report", () => {
  const at = Date.UTC(2025, 5, 1, 12);
  const cases = [
    ["us-east-1", "Q&A", 1000],
    ["us-east-1", "Summarization", 1200],
    ["ap-northeast-1", "Q&A", 700],
    ["ap-northeast-1", "Summarization", 800],
  ] as const;
  const records = cases.map(([, task], k) =>
    caseRecord({ id: `c${k}`, taskType: task, scenarioKey: `L${k}` }),
  );
  const report = runReport(
    records,
    records.map((c, k) =>
      passed(c, {
        metrics: caseMetrics({
          region: cases[k]?.[0],
          ttlbMs: cases[k]?.[2],
          startedAt: new Date(at).toISOString(),
        }),
      }),
    ),
  );
  const rows = decodeData(pageData(report));
  const ctx = specContext(rows);

  it("charts the hour of day of each case on its region's clocks, and draws the regional charts", () => {
    const byHour = chartData("hour-of-day", rows, ctx).byHour ?? [];
    expect(byHour.map((d) => [d.group, d.hour])).toEqual([
      ["us-east-1 (America/New_York)", 8],
      ["ap-northeast-1 (Asia/Tokyo)", 21],
    ]);
    const defs = chartSpecs(rows);
    expect(defs.filter((d) => d.section === "regions").map((d) => d.id)).toEqual([
      "hour-of-day",
      "region-latency-cost",
    ]);
    expect(
      chartData("region-latency-cost", rows, ctx).byRegionTask?.map((d) => [d.region, d.task, d.latency]),
    ).toEqual([
      ["us-east-1", "Q&A", 1000],
      ["us-east-1", "Summarization", 1200],
      ["ap-northeast-1", "Q&A", 700],
      ["ap-northeast-1", "Summarization", 800],
    ]);
  });

  it("sums up each region, and recommends the faster of two equally accurate regions", () => {
    const regions = regionFigures(rows.cases);
    expect(regions.map((r) => [r.region, r.zone, r.n, r.rate, r.latencyP50])).toEqual([
      ["us-east-1", "America/New_York", 2, 1, 1100],
      ["ap-northeast-1", "Asia/Tokyo", 2, 1, 750],
    ]);
    expect(recommendRegion(regions)?.region).toBe("ap-northeast-1");
  });
});
