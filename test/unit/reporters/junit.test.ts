import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { JunitReporter } from "../../../reporters/junit.ts";
import { buildJunitXml, junitSuites, xmlSafe } from "../../../reporters/junit-xml.ts";
import { resultsReader } from "../../../src/store/results-reader.ts";
import {
  abstained,
  caseRecord,
  errored,
  judged,
  passed,
  runEndArgs,
  runReport,
  scored,
  skipped,
} from "../../support/records.ts";
import { fileReporterContext } from "../../support/reporter-context.ts";

const XSD = fileURLToPath(new URL("../../../fixtures/junit.xsd", import.meta.url));

// Everything a model might write that breaks naive XML.
const NASTY =
  'Use <b>bold</b> & "quotes" ]]> twice ]]> then </testcase></testsuite> \u0000nul \u001b[31mansi\u0007 \uFFFF\uFFFE lone\uD800 pair 😀 pua\uE000\uE002 end]';
const NASTY_CLEAN =
  'Use <b>bold</b> & "quotes" ]]> twice ]]> then </testcase></testsuite> nul [31mansi  lone pair 😀 pua\uE000\uE002 end]';

const a = caseRecord({ id: "a" });
const b = caseRecord({ id: "b", scenarioKey: "L4", model: "mock/sloppy", location: { line: 4 } });
const c = caseRecord({
  id: "c",
  file: "evals/sql.eval.jsonl",
  evalName: "sql",
  scenarioKey: "orders",
  model: "mock/sloppy",
  temperature: 0.525,
  invocation: 2,
  experiment: 2,
  location: {},
});
const d = caseRecord({ id: "d", file: "evals/sql.eval.jsonl", evalName: "sql", scenarioKey: "legacy" });
const e = caseRecord({ id: "e", file: "evals/sql.eval.jsonl", evalName: "sql", scenarioKey: "never" });
const cases = [a, b, c, d, e];

const ra = passed(a, { metrics: { durationMs: 812 } });
const rb = judged(
  b,
  [
    scored(
      "mock/judge-a",
      { correctness: 2, format: 2 },
      { rationales: { correctness: "Says 21% where the source says 12% & <omits> guidance ]]>." } },
    ),
    scored("mock/judge-b", { correctness: 3, format: 3 }, { rationales: { correctness: "Mostly right." } }),
    scored(
      "mock/judge-c",
      { correctness: 2, format: 3 },
      { rationales: { correctness: "Wrong \u0000figure." } },
    ),
    abstained("mock/judge-d"),
  ],
  {
    output: NASTY,
    metrics: { ttftMs: 1400, durationMs: 2100 },
    checks: [{ name: 'contains("refund")', passed: false, message: 'output does not contain "refund"' }],
  },
);
const rc = errored(c, { message: "ThrottlingException: Rate exceeded <after 3 retries> \u0001" });
const rd = skipped(d);
const results = [ra, rb, rc, rd]; // e never ran: the run was interrupted

