import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { csvFileName, writeCsvFile } from "../../../reporters/csv.ts";
import { CSV_TEXT_LIMIT, csvCell, csvColumns, csvRow, plainDecimal } from "../../../reporters/csv-row.ts";
import { resultsInMemory } from "../../../src/store/results-reader.ts";
import {
  caseRecord,
  configSnapshot,
  DIMENSIONS,
  errored,
  judged,
  passed,
  scored,
} from "../../support/records.ts";
import { tempDir } from "../../support/temp-dir.ts";

const KEYS = DIMENSIONS.map((d) => d.key);
const run = { config: configSnapshot(), dimensions: KEYS };
/** A row as a map from column name to its written text. */
const rowOf = (cells: ReturnType<typeof csvRow>, dimensions = KEYS) =>
  Object.fromEntries(csvColumns(dimensions).map((c, i) => [c, csvCell(cells[i])]));

describe("csvCell", () => {
  it("prefixes text that a spreadsheet would run as a formula with ' (OWASP), and only text", () => {
    for (const text of ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\rx", '=HYPERLINK("http://x")'])
      expect(csvCell(text)).toBe(`'${text}`);
    for (const text of ["plain", "a=b", " =1", "1-2", "'already"]) expect(csvCell(text)).toBe(text);
    // A real negative number stays a number: spreadsheets read it as one.
    expect(csvCell(-2.5)).toBe("-2.5");
    expect(csvCell(-0.000001)).toBe("-0.000001");
  });

  it("writes null and undefined as an empty cell, never 0 or null; non-finite numbers too", () => {
    expect(csvCell(null)).toBe("");
    expect(csvCell(undefined)).toBe("");
    expect(csvCell(Number.NaN)).toBe("");
    expect(csvCell(Number.POSITIVE_INFINITY)).toBe("");
    expect(csvCell(0)).toBe("0");
    expect(csvCell(true)).toBe("TRUE");
    expect(csvCell(false)).toBe("FALSE");
  });

  it("writes numbers as plain decimals, never with an exponent", () => {
    expect(plainDecimal(3.2e-7)).toBe("0.00000032");
    expect(plainDecimal(-1.25e-9)).toBe("-0.00000000125");
    expect(plainDecimal(1e21)).toBe("1000000000000000000000");
    expect(plainDecimal(1.5e22)).toBe("15000000000000000000000");
    expect(plainDecimal(123.456)).toBe("123.456");
    expect(plainDecimal(0.1 + 0.2)).toBe("0.30000000000000004");
    for (const n of [3.2e-7, 1.234567e-12, -9.99e-7, 1e21, 2.5e25]) expect(Number(plainDecimal(n))).toBe(n);
  });

  it("cuts a text longer than a spreadsheet cell holds, and says so", () => {
    const cell = csvCell("x".repeat(CSV_TEXT_LIMIT + 10));
    expect(cell).toBe(`${"x".repeat(CSV_TEXT_LIMIT)}… [cut: ${CSV_TEXT_LIMIT + 10} characters]`);
  });
});

describe("csvRow", () => {
  it("a passed case: the seed's columns (seconds, tokens, costs, each dimension's jury mean) and ours", () => {
    const record = caseRecord();
    const result = judged(
      record,
      [scored("mock/judge-a", { correctness: 4 }), scored("mock/judge-b", { correctness: 5 })],
      {
        metrics: { ttftMs: 812, ttlbMs: 1500, responseCost: 3.2e-7, judgeCost: 0.0006, region: "us-west-2" },
      },
    );
    const row = rowOf(csvRow(record, result, run));
    expect(row).toMatchObject({
      case_id: "3f9a1c0b7d2e",
      eval_file: "evals/summaries.eval.jsonl:3",
      scenario: "L3",
      task_types: "Summarization",
      model: "mock/perfect",
      model_id: "mock/perfect",
      region: "us-west-2",
      TEMPERATURE: "0.7",
      variant: "original",
      run_count: "1",
      invocation: "1",
      state: "passed",
      judge_success: "TRUE",
      judge_explanation: "",
      reasons: "",
      judge_score_correctness: "4.5",
      judge_score_following_instructions: "5",
      time_to_first_byte: "0.812",
      time_to_last_byte: "1.5",
      input_tokens: "120",
      output_tokens: "64",
      response_cost: "0.00000032",
      evaluation_cost: "0.0006",
      api_call_status: "Success",
      error_code: "",
      eval_type: "360",
      model_response: "The report finds revenue grew 12% on strong cloud demand.",
    });
    expect(Object.keys(row)).toHaveLength(csvColumns(KEYS).length);
  });

  it("a failed case names its failing dimensions as the seed does, and our reasons in full", () => {
    const record = caseRecord();
    const result = passed(record, { fill: 2 });
    const row = rowOf(csvRow(record, result, run));
    expect(row.state).toBe("failed");
    expect(row.judge_success).toBe("FALSE");
    expect(row.judge_explanation).toBe(DIMENSIONS.map((d) => d.name).join(";"));
    expect(row.reasons).toContain("Correctness 2 < 3; Completeness 2 < 3");
  });

  it("an errored case: empty measurements (not 0), the seed's api_call_status and error code", () => {
    const record = caseRecord();
    const row = rowOf(csvRow(record, errored(record), run));
    expect(row).toMatchObject({
      state: "errored",
      judge_success: "",
      judge_score_correctness: "",
      time_to_first_byte: "",
      otps: "",
      api_call_status: "throttled: ThrottlingException: Rate exceeded (after 3 retries)",
      error_code: "throttled",
      error_classification: "api_failure",
      inference_request_count: "4",
    });
  });

  it("a case that never ran keeps its plan columns, state not_run, and nothing measured", () => {
    const record = caseRecord({ location: {} });
    const row = rowOf(csvRow(record, undefined, run));
    expect(row.eval_file).toBe("evals/summaries.eval.jsonl");
    expect(row.state).toBe("not_run");
    expect(row.api_call_status).toBe("");
    expect(row.input_tokens).toBe("");
  });
});

describe("writeCsvFile", () => {
  it("RFC 4180: BOM, CRLF, quoted commas, quotes and newlines; reads back cell for cell", async () => {
    const records = [caseRecord({ id: "a" }), caseRecord({ id: "b", scenarioKey: "=cmd|' /C calc'!A0" })];
    const output = 'She said "hi",\nthen left; 你好 ✓';
    const results = [passed(records[0] as never, { output })];
    const file = join(tempDir("jury-csv-"), "out.csv");
    const rows = await writeCsvFile(
      file,
      { cases: records, config: configSnapshot() },
      resultsInMemory(results),
    );
    expect(rows).toBe(2);
    const bytes = readFileSync(file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString("utf8");
    expect(text.split("\r\n")[0]).toBe(`\ufeff${csvColumns(KEYS).join(",")}`);
    expect(text).toContain(`"She said ""hi"",\nthen left; 你好 ✓"`);
    const table = parse(text, { bom: true, columns: true }) as Record<string, string>[];
    expect(table.map((r) => [r.case_id, r.state])).toEqual([
      ["a", "passed"],
      ["b", "not_run"],
    ]);
    expect(table[0]?.model_response).toBe(output);
    expect(table[1]?.scenario).toBe("'=cmd|' /C calc'!A0");
  });

  it("is named after the seed's file: invocations_<runId>[_<name>].csv", () => {
    expect(csvFileName({ runId: "20261207-010203-004-abcd" })).toBe(
      "invocations_20261207-010203-004-abcd.csv",
    );
    expect(csvFileName({ runId: "r1", name: "My Benchmark/../x" })).toBe(
      "invocations_r1_My-Benchmark-..-x.csv",
    );
  });
});
