import { describe, expect, it } from "vitest";
import {
  metricKey,
  parseMetricList,
  resolveDimensions,
  STANDARD_DIMENSIONS,
} from "../../../src/discovery/metric-keys.ts";

describe("metricKey", () => {
  it.each([
    ["Following instructions", "following_instructions"],
    [" Brand-Voice ", "brand_voice"],
    ["brand voice", "brand_voice"],
    ["Tone & style!", "tone_style"],
    ["__x__y__", "x_y"],
    ["Clarity2", "clarity2"],
    ["Präzision", "präzision"],
    [" - ", ""],
  ])("%j → %j", (name, key) => {
    expect(metricKey(name)).toBe(key);
  });
});

describe("STANDARD_DIMENSIONS", () => {
  it("are the seed's six, in its order", () => {
    expect(STANDARD_DIMENSIONS.map((d) => `${d.key}=${d.name}`)).toEqual([
      "correctness=Correctness",
      "completeness=Completeness",
      "relevance=Relevance",
      "format=Format",
      "coherence=Coherence",
      "following_instructions=Following instructions",
    ]);
  });
});

describe("parseMetricList", () => {
  it("splits a comma-separated string, trims, drops empties and de-duplicates by key keeping the first spelling", () => {
    expect(parseMetricList(" brand voice, Tone,, tone ,Brand-Voice, ")).toEqual(["brand voice", "Tone"]);
  });

  it("accepts an array and nothing", () => {
    expect(parseMetricList(["Clarity", " clarity", "", "Depth"])).toEqual(["Clarity", "Depth"]);
    expect(parseMetricList(undefined)).toEqual([]);
    expect(parseMetricList("")).toEqual([]);
  });
});

describe("resolveDimensions", () => {
  it("is the standard six plus user metrics from every list, de-duplicated by key", () => {
    const dims = resolveDimensions(["Brand voice", "correctness"], [], ["brand-voice", "Tone", "FORMAT"]);
    expect(dims.slice(6)).toEqual([
      { key: "brand_voice", name: "Brand voice" },
      { key: "tone", name: "Tone" },
    ]);
    expect(dims.slice(0, 6)).toEqual(STANDARD_DIMENSIONS);
  });

  it("is the standard six with no user metrics", () => {
    expect(resolveDimensions()).toEqual(STANDARD_DIMENSIONS);
  });
});
