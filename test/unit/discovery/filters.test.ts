import { describe, expect, it } from "vitest";
import { caseName, compileTestNamePattern, matchesTestNamePattern } from "../../../src/discovery/filters.ts";
import { FlagError } from "../../../src/errors.ts";

describe("caseName", () => {
  it("joins eval, scenario and model with ›", () => {
    expect(caseName("Text to SQL", "L3", "bedrock/us.amazon.nova-pro-v1:0")).toBe(
      "Text to SQL › L3 › bedrock/us.amazon.nova-pro-v1:0",
    );
  });
});

describe("matchesTestNamePattern", () => {
  const name = caseName("sql", "L12", "mock/fast");

  it("keeps everything without a pattern", () => {
    expect(matchesTestNamePattern(undefined, name)).toBe(true);
    expect(matchesTestNamePattern("", name)).toBe(true);
  });

  it("searches the pattern anywhere in the name, as a regular expression", () => {
    expect(matchesTestNamePattern("L12", name)).toBe(true);
    expect(matchesTestNamePattern("L1 ", name)).toBe(false);
    expect(matchesTestNamePattern("^sql › L\\d+ › mock/", name)).toBe(true);
    expect(matchesTestNamePattern("mock/slow$", name)).toBe(false);
    expect(matchesTestNamePattern("SQL", name)).toBe(false);
  });
});

describe("compileTestNamePattern", () => {
  it("returns undefined for no pattern and a RegExp otherwise", () => {
    expect(compileTestNamePattern(undefined)).toBeUndefined();
    expect(compileTestNamePattern("a|b")?.source).toBe("a|b");
  });

  it("reports an invalid pattern as a FlagError naming -t/--testNamePattern", () => {
    let err: unknown;
    try {
      compileTestNamePattern("sql (");
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FlagError);
    expect((err as FlagError).code).toBe("EVALS_BAD_FLAG");
    expect((err as FlagError).cause).toBeInstanceOf(SyntaxError);
    expect((err as FlagError).message).toBe(
      "-t/--testNamePattern is not a valid regular expression: Invalid regular expression: /sql (/: Unterminated group",
    );
    expect(() => matchesTestNamePattern("[", "x")).toThrow(FlagError);
  });
});
