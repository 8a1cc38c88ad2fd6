import { cac } from "cac";
import { describe, expect, it } from "vitest";
import { COMMAND_TABLES } from "../../../src/cli/command-options.ts";
import {
  expectedValue,
  parseArgv,
  parseFlags,
  protectValues,
  registerFlags,
  unprotect,
} from "../../../src/cli/flags.ts";
import { type OptionSpec, specsOf } from "../../../src/config/option-table.ts";
import { EvalsError } from "../../../src/errors.ts";

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

/**
 * Parses `evals <argv>` with every command's tables, as `main` does, without running it: the typed options of
 * the matched command, or the error.
 */
function parse(argv: readonly string[]): { options?: Record<string, unknown>; error?: ErrorShape } {
  const cli = cac("evals");
  for (const name of Object.keys(COMMAND_TABLES))
    registerFlags(
      cli.command(name === "run" ? "[...args]" : `${name} [...args]`),
      COMMAND_TABLES[name] ?? [],
    );
  try {
    parseArgv(cli, argv, COMMAND_TABLES);
    const tables = COMMAND_TABLES[cli.matchedCommand?.name || "run"] ?? [];
    return { options: Object.assign({}, ...tables.map((t) => parseFlags(t, cli.options))) };
  } catch (err) {
    if (!(err instanceof EvalsError)) throw err;
    return { error: { code: err.exitCode, message: err.message, ...(err.hint ? { hint: err.hint } : {}) } };
  }
}
interface ErrorShape {
  code: number;
  message: string;
  hint?: string;
}
const errorOf = (argv: readonly string[]) => parse(argv).error;

/** Every value-taking flag of every command's tables, as `[command, option key, spec]`. */
const VALUED = Object.entries(COMMAND_TABLES).flatMap(([command, tables]) =>
  tables.flatMap((t) =>
    specsOf(t)
      .filter(([, spec]) => spec.commands.includes(command) && "arg" in spec)
      .map(([key, spec]) => ({ name: `evals ${command} --${spec.flag}`, command, key, spec })),
  ),
);
const NUMERIC = VALUED.flatMap((e) =>
  e.spec.kind === "number" || e.spec.kind === "optional-number" ? [{ ...e, spec: e.spec }] : [],
);
const REQUIRED = VALUED.filter((e) => e.spec.kind !== "optional-number" && e.spec.kind !== "optional-string");

/** `evals <command> --<flag>`, then `rest`; a map flag with its key (`--outputFile.junit`). */
function argvOf(command: string, spec: OptionSpec, ...rest: string[]): string[] {
  return [
    ...(command === "run" ? [] : [command]),
    spec.kind === "map" ? `--${spec.flag}.junit` : `--${spec.flag}`,
    ...rest,
  ];
}
/** `evals <command> --<flag>=<value>`. */
const joined = (command: string, spec: OptionSpec, value: string) => {
  const argv = argvOf(command, spec);
  return [...argv.slice(0, -1), `${argv.at(-1)}=${value}`];
};

const BLANK_HINT = 'A blank value is often an unset variable (--flag "$VAR"): set it, or leave the flag out.';

