import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { RunReportWithResults as RunReport } from "../../src/types.ts";
import { createFixtureProject } from "../support/fixture-project.ts";
import { runCli } from "../support/run-cli.ts";

const SAMPLES = join(
  import.meta.dirname,
  "..",
  "..",
  "fixtures",
  "360-eval-samples",
  "sample-bedrock-migration-and-modernization-tools",
  "360-eval",
  "assets",
  "test-datasets",
);

/**
 * Every seed CSV, the flags it needs, and its row count. Only two need column flags: the Chegg relevance file
 * has none of the usual column names, and the OCS Claude file misspells its prompt column "rompt".
 */
const SEED_CSVS: [file: string, flags: string[], scenarios: number][] = [
  [
    "chegg-question-answer-relevance-check.csv",
    [
      "--prompt-column",
      "cleaned_question_body",
      "--golden-column",
      "cleaned_answer_body",
      "--image-column",
      "question_image_urls",
      "--task-type",
      "Homework Help",
    ],
    5,
  ],
  ["chegg-syntetic-sample-data-for-evaluation.csv", ["--task-type", "Homework Help"], 18],
  ["sample-benchmark-ocs-claude.csv", ["--prompt-column", "rompt", "--task-type", "OCR"], 25],
  ["sample-benchmark-ocs-nova.csv", ["--task-type", "OCR"], 25],
  ["sample-benchmark-prompts-customer-call-transcripts.csv", ["--task-type", "Customer Support"], 10],
  ["sample-benchmark-prompts-data-extraction.csv", ["--task-type", "Data Extraction"], 20],
  ["sample-benchmark-prompts-data-formatting.csv", ["--task-type", "Data Formatting"], 22],
  ["sample-benchmark-prompts-function-calling.csv", ["--task-type", "Function Calling"], 21],
  ["sample-benchmark-prompts-summarization.csv", ["--task-type", "Summarization"], 20],
  ["sample-benchmark-prompts-text-to-sql.csv", ["--task-type", "Text-to-SQL"], 21],
  ["sample-benchmark-prompts-thinking-use-case.csv", ["--task-type", "Reasoning"], 10],
];

// Instant, perfect mock models and judges: the run checks the imported files, not latency.
const MODELS =
  '{"model_id": "mock/perfect", "input_token_cost": 0.001, "output_token_cost": 0.002, "mock": {"quality": 1, "ttft_ms": 0, "tokens_per_s": 0}}\n';
const JUDGES = ["a", "b"]
  .map((j) => `{"model_id": "mock/judge-${j}", "input_cost_per_1k": 0.003, "output_cost_per_1k": 0.015}`)
  .join("\n");

