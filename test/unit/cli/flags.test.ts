import { describe, expect, it } from "vitest";
import { COMMAND_TABLES } from "../../../src/cli/command-options.ts";
import { protectValues, unprotect } from "../../../src/cli/flags.ts";

/** protectValues, with its marks shown as `⟨⟩` so the expectations read. */
const protect = (argv: string[]) =>
  protectValues(argv, COMMAND_TABLES).map((a) => a.replace("=\u0000", "=⟨⟩"));

describe("protectValues", () => {
  it("joins a value-taking flag with its value, a negative number included, and expands short aliases", () => {
    expect(
      protect(["sql", "--concurrency", "-1", "-t", "007", "--threshold=-2", "--no-threads", "--bail"]),
    ).toEqual([
      "sql",
      "--concurrency=⟨⟩-1",
      "--testNamePattern=⟨⟩007",
      "--threshold=⟨⟩-2",
      "--no-threads",
      "--bail",
    ]);
  });

  it("leaves a flag whose next argument is another flag without a value, for the missing-value error", () => {
    expect(protect(["--models", "--json"])).toEqual(["--models", "--json"]);
    expect(protect(["--changed", "--bail", "2"])).toEqual(["--changed", "--bail=⟨⟩2"]);
  });

  it("finds the command after the flags before it, and uses that command's flags", () => {
    expect(protect(["--config", "ci.yaml", "list", "--json", "--quorum", "2"])).toEqual([
      "--config=⟨⟩ci.yaml",
      "list",
      "--json",
      "--quorum=⟨⟩2",
    ]);
    // --max-cost is no flag of `list`: left to cac, which calls it unknown.
    expect(protect(["list", "--max-cost", "1"])).toEqual(["list", "--max-cost", "1"]);
    expect(protect(["import", "t.csv", "--metrics", "a,b", "-o", "e.jsonl"])).toEqual([
      "import",
      "t.csv",
      "--metrics=⟨⟩a,b",
      "--output=⟨⟩e.jsonl",
    ]);
  });

  it("keeps dotted map flags and everything after --", () => {
    expect(protect(["--outputFile.junit", "j.xml", "--", "--concurrency", "-1"])).toEqual([
      "--outputFile.junit=⟨⟩j.xml",
      "--",
      "--concurrency",
      "-1",
    ]);
  });
});

it("unprotect removes the marks from strings, lists and maps and leaves the rest", () => {
  const [a, b] = protectValues(["--reporter", "json", "--outputFile.junit=x"], COMMAND_TABLES).map(
    (s) => s.split("=")[1],
  );
  expect(unprotect({ r: [a, b], m: { junit: b }, n: 1, t: true })).toEqual({
    r: ["json", "x"],
    m: { junit: "x" },
    n: 1,
    t: true,
  });
});