describe("every value-taking flag of every command refuses a bad value with exit 2, naming the flag", () => {
  it("covers the numeric flags of every command (gate, jury, run, simulate, ui, import)", () => {
    expect(NUMERIC.map((e) => e.name)).toEqual(
      expect.arrayContaining([
        "evals run --min-pass-rate",
        "evals run --max-cost",
        "evals run --threshold",
        "evals run --bail",
        "evals merge --min-pass-rate",
        "evals simulate --port",
        "evals simulate --fault-rate",
        "evals ui --concurrency",
        "evals import --temperature",
      ]),
    );
  });

  it.for(VALUED)('$name "" or "  " (an unset CI variable) needs its value', ({ command, spec }) => {
    const error = {
      code: 2,
      message: `--${spec.flag} needs ${expectedValue(spec)} (got a blank value)`,
      hint: BLANK_HINT,
    };
    for (const blank of ["", "  "]) {
      expect(errorOf(argvOf(command, spec, blank))).toEqual(error);
      expect(errorOf(joined(command, spec, blank))).toEqual(error);
      // Given twice, a blank one is refused even when another value follows.
      if (spec.kind !== "repeatable")
        expect(errorOf(argvOf(command, spec, blank, argvOf(command, spec).at(-1) as string, "x"))).toEqual(
          error,
        );
    }
  });

  it.for(NUMERIC)("$name abc, 0x3, 3abc, 1e400, -Infinity is not a number it takes", ({ command, spec }) => {
    for (const bad of ["abc", "0x3", "3abc", "1e400", "-Infinity", "NaN"]) {
      const error = { code: 2, message: `--${spec.flag} needs ${expectedValue(spec)} (got "${bad}")` };
      expect(errorOf(joined(command, spec, bad)), bad).toEqual(error);
      // A flag whose value is optional takes a next argument only when it cannot be a flag (-Infinity can).
      if (spec.kind === "number" || bad !== "-Infinity")
        expect(errorOf(argvOf(command, spec, bad)), bad).toEqual(error);
    }
  });

  it.for(NUMERIC)("$name -1 is out of its range, which the message states", ({ command, spec }) => {
    const min = spec.range.min ?? Number.NEGATIVE_INFINITY;
    for (const negative of ["-1", "-0.5", "-5e3"]) {
      const n = Number(negative);
      if (n >= min && !(spec.range.integer && !Number.isInteger(n))) continue;
      const error = {
        code: 2,
        message: `--${spec.flag} must be ${spec.range.rule} (got ${n})`,
        ...(spec.range.hint ? { hint: spec.range.hint } : {}),
      };
      expect(errorOf(argvOf(command, spec, negative)), negative).toEqual(error);
      expect(errorOf(joined(command, spec, negative)), negative).toEqual(error);
    }
  });

  it.for(REQUIRED)(
    "$name with nothing after it, or a flag after it, needs its value",
    ({ command, spec }) => {
      const error = { code: 2, message: `--${spec.flag} needs ${expectedValue(spec)} (got nothing)` };
      expect(errorOf(argvOf(command, spec))).toEqual(error);
      expect(errorOf(argvOf(command, spec, "--help", "x").slice(0, -1))).toEqual(error);
    },
  );

  it.for(REQUIRED)(
    "$name given twice keeps the last value, as cac and Vitest do",
    ({ command, key, spec }) => {
      const min = spec.kind === "number" ? (spec.range.min ?? 0) : 0;
      const [first, second, last]: [string, string, unknown] =
        spec.kind === "number"
          ? [String(min), String(min + 1), min + 1]
          : spec.kind === "choice"
            ? [spec.choices[0] as string, spec.choices.at(-1) as string, spec.choices.at(-1)]
            : spec.kind === "list"
              ? ["a,b", "c", ["c"]]
              : spec.kind === "repeatable"
                ? ["a", "b", ["a", "b"]] // --reporter adds up
                : spec.kind === "map"
                  ? ["a", "b", { junit: "b" }]
                  : ["a", "b", "b"];
      const flag = argvOf(command, spec).at(-1) as string;
      expect(parse([...argvOf(command, spec, first), flag, second])).toEqual({
        options: expect.objectContaining({ [key]: last }),
      });
    },
  );
});

it("switches: given twice is on, given a value is an error naming it (cac said Unknown option `--threads=1`)", () => {
  expect(parse(["list", "--json", "--json"]).options?.json).toBe(true);
  expect(errorOf(["--no-threads=1"])).toEqual({ code: 2, message: '--no-threads takes no value (got "1")' });
  expect(errorOf(["list", "--json=yes"])).toEqual({ code: 2, message: '--json takes no value (got "yes")' });
});

it("optional values given twice keep the last: --bail --bail 3 is 3, --changed main --changed is every change", () => {
  expect(parse(["--bail", "--bail", "3"]).options?.bail).toBe(3);
  expect(parse(["--bail", "3", "--bail"]).options?.bail).toBe(1);
  expect(parse(["--changed", "main", "--changed"]).options?.changed).toBe(true);
});

it("a word that starts with a dash is a value of a flag that needs one, unless it is a flag", () => {
  expect(parse(["list", "--models", "-"]).options?.models).toBe("-");
  expect(errorOf(["list", "--threshold", "-t", "x"])?.message).toBe(
    "--threshold needs a number between 1 and 5 (got nothing)",
  );
  expect(errorOf(["list", "-Infinity"])?.message).toBe("unknown flag -Infinity for evals list");
});