describe("evals import (CLI)", () => {
  it("covers every seed CSV in the samples folder", () => {
    expect(
      readdirSync(SAMPLES)
        .filter((f) => f.endsWith(".csv"))
        .sort(),
    ).toEqual(SEED_CSVS.map(([f]) => f).sort());
  });

  it("imports every seed CSV with its flags, and the imported evals run offline on mock models; exit 0", async () => {
    const files: Record<string, string> = {
      "config/models_profiles.jsonl": MODELS,
      "config/judge_profiles.jsonl": JUDGES,
    };
    for (const [f] of SEED_CSVS) files[`data/${f}`] = readFileSync(join(SAMPLES, f), "utf8");
    const root = createFixtureProject(files);

    for (const [f, flags, n] of SEED_CSVS) {
      const out = `evals/${f.replace(/\.csv$/, "")}.eval.jsonl`;
      // Criteria are optional; without them the run warns that the judges get no task-specific criteria.
      const criteria = ["--task-criteria", "Match the golden answer's content and format"];
      const res = await runCli(root, ["import", `data/${f}`, ...flags, ...criteria]);
      expect({ f, code: res.code }).toEqual({ f, code: 0 });
      expect(res.stdout).toBe(`Imported ${n} scenarios from data/${f} → ${out}\nRun it: npx evals ${out}\n`);
      expect(res.stderr).toBe(
        f.startsWith("sample-benchmark-prompts-customer")
          ? `warning: data/${f}:1: columns not imported: "Case ID", "Vertical", "Primary Issue", "Customer Profile", "Context Snapshot", "Desired Outcome", "Constraints"\n`
          : f.startsWith("chegg-question")
            ? `warning: data/${f}:1: columns not imported: "relevancy_score", "why_is_the_solution_partially_relevant", "why_is_the_solution_irrelevant", "answer_image_urls"\n`
            : "",
      );
    }

    const run = await runCli(root, ["--reporter", "json", "--no-preflight"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const report = JSON.parse(readFileSync(join(root, "outputs", "report.json"), "utf8")) as RunReport;
    const perFile = new Map<string, number>();
    for (const c of report.cases) perFile.set(c.file, (perFile.get(c.file) ?? 0) + 1);
    expect(Object.fromEntries(perFile)).toEqual(
      Object.fromEntries(SEED_CSVS.map(([f, , n]) => [`evals/${f.replace(/\.csv$/, "")}.eval.jsonl`, n])),
    );
    expect(report.results).toHaveLength(197);
    expect(report.results.every((r) => r.state === "passed")).toBe(true);
    // The image column became url_image, and the OCR task type came from the flag.
    const ocs = readFileSync(join(root, "evals", "sample-benchmark-ocs-claude.eval.jsonl"), "utf8");
    expect(JSON.parse(ocs.split("\n")[0] as string)).toMatchObject({
      task: { task_type: "OCR" },
      url_image:
        "https://media.test.cheggcdn.com/media_testing/541/54176073-a8b0-4341-b4ce-6669e94e1f95/3_copy.png?id=8",
    });
  }, 120_000);

  it("keeps the first n rows of each task type with --per-task, and refuses a bad count with exit 2", async () => {
    const root = createFixtureProject({
      "mixed.csv": "prompt,task_type,task_criteria\na1,A,c\nb1,B,c\na2,A,c\na3,A,c\n",
    });
    const ok = await runCli(root, ["import", "mixed.csv", "--per-task", "2"]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain("Imported 3 scenarios from mixed.csv");
    expect(ok.stderr).toContain(
      "warning: mixed.csv:1: 1 row(s) left out: the first 2 of each task type are kept (A: 2, B: 1)",
    );
    const bad = await runCli(root, ["import", "mixed.csv", "--per-task", "0", "--force"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe("error: --per-task must be a whole number ≥ 1 (got 0)\n");
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });

  it("prints warnings, refuses to overwrite without --force, and reports input problems with exit 2", async () => {
    const root = createFixtureProject({
      "rows.csv": '\uFEFFquestion,answer,notes\n"What is 2+2, really?",4,x\n,5,y\n',
    });
    const bad = await runCli(root, ["import", "rows.csv"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(
      "error: 1 problem in the input; nothing was run.\n" +
        "  rows.csv:3: question: empty prompt: every row needs one (delete the row or fill the cell)\n",
    );

    writeFileSync(join(root, "rows.csv"), 'question,answer,notes\n"What is 2+2, really?",4,x\n');
    const ok = await runCli(root, [
      "import",
      "rows.csv",
      "-o",
      "evals/math.eval.jsonl",
      "--metrics",
      "brevity",
    ]);
    expect(ok.code).toBe(0);
    expect(ok.stderr).toBe(
      'warning: rows.csv:1: column not imported: "notes"\n' +
        'warning: rows.csv:1: no task type: every scenario got task_type "General"; pass --task-type <type> or add a task_type column\n' +
        "warning: rows.csv:1: no task criteria on any scenario; the judges get no task-specific criteria; pass --task-criteria <text> or add a task_criteria column\n",
    );
    expect(readFileSync(join(root, "evals", "math.eval.jsonl"), "utf8")).toBe(
      '{"text_prompt":"What is 2+2, really?","task":{"task_type":"General"},"golden_answer":"4","user_defined_metrics":"brevity"}\n',
    );

    const again = await runCli(root, ["import", "rows.csv", "-o", "evals/math.eval.jsonl"]);
    expect(again.code).toBe(2);
    expect(again.stderr).toBe(
      "error: evals/math.eval.jsonl already exists; nothing was written\n" +
        "hint: Pass --force to overwrite it, or -o <file> to write elsewhere.\n",
    );
    const forced = await runCli(root, [
      "import",
      "rows.csv",
      "-o",
      "evals/math.eval.jsonl",
      "--force",
      "--task-type",
      "Math",
    ]);
    expect(forced.code).toBe(0);
    expect(readFileSync(join(root, "evals", "math.eval.jsonl"), "utf8")).toContain('"task_type":"Math"');

    const missing = await runCli(root, ["import", "nope.csv"]);
    expect({ code: missing.code, stderr: missing.stderr }).toEqual({
      code: 2,
      stderr: "error: nope.csv: file not found\n",
    });
  }, 60_000);
});
