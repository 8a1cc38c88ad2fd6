// Names users choose become keys: metric, dimension, scenario, task type, eval, model and judge names. Named like
// members of Object.prototype (`__proto__`, `constructor`, `toString`…), each must be judged and reported like
// any other name, never read back as the prototype's member.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { pageData } from "../../reporters/html/data.ts";
import type { RunReportWithResults as RunReport } from "../../src/types.ts";
import { createFixtureProject } from "../support/fixture-project.ts";
import { runCli } from "../support/run-cli.ts";
import { resultsOf } from "../support/run-results.ts";

const line = (o: object) => JSON.stringify(o);
const PROTO = ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf", "isPrototypeOf"];
const perfect = (name: string) => ({
  model_id: "mock/m",
  name,
  mock: { quality: 1, ttft_ms: 0, tokens_per_s: 0 },
});
const row = (id: string, taskType: string, metrics?: string) => ({
  id,
  text_prompt: `Say ${id}.`,
  golden_answer: `The answer for ${id}.`,
  task: { task_type: taskType, task_criteria: "Exact." },
  ...(metrics ? { user_defined_metrics: metrics } : {}),
  tags: ["__proto__"],
});

describe("names like Object.prototype's members", () => {
  it("metrics, scenarios, task types, evals, models and judges named __proto__, constructor… are judged and reported", async () => {
    const root = createFixtureProject({
      "config/models_profiles.jsonl": [perfect("__proto__"), perfect("constructor")].map(line).join("\n"),
      "config/judge_profiles.jsonl": [
        { model_id: "mock/j", name: "toString" },
        { model_id: "mock/j", name: "hasOwnProperty" },
      ]
        .map(line)
        .join("\n"),
      // A file whose eval is named __proto__, with every prototype-named metric, scenario and task type.
      "evals/__proto__.eval.jsonl": [
        { $eval: { metrics: PROTO.slice(0, 3) } },
        row("toString", "constructor", "valueOf, isPrototypeOf"),
        row("__proto__", "__proto__"),
        row("constructor", "toString", "hasOwnProperty"),
      ]
        .map(line)
        .join("\n"),
      // Evals named like members, and one without the user metrics: their groups lack those dimension keys.
      "evals/names.eval.ts": `import { defineEval } from "jury";
defineEval("constructor", {
  scenarios: [{ id: "hasOwnProperty", prompt: "Hi", golden: "Hello.", taskType: "valueOf", metrics: ["constructor"] }],
});
defineEval("toString", { scenarios: [{ id: "valueOf", prompt: "Hi", golden: "Hello.", taskType: "General" }] });
`,
    });
    const res = await runCli(root, [
      "--reporter",
      "default",
      "--reporter",
      "json",
      "--reporter",
      "junit",
      "--reporter",
      "html",
    ]);
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);

    const report = JSON.parse(readFileSync(join(root, "outputs", "report.json"), "utf8")) as RunReport;
    const { lines, runDir } = resultsOf(root);
    const run = JSON.parse(readFileSync(join(runDir, "run.json"), "utf8")) as RunReport;
    expect(report.cases).toHaveLength(10);
    for (const results of [lines, report.results, run.results]) {
      expect(results).toHaveLength(10);
      expect(results.map((r) => r.state)).toEqual(Array(10).fill("passed"));
      for (const r of results) {
        expect(r.jury?.verdicts.map((v) => v.judge)).toEqual(["toString", "hasOwnProperty"]);
        for (const v of r.jury?.verdicts ?? []) {
          expect(v.status).toBe("scored");
          if (v.status !== "scored") continue;
          for (const d of r.jury?.dimensions ?? []) {
            expect(Object.hasOwn(v.scores, d.key), d.key).toBe(true);
            expect(typeof v.rationales[d.key], d.key).toBe("string");
          }
        }
      }
    }
    const caseOf = (id: string) => report.cases.find((c) => c.id === id);
    const dimensionsOf = (scenario: string) =>
      report.results
        .find((r) => caseOf(r.caseId)?.scenarioKey === scenario)
        ?.jury?.dimensions.slice(6)
        .map((d) => [d.key, d.name, d.score]);
    expect(dimensionsOf("toString")).toEqual([
      ["proto", "__proto__", 5],
      ["constructor", "constructor", 5],
      ["tostring", "toString", 5],
      ["valueof", "valueOf", 5],
      ["isprototypeof", "isPrototypeOf", 5],
    ]);
    expect(dimensionsOf("hasOwnProperty")).toEqual([["constructor", "constructor", 5]]);
    expect(dimensionsOf("valueOf")).toEqual([]);

    const keys = (groups: { key: string }[]) => groups.map((g) => g.key).sort();
    const { summaries } = report;
    expect(keys(summaries.byModel)).toEqual(["__proto__", "constructor"]);
    expect(keys(summaries.byTaskType)).toEqual([
      "General",
      "__proto__",
      "constructor",
      "toString",
      "valueOf",
    ]);
    expect(keys(summaries.byEval)).toEqual([
      "evals/__proto__.eval.jsonl › __proto__",
      "evals/names.eval.ts › constructor",
      "evals/names.eval.ts › toString",
    ]);
    const general = summaries.byTaskType.find((g) => g.key === "General");
    expect(Object.keys(general?.meanScores ?? {})).not.toContain("constructor");
    expect(summaries.overall.meanScores).toMatchObject({ proto: 5, constructor: 5, tostring: 5, valueof: 5 });
    expect(summaries.overall.passed).toBe(10);

    const junit = readFileSync(join(root, "outputs", "junit.xml"), "utf8");
    expect(junit.match(/<testcase /g)).toHaveLength(10);
    expect(junit).toMatch(/<testsuites [^>]*tests="10" failures="0" errors="0"/);
    const html = readFileSync(join(root, "outputs", "report.html"), "utf8");
    expect(html).not.toContain("function Object()");
    // The page's drill-down: every judge × every dimension of the run, null where a case has no such dimension.
    const page = pageData(report);
    expect(page.strings.filter((x) => typeof x !== "string")).toEqual([]);
    for (const [, , , verdicts] of page.details)
      for (const [, , scores] of verdicts)
        expect(scores.filter((x) => x !== null && typeof x !== "number")).toEqual([]);
    expect(res.stdout).toContain("10 passed");
    expect(res.stdout).not.toContain("function Object()");
  });
});
