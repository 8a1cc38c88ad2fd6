// Issue 18, Must show: the CSV of a seed-sized run (the seed's 58 sample scenarios × 2 models × 2 invocations)
// opens in a real spreadsheet engine — LibreOffice Calc (Debian's libreoffice-calc-nogui, which CI installs) —
// with every row and column, numbers as numbers, and a formula in a cell kept as text.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { csvColumns } from "../../reporters/csv-row.ts";
import { createFixtureProject } from "../support/fixture-project.ts";
import { runCli } from "../support/run-cli.ts";
import { tempDir } from "../support/temp-dir.ts";

const SEED = join(
  import.meta.dirname,
  "..",
  "..",
  "fixtures",
  "evals",
  "seed",
  "sample-benchmark-prompts-newformat-v2.jsonl",
);
const FORMULA = "=1+1";
const DIMENSIONS = [
  "correctness",
  "completeness",
  "relevance",
  "format",
  "coherence",
  "following_instructions",
];

/**
 * Runs LibreOffice headless in `dir` with a profile of its own there (parallel test files never share one), and
 * its HOME there too. A missing soffice fails the test with what to install: CI installs it, it is never skipped.
 */
function soffice(dir: string, args: string[]): void {
  try {
    execFileSync(
      "soffice",
      ["--headless", `-env:UserInstallation=${pathToFileURL(join(dir, "profile")).href}`, ...args],
      { cwd: dir, env: { ...process.env, HOME: dir }, stdio: "pipe", timeout: 120_000 },
    );
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT")
      throw new Error(
        "LibreOffice is not installed (no soffice on PATH): apt-get install --no-install-recommends libreoffice-calc-nogui",
      );
    throw err;
  }
}

describe("the invocations CSV in LibreOffice Calc", () => {
  it("58 scenarios × 2 models × 2 invocations: 232 rows and every column come back from .xlsx, a formula as text", async () => {
    const scenarios = readFileSync(SEED, "utf8").split("\n").filter(Boolean);
    expect(scenarios).toHaveLength(58);
    // The first scenario's task type is a formula: it must reach the spreadsheet as text, not be computed.
    const first = JSON.parse(scenarios[0] as string) as { task: { task_type: string } };
    first.task.task_type = FORMULA;
    scenarios[0] = JSON.stringify(first);
    const mock = { quality: 0.9, ttft_ms: 0, tokens_per_s: 0 };
    const root = createFixtureProject({
      "config/models_profiles.jsonl": [
        JSON.stringify({ model_id: "mock/model-a", mock }),
        JSON.stringify({ model_id: "mock/model-b", mock }),
      ].join("\n"),
      "config/judge_profiles.jsonl": JSON.stringify({ model_id: "mock/judge" }),
      "evals/seed.eval.jsonl": scenarios.join("\n"),
    });
    const res = await runCli(root, ["--reporter", "csv", "--invocations", "2", "--min-pass-rate", "0"]);
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    const runs = join(root, "outputs", "runs");
    const runId = readdirSync(runs)[0] as string;
    const csv = join(runs, runId, `invocations_${runId}.csv`);
    const columns = csvColumns(DIMENSIONS);

    // CSV → .xlsx (UTF-8, comma, double quotes), then the .xlsx → CSV, as Calc holds it.
    const dir = tempDir("jury-soffice-");
    soffice(dir, ["--infilter=CSV:44,34,76,1", "--convert-to", "xlsx", "--outdir", join(dir, "xlsx"), csv]);
    const xlsx = join(dir, "xlsx", `invocations_${runId}.xlsx`);
    soffice(dir, [
      "--convert-to",
      "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,true,true,false",
      "--outdir",
      join(dir, "back"),
      xlsx,
    ]);
    // Calc quotes its text cells and leaves numbers bare: which cells it read as numbers is on record.
    const quoted: boolean[][] = [];
    const back = parse(readFileSync(join(dir, "back", `invocations_${runId}.csv`), "utf8"), {
      bom: true,
      relax_column_count: true,
      cast: (value, context) => {
        const row = quoted[context.lines - 1] ?? [];
        row[context.index] = context.quoting;
        quoted[context.lines - 1] = row;
        return value;
      },
    }) as string[][];

    expect(back).toHaveLength(1 + 58 * 2 * 2);
    expect(back[0]).toEqual(columns);
    expect(new Set(back.map((row) => row.length))).toEqual(new Set([columns.length]));
    const rows = back.slice(1).map((row) => Object.fromEntries(columns.map((c, i) => [c, row[i] as string])));
    expect(rows.filter((r) => r.model_id === "mock/model-a")).toHaveLength(116);
    expect(new Set(rows.map((r) => r.case_id)).size).toBe(232);
    // The formula is text with its ' — were it computed, the cell would read 2.
    const formulaRows = rows.filter((r) => r.scenario === "L1");
    expect(formulaRows).toHaveLength(4);
    for (const r of formulaRows) expect(r.task_types).toBe(`'${FORMULA}`);
    // Numbers are numbers in Calc (unquoted on the way back), costs and times plain decimals, nulls empty.
    const at = (name: string) => columns.indexOf(name);
    const dataQuoting = quoted.slice(1);
    for (const name of [
      "TEMPERATURE",
      "input_tokens",
      "output_tokens",
      "time_to_last_byte",
      "response_cost",
    ]) {
      expect(dataQuoting.every((q) => q[at(name)] === false)).toBe(true);
      expect(rows.every((r) => /^-?\d+(\.\d+)?$/.test(r[name] as string))).toBe(true);
    }
    expect(dataQuoting.every((q) => q[at("task_types")] === true)).toBe(true);
    expect(rows.every((r) => r.reasoning_tokens === "")).toBe(true);
  });
});
