import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadEvalJsonl } from "../../../src/discovery/jsonl.ts";
import { type EvalsError, formatProblem, InputError } from "../../../src/errors.ts";
import { importTable, readTableColumns } from "../../../src/import/import-table.ts";
import type { ImportOptions } from "../../../src/types.ts";
import { tempDir } from "../../support/temp-dir.ts";

const FIXTURES = join(import.meta.dirname, "..", "..", "..", "fixtures");

/** The problems of the InputError that `fn` throws, formatted. */
function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof InputError) return err.problems.map(formatProblem);
    throw err;
  }
  throw new Error("expected an InputError");
}

const lines = (jsonl: string) =>
  jsonl
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe("importTable: CSV", () => {
  it("detects prompt and golden columns by common names, case-insensitively, and fills task from options", () => {
    const r = importTable(
      "Question,Expected\nWhat is 2+2?,4\nCapital of France?,Paris\n",
      { taskType: "Math", taskCriteria: "Exact answer", metrics: ["tone", " brevity "], temperature: 0.2 },
      "math.csv",
    );
    expect(r.scenarios).toBe(2);
    expect(r.warnings).toEqual([]);
    expect(r.jsonl).toBe(
      '{"text_prompt":"What is 2+2?","task":{"task_type":"Math","task_criteria":"Exact answer"},"golden_answer":"4","user_defined_metrics":"tone, brevity","temperature":0.2}\n' +
        '{"text_prompt":"Capital of France?","task":{"task_type":"Math","task_criteria":"Exact answer"},"golden_answer":"Paris","user_defined_metrics":"tone, brevity","temperature":0.2}\n',
    );
  });

  it("drops a UTF-8 BOM and keeps quoted commas, quotes and newlines (LF and CRLF) in cells", () => {
    const csv =
      '\uFEFFprompt,golden_answer\r\n"Say ""hi"", then\r\nwave","Hi, there!\nBye"\r\n"plain",ok\r\n';
    const r = importTable(csv, { taskType: "T" }, "q.csv");
    expect(lines(r.jsonl)).toEqual([
      { text_prompt: 'Say "hi", then\r\nwave', task: { task_type: "T" }, golden_answer: "Hi, there!\nBye" },
      { text_prompt: "plain", task: { task_type: "T" }, golden_answer: "ok" },
    ]);
    expect(readTableColumns(csv, "q.csv")).toEqual(["prompt", "golden_answer"]);
  });

  it("uses per-row task_type / task_criteria / metrics / tokens / id / system columns; options fill empty cells", () => {
    const csv = [
      "ID,Text_Prompt,Task Type,task_criteria,user_defined_metrics,max_tokens,Temperature,system_prompt",
      "a,P1,SQL,Valid SQL,tone,100,0,Be terse",
      "b,P2,,,,,,",
    ].join("\n");
    const r = importTable(csv, { taskType: "General QA", taskCriteria: "Be right", temperature: 1 }, "t.csv");
    expect(lines(r.jsonl)).toEqual([
      {
        text_prompt: "P1",
        expected_output_tokens: 100,
        task: { task_type: "SQL", task_criteria: "Valid SQL" },
        user_defined_metrics: "tone",
        temperature: 0,
        system: "Be terse",
        id: "a",
      },
      {
        text_prompt: "P2",
        task: { task_type: "General QA", task_criteria: "Be right" },
        temperature: 1,
        id: "b",
      },
    ]);
    expect(r.warnings.map(formatProblem)).toEqual([
      "t.csv:1: no golden-answer column (looked for golden_answer, golden, answer, expected_answer, expected_output, expected, reference_answer, reference, ground_truth); the judges get no reference answer; pass --golden-column <name> to use one",
    ]);
  });

  it("warns, as data, about a default task type, missing criteria, unused columns and empty golden answers", () => {
    const r = importTable("prompt,answer,notes\nA,x,n\nB,,n\nC,,\n", {}, "d/w.csv");
    expect(r.scenarios).toBe(3);
    expect(r.warnings.map(formatProblem)).toEqual([
      'd/w.csv:1: column not imported: "notes"',
      'd/w.csv:1: no task type: every scenario got task_type "General"; pass --task-type <type> or add a task_type column',
      "d/w.csv:1: no task criteria on any scenario; the judges get no task-specific criteria; pass --task-criteria <text> or add a task_criteria column",
      "d/w.csv:3: answer: empty golden answer on 2 row(s) (first here); the judges get no reference answer there",
    ]);
  });

  it("takes columns named by flags, and rewrites image paths relative to the CSV as relative to the output", () => {
    const csv =
      "rompt,ref,pic\nDescribe,A pixel,images/pixel.png\nAnd this,Web,https://example.com/a.png?x=1\n";
    const r = importTable(
      csv,
      {
        promptColumn: "ROMPT",
        goldenColumn: "Ref",
        imageColumn: "pic",
        taskType: "Vision",
        outputFile: "evals/v.eval.jsonl",
      },
      "data/v.csv",
    );
    expect(lines(r.jsonl).map((l) => l.url_image)).toEqual([
      "../data/images/pixel.png",
      "https://example.com/a.png?x=1",
    ]);
    expect(r.warnings).toEqual([
      {
        file: "data/v.csv",
        line: 1,
        message:
          "no task criteria on any scenario; the judges get no task-specific criteria; pass --task-criteria <text> or add a task_criteria column",
      },
    ]);
  });

  it("names the available columns and the flag when a column is missing", () => {
    expect(problemsOf(() => importTable("rompt,golden_answer\nx,y\n", {}, "a.csv"))).toEqual([
      'a.csv:1: no prompt column (looked for text_prompt, prompt, question, input, query); the columns are "rompt", "golden_answer"; pass --prompt-column <name>',
    ]);
    expect(
      problemsOf(() =>
        importTable("prompt,golden_answer\nx,y\n", { goldenColumn: "answer", imageColumn: "img" }, "a.csv"),
      ),
    ).toEqual([
      'a.csv:1: --golden-column: no column named "answer"; the columns are "prompt", "golden_answer"',
      'a.csv:1: --image-column: no column named "img"; the columns are "prompt", "golden_answer"',
    ]);
  });

  it("reports every ragged row, empty prompt, bad number and duplicate id at once, each with its line", () => {
    const csv = [
      "id,prompt,answer,max_tokens",
      "1,P1,A1,10",
      '2,"multi',
      'line",A2', // a two-line row with 3 cells: reported at the line it starts on
      "3,,A3,10",
      "4,P4,A4,ten",
      "",
      "1,P5,A5,10",
      "6,P6,A6,10,extra",
      ",,,", // blank row: skipped
    ].join("\n");
    expect(problemsOf(() => importTable(csv, { taskType: "T" }, "r.csv"))).toEqual([
      "r.csv:3: 3 cells, but the header has 4 columns; quote cells that contain commas or line breaks",
      "r.csv:9: 5 cells, but the header has 4 columns; quote cells that contain commas or line breaks",
      "r.csv:5: prompt: empty prompt: every row needs one (delete the row or fill the cell)",
      'r.csv:6: max_tokens: must be a positive integer (got "ten")',
      'r.csv:8: id: duplicate id "1" (first used on line 2); ids must be unique',
    ]);
  });

  it("reports an unclosed quote at the line it opens, and an empty file or header-only table", () => {
    expect(problemsOf(() => importTable('prompt\n"ok"\n"never closed\nmore\n', {}, "q.csv"))).toEqual([
      'q.csv:3: a quoted cell in the row starting here is never closed; close it with " (write "" for a quote inside a cell)',
    ]);
    expect(problemsOf(() => importTable("", {}, "e.csv"))).toEqual([
      "e.csv: no header row: the first line must name the columns",
    ]);
    expect(problemsOf(() => importTable("prompt,answer\n\n", {}, "h.csv"))).toEqual([
      "h.csv:1: no rows: the table has a header but no data",
    ]);
    expect(() => readTableColumns("", "e.csv")).toThrow(InputError);
  });

  it("rejects invalid options with a usage error naming the flag", () => {
    const err = (o: ImportOptions) => {
      try {
        importTable("prompt\nx\n", o, "a.csv");
      } catch (e) {
        return `${(e as EvalsError).code}: ${(e as Error).message}`;
      }
      return "no error";
    };
    expect(err({ temperature: 3 })).toBe(
      "EVALS_BAD_FLAG: --temperature must be a number from 0 to 2 (got 3)",
    );
    expect(err({ promptColumn: " " })).toBe(
      "EVALS_BAD_FLAG: --prompt-column must name a column (got an empty name)",
    );
  });

  it("reads TSV by its extension", () => {
    const r = importTable("prompt\tanswer\nHello, you\tHi\n", { taskType: "Chat" }, "c.tsv");
    expect(lines(r.jsonl)).toEqual([
      { text_prompt: "Hello, you", task: { task_type: "Chat" }, golden_answer: "Hi" },
    ]);
  });
});