function xmllint(...args: string[]): string {
  return execFileSync("xmllint", args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

describe("junitSuites", () => {
  const suites = junitSuites(cases, results);

  it("makes one suite per eval file and one case per planned case, in plan order", () => {
    expect(suites.map((s) => [s.name, s.time, s.cases.map((x) => x.name)])).toEqual([
      [
        "evals/summaries.eval.jsonl",
        2.912,
        ["summaries › L3 › mock/perfect [t=0.7, #1]", "summaries › L4 › mock/sloppy [t=0.7, #1]"],
      ],
      [
        "evals/sql.eval.jsonl",
        4.2,
        [
          "sql › orders › mock/sloppy [t=0.525, #2, exp 2]",
          "sql › legacy › mock/perfect [t=0.7, #1]",
          "sql › never › mock/perfect [t=0.7, #1]",
        ],
      ],
    ]);
  });

  it("describes a failed case: message, every judge's score and rationale, failing checks, properties", () => {
    const tc = suites[0]?.cases[1];
    expect(tc).toMatchObject({
      classname: "evals/summaries.eval.jsonl",
      file: "evals/summaries.eval.jsonl",
      line: 4,
      time: 2.1,
    });
    expect(tc?.failure).toEqual({
      message:
        'check contains("refund"): output does not contain "refund"; Correctness 2.33 < 3; Format 2.67 < 3',
      type: "jury",
      text: [
        'check contains("refund"): output does not contain "refund"',
        "Correctness 2.33 < 3",
        "  mock/judge-a 2: Says 21% where the source says 12% & <omits> guidance ]]>.",
        "  mock/judge-b 3: Mostly right.",
        "  mock/judge-c 2: Wrong \u0000figure.",
        "Format 2.67 < 3",
        "  mock/judge-a 2: mock/judge-a on Format",
        "  mock/judge-b 3: mock/judge-b on Format",
        "  mock/judge-c 3: mock/judge-c on Format",
        "",
        "Jury: mean ≥ 3, 3 of 4 judges scored (quorum 2), prompt judge-v1",
        "  mock/judge-d abstained: unparseable",
      ].join("\n"),
    });
    expect(tc?.output).toBe(NASTY);
    expect(tc?.properties).toEqual([
      ["case.id", "b"],
      ["eval", "summaries"],
      ["scenario", "L4"],
      ["model", "mock/sloppy"],
      ["task_type", "Summarization"],
      ["variant", "original"],
      ["temperature", "0.7"],
      ["invocation", "1"],
      ["experiment", "1"],
      ["state", "failed"],
      ["jury.rule", "mean"],
      ["jury.threshold", "3"],
      ["jury.correctness", "2.33"],
      ["jury.completeness", "5"],
      ["jury.relevance", "5"],
      ["jury.format", "2.67"],
      ["jury.coherence", "5"],
      ["jury.following_instructions", "5"],
      ["judges", "mock/judge-a, mock/judge-b, mock/judge-c, mock/judge-d"],
      ["judge.mock/judge-a", "scored"],
      ["judge.mock/judge-b", "scored"],
      ["judge.mock/judge-c", "scored"],
      ["judge.mock/judge-d", "abstained: unparseable"],
      ['check.contains("refund")', "failed"],
      ["ttft_ms", "1400.0"],
      ["ttlb_ms", "1500.0"],
      ["otps", "93.0"],
      ["input_tokens", "120"],
      ["output_tokens", "64"],
      ["response_cost_usd", "0.000300"],
      ["judge_cost_usd", "0.000900"],
      ["cost_usd", "0.001200"],
      ["simulated", "true"],
    ]);
  });

  it("gives errored cases an error with the classification, and marks skipped and never-run cases skipped", () => {
    const [errorCase, skipCase, neverCase] = suites[1]?.cases ?? [];
    expect(errorCase?.line).toBeUndefined();
    expect(errorCase?.error).toEqual({
      message: "ThrottlingException: Rate exceeded <after 3 retries> \u0001",
      type: "api_failure",
      text: "api_failure: ThrottlingException: Rate exceeded <after 3 retries> \u0001\ncode: throttled",
    });
    expect(skipCase).toMatchObject({ skipped: true, time: 0 });
    expect(skipCase?.properties).toContainEqual(["state", "skipped"]);
    expect(neverCase).toMatchObject({ skipped: true, time: 0 });
    expect(neverCase?.properties.at(-1)).toEqual(["state", "not run"]);
  });
});

describe("JunitReporter", () => {
  async function run(outputFile?: string) {
    const { root, ctx, lines } = fileReporterContext(outputFile);
    const reporter = new JunitReporter();
    reporter.onInit(ctx);
    await reporter.onRunEnd(...runEndArgs(runReport(cases, results, { status: "interrupted" })));
    return { root, lines };
  }

  it("writes schema-valid XML whatever the model wrote", async () => {
    const { root, lines } = await run("reports/ci/junit.xml");
    const file = join(root, "reports/ci/junit.xml");
    expect(lines).toEqual([" JUnit report written to reports/ci/junit.xml"]);
    xmllint("--noout", "--schema", XSD, file); // throws on any schema or well-formedness error
    const xml = readFileSync(file, "utf8");
    expect(xml.match(/<testcase /g)).toHaveLength(cases.length);
    expect(xml.match(/<testsuite /g)).toHaveLength(2);
    expect(xml).toContain('<testsuites name="jury" tests="5" failures="1" errors="1" skipped="2">');
    expect(xml).toContain(
      '<testcase classname="evals/summaries.eval.jsonl" name="summaries › L4 › mock/sloppy [t=0.7, #1]" file="evals/summaries.eval.jsonl" time="2.1" line="4">',
    );
    expect(xml).toContain(
      '<failure message="check contains(&quot;refund&quot;): output does not contain &quot;refund&quot;; Correctness 2.33 &lt; 3; Format 2.67 &lt; 3" type="jury">',
    );
    expect(xml).toContain(
      '<testsuite name="evals/sql.eval.jsonl" time="4.2" timestamp="2025-06-01T12:00:00.000Z" tests="3" failures="0" errors="1" skipped="2">',
    );
  });

  it("streams a run's results from its results.jsonl: the same XML, byte for byte, in any arrival order", async () => {
    const inMemory = readFileSync(join((await run()).root, "outputs", "junit.xml"), "utf8");
    const { root, ctx } = fileReporterContext();
    mkdirSync(ctx.runDir, { recursive: true });
    // Arrival order, an earlier result of a case that a later line replaces, and a line torn by a crash.
    const lines = [rd, errored(a), rc, ra, rb].map((r) => JSON.stringify(r));
    writeFileSync(join(ctx.runDir, "results.jsonl"), `${lines.join("\n")}\n${lines[0]?.slice(0, 30)}`);
    const reporter = new JunitReporter();
    reporter.onInit(ctx);
    const [report] = runEndArgs(runReport(cases, results, { status: "interrupted" }));
    await reporter.onRunEnd(report, {
      ...resultsReader(join(ctx.runDir, "results.jsonl")),
      all: () => {
        throw new Error("the streaming path must not hold every result");
      },
    });
    const file = join(root, "outputs", "junit.xml");
    xmllint("--noout", "--schema", XSD, file);
    expect(readFileSync(file, "utf8")).toBe(inMemory);
  });

  it("keeps <, &, ]]> and every valid character as text, and drops only what XML cannot hold", async () => {
    const { root } = await run();
    const file = join(root, "outputs", "junit.xml");
    // xmllint ends what it prints with a newline of its own.
    const text = (xpath: string) => xmllint("--xpath", `string(${xpath})`, file).replace(/\n$/, "");
    expect(text("//testcase[@name='summaries › L4 › mock/sloppy [t=0.7, #1]']/system-out")).toBe(NASTY_CLEAN);
    const failure = text("//testcase[@line='4']/failure");
    expect(failure).toContain("  mock/judge-a 2: Says 21% where the source says 12% & <omits> guidance ]]>.");
    expect(failure).toContain("  mock/judge-b 3: Mostly right.");
    expect(failure).toContain("  mock/judge-c 2: Wrong figure.");
    expect(failure).toContain("  mock/judge-c 3: mock/judge-c on Format");
    const errored = "//testcase[properties/property[@name='case.id' and @value='c']]/error";
    expect(text(`${errored}/@message`)).toBe("ThrottlingException: Rate exceeded <after 3 retries> ");
    expect(text(`${errored}/@type`)).toBe("api_failure");
    expect(text("count(//testcase[skipped])")).toBe("2");
  });
});

describe("xmlSafe", () => {
  it("removes control characters, lone surrogates and U+FFFE/U+FFFF, keeping tab, newline, CR and pairs", () => {
    expect(xmlSafe("a\u0000b\u0008c\u000bd\u000ce\u001ff\t\n\r")).toBe("abcdef\t\n\r");
    expect(xmlSafe("x\uD800y\uDC00z😀\uFFFE\uFFFF")).toBe("xyz😀");
  });

  it("leaves markup characters for the builder to escape", () => {
    expect(buildJunitXml([a], [passed(a, { output: "1 < 2 && 3 > 2" })])).toContain(
      "<system-out><![CDATA[1 < 2 && 3 > 2]]></system-out>",
    );
  });
});
