import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  annotation,
  ERROR_ANNOTATIONS_PER_STEP,
  escapeData,
  escapeProperty,
} from "../../reporters/github-actions.ts";
import { createFixtureProject } from "../support/fixture-project.ts";
import { caseRecord } from "../support/records.ts";
import { runCli } from "../support/run-cli.ts";
import { tempDir } from "../support/temp-dir.ts";

const line = (o: object) => JSON.stringify(o);

describe("github-actions reporter", () => {
  it("annotates failed cases at their file and line, and writes a Markdown job summary", async () => {
    const root = createFixtureProject({
      "config/models_profiles.jsonl": [
        line({ model_id: "mock/good", mock: { quality: 1, ttft_ms: 0, tokens_per_s: 0 } }),
        line({ model_id: "mock/bad", mock: { quality: 0, ttft_ms: 0, tokens_per_s: 0 } }),
      ].join("\n"),
      "config/judge_profiles.jsonl": line({ model_id: "mock/j" }),
      "evals/qa.eval.jsonl": [
        line({ $eval: { name: "Q&A" } }),
        line({
          text_prompt: "Capital of Uruguay?",
          task: { task_type: "QA", task_criteria: "c" },
          golden_answer: "Montevideo | the capital.",
        }),
        line({
          text_prompt: "2+2?",
          task: { task_type: "QA", task_criteria: "c" },
          golden_answer: "Four, of course.",
        }),
      ].join("\n"),
    });
    const summary = join(tempDir("gh-"), "summary.md");
    const res = await runCli(root, ["--min-pass-rate", "0.5"], {
      GITHUB_ACTIONS: "true",
      GITHUB_STEP_SUMMARY: summary,
    });
    expect(res.code).toBe(0);
    const annotations = res.stdout.split("\n").filter((l) => l.startsWith("::error "));
    expect(annotations).toHaveLength(2);
    expect(annotations[0]).toMatch(
      /^::error file=evals\/qa\.eval\.jsonl,line=[23],title=Q&A › L[23] › mock\/bad \[t=0\.7%2C #1\]::Correctness 1 < 3 {2}\(mock\/j 1 /,
    );
    expect(annotations.map((a) => /line=(\d)/.exec(a)?.[1]).sort()).toEqual(["2", "3"]);

    const md = readFileSync(summary, "utf8");
    expect(md).toContain("## jury: ✅ gate passed (simulated models)");
    expect(md).toContain("| min pass rate | ✅ | pass rate 50.0% ≥ minimum 50.0% |");
    expect(md).toContain("| evals/qa.eval.jsonl › Q&amp;A | mock/good | 100.0% | 34.2%–100.0% | 2 |");
    expect(md).toContain("| evals/qa.eval.jsonl › Q&amp;A | mock/bad | 0.0% | 0.0%–65.8% | 2 |");
    // Every table row has the same number of cells: nothing a model wrote broke the table.
    const rows = md.split("\n").filter((l) => l.startsWith("| evals/qa.eval.jsonl ›"));
    expect(rows.every((r) => r.split(/(?<!\\)\|/).length === 8)).toBe(true);
  });

  it("annotates .eval.ts cases at their defineEval line, caps the annotations, and lists the failed cases, escaped", async () => {
    const scenarios = Array.from({ length: 14 }, (_, i) => ({
      id: `s${i + 1}`,
      prompt: `Question ${i + 1}?`,
    }));
    const root = createFixtureProject({
      "config/models_profiles.jsonl": line({
        model_id: "mock/bad",
        mock: { quality: 0, ttft_ms: 0, tokens_per_s: 0 },
      }),
      "config/judge_profiles.jsonl": line({ model_id: "mock/j" }),
      "evals/many.eval.ts": [
        'import { defineEval } from "jury";',
        "",
        "// Line 4 below is where the eval is declared.",
        `defineEval(${JSON.stringify("<img src=x onerror=alert(1)> & a|b\nc")}, {`,
        `  scenarios: ${JSON.stringify(scenarios)},`,
        "});",
        "",
      ].join("\n"),
    });
    const summary = join(tempDir("gh-"), "summary.md");
    const res = await runCli(root, [], { GITHUB_ACTIONS: "true", GITHUB_STEP_SUMMARY: summary });
    expect(res.code).toBe(1);

    // Workflow commands as the runner parses them: `::error <k=v,...>::<message>`, one per line.
    const commands = res.stdout
      .split("\n")
      .filter((l) => l.startsWith("::error"))
      .map((l) => {
        const m = /^::error(?: ([^:]*))?::(.*)$/.exec(l);
        if (!m) throw new Error(`not a workflow command: ${l}`);
        const props = Object.fromEntries(
          (m[1] ?? "")
            .split(",")
            .filter(Boolean)
            .map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]),
        );
        return { props, message: m[2] as string };
      });
    // GitHub shows 10 error annotations per step: 9 cases and one that says how many more there are.
    expect(commands).toHaveLength(ERROR_ANNOTATIONS_PER_STEP);
    const cases = commands.slice(0, -1);
    expect(cases.every((c) => c.props.file === "evals/many.eval.ts" && c.props.line === "4")).toBe(true);
    expect(cases[0]?.props.title).toMatch(
      /^<img src=x onerror=alert\(1\)> & a\|b␊c › s\d+ › mock\/bad \[t=0\.7%2C #1\]$/,
    );
    expect(commands.at(-1)).toEqual({
      props: { title: escapeProperty("jury: more failed cases") },
      message: "… and 5 more failed cases (GitHub shows 10 annotations per step): see the job summary",
    });

    // The job summary lists every failed case (where, which, why), HTML and table breakers escaped.
    const md = readFileSync(summary, "utf8");
    expect(md).toContain("### Failed cases (14)");
    const failedRows = md.split("\n").filter((l) => l.startsWith("| evals/many.eval.ts:4 |"));
    expect(failedRows).toHaveLength(14);
    expect(failedRows[0]).toMatch(
      /^\| evals\/many\.eval\.ts:4 \| &lt;img src=x onerror=alert\(1\)&gt; &amp; a\\\|b␊c › s\d+ › mock\/bad \[t=0\.7, #1\] \| Correctness 1 &lt; 3; /,
    );
    expect(md).not.toMatch(/<img/);
    expect(failedRows.every((r) => r.split(/(?<!\\)\|/).length === 5)).toBe(true);
  });

  it("escapes workflow-command data", () => {
    expect(escapeData("50% done\nnext\r")).toBe("50%25 done%0Anext%0D");
    const a = annotation(caseRecord({ file: "a,b:c.eval.jsonl", location: { line: 7 } }), {
      caseId: "x",
      state: "errored",
      reasons: [],
      checks: [],
      error: { name: "E", message: "boom\n::error::injected", classification: "api_failure" },
    });
    expect(a.startsWith("::error file=a%2Cb%3Ac.eval.jsonl,line=7,title=")).toBe(true);
    expect(a).toContain("::errored (api_failure): boom%0A::error::injected");
    expect(a.split("\n")).toHaveLength(1);
  });
});