describe("importTable: JSONL rows", () => {
  it("reads one object per line, flattening nested task fields, and reports bad lines", () => {
    const rows = [
      '{"question": "Q1", "answer": 42, "task": {"task_type": "Math", "task_criteria": "exact"}}',
      "",
      '{"question": "Q2", "answer": null, "extra": [1]}',
    ].join("\n");
    expect(readTableColumns(rows, "rows.jsonl")).toEqual([
      "question",
      "answer",
      "task.task_type",
      "task.task_criteria",
      "extra",
    ]);
    const r = importTable(rows, { taskType: "Other" }, "rows.jsonl");
    expect(lines(r.jsonl)).toEqual([
      { text_prompt: "Q1", task: { task_type: "Math", task_criteria: "exact" }, golden_answer: "42" },
      { text_prompt: "Q2", task: { task_type: "Other" } },
    ]);
    expect(problemsOf(() => importTable('{"prompt": "x"}\n[1]\n{bad\n', {}, "b.jsonl"))).toEqual([
      "b.jsonl:2: each line must be a JSON object of column values",
      expect.stringMatching(/^b\.jsonl:3: invalid JSON: /),
    ]);
  });
});

describe("importTable output loads with the real JSONL loader", () => {
  it("gives the loader exactly the imported values, with local images resolved from the output file", async () => {
    const root = tempDir("jury-import-");
    mkdirSync(join(root, "data", "images"), { recursive: true });
    mkdirSync(join(root, "evals"));
    copyFileSync(join(FIXTURES, "images", "pixel.png"), join(root, "data", "images", "pixel.png"));
    const csv = [
      "\uFEFFQuestion,Golden_Answer,Image,task_type,id",
      '"Describe, briefly:\nthe image",A single pixel.,images/pixel.png,Vision,px',
      'Say "hi",Hi,,,',
    ].join("\r\n");
    const r = importTable(
      csv,
      {
        taskType: "Chat",
        taskCriteria: "Be accurate",
        metrics: ["brand voice"],
        temperature: 0.3,
        outputFile: "evals/mixed.eval.jsonl",
      },
      "data/mixed.csv",
    );
    writeFileSync(join(root, "evals", "mixed.eval.jsonl"), r.jsonl);

    const loaded = await loadEvalJsonl(join(root, "evals", "mixed.eval.jsonl"), "evals/mixed.eval.jsonl");
    expect(loaded.problems).toEqual([]);
    expect(loaded.warnings).toEqual([]);
    expect(loaded.eval.name).toBe("mixed");
    expect(loaded.eval.scenarios).toEqual([
      {
        key: "px",
        prompt: "Describe, briefly:\nthe image",
        taskType: "Vision",
        criteria: "Be accurate",
        golden: "A single pixel.",
        image: "../data/images/pixel.png",
        metrics: ["brand voice"],
        temperature: 0.3,
        line: 1,
      },
      {
        key: "L2",
        prompt: 'Say "hi"',
        taskType: "Chat",
        criteria: "Be accurate",
        golden: "Hi",
        metrics: ["brand voice"],
        temperature: 0.3,
        line: 2,
      },
    ]);
  });
});

