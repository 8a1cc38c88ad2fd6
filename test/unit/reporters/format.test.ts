import { describe, expect, it } from "vitest";
import { ciText, fieldLabel, fieldNumber, num, pct, usd } from "../../../reporters/format.ts";

describe("reporters' shared formatting", () => {
  it("never prints exponent notation or a negative zero", () => {
    expect(usd(1.2e-7)).toBe("$0.00000012");
    expect(usd(0.000012)).toBe("$0.000012");
    expect(num(-8.224e-18, 2)).toBe("0.00");
    expect(pct(-1e-12)).toBe("0.0%");
    expect(fieldNumber("bias", -8.224e-18)).toBe("0");
    expect(fieldNumber("bias", -0.25)).toBe("−0.25");
  });

  it("writes an interval with a negative end as 'a to b' with minus signs", () => {
    expect(ciText([-1.372, -0.4], (v) => num(v, 2))).toBe("95% CI −1.37 to −0.40");
    expect(ciText([700, 900], (v) => `${v}ms`)).toBe("95% CI 700ms–900ms");
  });

  it("names summary fields for people and formats their numbers by kind", () => {
    expect(["responseCost", "judgeCost", "hits", "timeSavedMs", "costSaved"].map(fieldLabel)).toEqual([
      "Response cost",
      "Judge cost",
      "Cache hits",
      "Time saved",
      "Cost saved",
    ]);
    expect(fieldLabel("mock/judge-a")).toBe("mock/judge-a"); // record keys are often data: shown as written
    expect(fieldNumber("timeSavedMs", 1530)).toBe("1.5s");
    expect(fieldNumber("costSaved", 0.0123)).toBe("$0.0123");
    expect(fieldNumber("errorRate", 0.25)).toBe("25.0%");
    expect(fieldNumber("hits", 12)).toBe("12");
  });
});
