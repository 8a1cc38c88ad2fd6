import { describe, expect, it } from "vitest";
import { decimal, percent, plural, pText, range, shortDecimal, signed } from "../../src/number-text.ts";

describe("numbers in text people read", () => {
  it("rounds tiny values to zero: never -0 nor exponent notation", () => {
    expect(decimal(-8.224e-18)).toBe("0.00");
    expect(decimal(-0.004)).toBe("0.00");
    expect(decimal(-0)).toBe("0.00");
    expect(decimal(1e21, 1)).toBe("1000000000000000000000.0");
    expect(signed(-8.224e-18)).toBe("0.00");
    expect(percent(-1e-9)).toBe("0.0%");
    expect(shortDecimal(-8.224e-18)).toBe("0");
    expect(shortDecimal(4.25)).toBe("4.25");
    expect(shortDecimal(-0.81234)).toBe("−0.812");
  });

  it("writes negatives with a true minus sign, and changes with their sign", () => {
    expect(decimal(-1.372)).toBe("−1.37");
    expect(signed(0.123)).toBe("+0.12");
    expect(signed(-0.3, 1)).toBe("−0.3");
    expect(percent(-0.042)).toBe("−4.2%");
    expect(decimal(Number.NaN)).toBe("–");
    expect(signed(undefined)).toBe("–");
  });

  it("joins an interval with an en dash, or with 'to' when an end has a sign", () => {
    expect(range([0.851, 1], percent)).toBe("85.1%–100.0%");
    expect(range([-1.372, -0.4], (v) => decimal(v))).toBe("−1.37 to −0.40");
    expect(range([-0.2, 0.3], (v) => signed(v))).toBe("−0.20 to +0.30");
  });

  it("formats as Intl.NumberFormat does (which it no longer loads): 20,000 values of every magnitude", () => {
    const intl = (digits: number, extra: Intl.NumberFormatOptions) =>
      new Intl.NumberFormat("en-US", { maximumFractionDigits: digits, useGrouping: false, ...extra });
    let seed = 7;
    const random = () => {
      seed = (seed * 16807) % 2147483647;
      return (seed - 1) / 2147483646;
    };
    for (let i = 0; i < 20_000; i++) {
      const digits = i % 5;
      // Random mantissas over 10^-8 … 10^22, both signs, and exact halves (ties) at each precision.
      const x =
        i % 4 === 0
          ? (Math.round(random() * 2000) - 1000 + 0.5) / 10 ** digits
          : (random() < 0.5 ? -1 : 1) * random() * 10 ** Math.floor(random() * 30 - 8);
      const exact = intl(digits, { minimumFractionDigits: digits, signDisplay: "negative" });
      expect(decimal(x, digits), `${x}`).toBe(exact.format(x).replace("-", "−"));
      expect(shortDecimal(x, digits), `${x}`).toBe(
        intl(digits, { signDisplay: "negative" }).format(x).replace("-", "−"),
      );
      const sign = intl(digits, { minimumFractionDigits: digits, signDisplay: "exceptZero" });
      expect(signed(x, digits), `${x}`).toBe(sign.format(x).replace("-", "−"));
    }
  });

  it("makes the noun agree with the count", () => {
    expect(plural(1, "case")).toBe("1 case");
    expect(plural(0, "case")).toBe("0 cases");
    expect(plural(2, "eval file")).toBe("2 eval files");
    expect(plural(3, "match", "matches")).toBe("3 matches");
  });

  it("gives p-values to 3 significant digits, without exponents", () => {
    expect(pText(1)).toBe("p = 1.00");
    expect(pText(0.000977)).toBe("p = 0.000977");
    expect(pText(3e-9)).toBe("p < 0.0001");
  });
});