describe("importTable: task evaluations per CSV (perTask)", () => {
  const csv = ["prompt,task_type", "a1,A", "b1,B", "a2,A", "a3,A", "b2,B", "b3,B", "c1,C"].join("\n");

  it("keeps the first n rows of each task type, in table order, and says how many were left out", () => {
    const r = importTable(csv, { perTask: 2, taskCriteria: "c" }, "mixed.csv");
    expect(lines(r.jsonl).map((s) => s.text_prompt)).toEqual(["a1", "b1", "a2", "b2", "c1"]);
    expect(r.scenarios).toBe(5);
    expect(r.warnings.map(formatProblem)).toContain(
      "mixed.csv:1: 2 row(s) left out: the first 2 of each task type are kept (A: 2, B: 2, C: 1)",
    );
  });

  it("checks nothing of the rows it leaves out, and refuses a count that is not a whole number ≥ 1", () => {
    const bad = "prompt,task_type,expected_output_tokens\nq1,A,10\nq2,A,lots\n";
    expect(importTable(bad, { perTask: 1, taskCriteria: "c" }, "t.csv").scenarios).toBe(1);
    for (const perTask of [0, 1.5, -1])
      expect(() => importTable(csv, { perTask }, "mixed.csv")).toThrow(
        `--per-task must be a whole number ≥ 1 (got ${perTask})`,
      );
  });
});
