// JUnit XML from records (pure): eval file → <testsuite>, case → <testcase> (DESIGN §8). Valid XML 1.0
// whatever a model wrote: invalid characters are removed and `]]>` survives inside CDATA.
import junitBuilder, { type Builder, type TestCase } from "junit-report-builder";
import type { CaseRecord, CaseResult, GateResult, JuryResult } from "../src/index.ts";
import { caseName, reasonSummary, score } from "./format.ts";

// The package is CommonJS (`module.exports = builder`) while its types declare a default export, so at run
// time the default import is the builder itself; a bundler may hand over `{ default }` instead.
const factory: Builder =
  (junitBuilder as { default?: Builder }).default ?? (junitBuilder as unknown as Builder);

/** A `<testcase>` as plain data. */
export interface JunitCase {
  /** `{eval} › {scenario} › {model} [t={temperature}, #{invocation}]` (+ experiment, variant). */
  name: string;
  /** The eval file, as CI dashboards group by class name. */
  classname: string;
  file: string;
  line?: number;
  /** Seconds. */
  time: number;
  properties: [name: string, value: string][];
  failure?: { message: string; type: string; text: string };
  error?: { message: string; type: string; text: string };
  /** A failed trial of a flaky case (its trials disagree): `<flakyFailure>`, reported apart from failures. */
  flaky?: { message: string; type: string; text: string };
  skipped?: true;
  /** The model's response, as `<system-out>`. */
  output?: string;
}

/** A `<testsuite>` (one eval file) as plain data. */
export interface JunitSuite {
  name: string;
  /** Seconds: the sum of its cases' times. */
  time: number;
  cases: JunitCase[];
}

/** Longest model response kept in `<system-out>`; CI dashboards choke on megabytes of text. */
const OUTPUT_CHARS = 20_000;

/**
 * The JUnit elements of a run (pure): one suite per eval file in plan order, one test case per planned case.
 * A planned case without a result (an interrupted run) is `<skipped/>` with the property `state = not run`.
 */
export function junitSuites(
  cases: readonly CaseRecord[],
  results: readonly CaseResult[],
  flakyIds: ReadonlySet<string> = new Set(),
): JunitSuite[] {
  const byId = new Map(results.map((r) => [r.caseId, r]));
  const suites = new Map<string, JunitSuite>();
  for (const c of cases) {
    let suite = suites.get(c.file);
    if (!suite) {
      suite = { name: c.file, time: 0, cases: [] };
      suites.set(c.file, suite);
    }
    const tc = junitCase(c, byId.get(c.id), flakyIds.has(c.id));
    suite.cases.push(tc);
    suite.time = round3(suite.time + tc.time);
  }
  return [...suites.values()];
}

function junitCase(c: CaseRecord, r: CaseResult | undefined, flaky = false): JunitCase {
  const tc: JunitCase = {
    name: caseName(c),
    classname: c.file,
    file: c.file,
    ...(c.location.line === undefined ? {} : { line: c.location.line }),
    time: round3((r?.metrics?.durationMs ?? 0) / 1000),
    properties: properties(c, r),
  };
  if (!r) return { ...tc, skipped: true };
  if (r.output !== undefined && r.output !== "") tc.output = clip(r.output, OUTPUT_CHARS);
  if (r.state === "skipped") tc.skipped = true;
  else if (r.state === "failed") tc.failure = failure(r);
  else if (r.state === "errored") {
    const e = r.error;
    const type = e?.classification ?? "processing_exception";
    const lines = [`${type}: ${e?.message ?? "errored without an error record"}`];
    if (e?.code) lines.push(`code: ${e.code}`);
    if (e?.stack) lines.push("", e.stack);
    if (r.reasons.length) lines.push("", ...r.reasons.map(reasonSummary));
    tc.error = { message: e?.message ?? "errored", type, text: lines.join("\n") };
  }
  if (flaky && (tc.failure || tc.error)) {
    tc.flaky = (tc.failure ?? tc.error) as NonNullable<JunitCase["flaky"]>;
    delete tc.failure;
    delete tc.error;
  }
  return tc;
}

/**
 * `<failure message="Correctness 2.33 < 3; Format 2.67 < 3" type="jury">` whose text names each failing
 * dimension with every judge's score and full rationale, each failing check, and the jury's rule.
 */
function failure(r: CaseResult): JunitCase["failure"] {
  const text: string[] = [];
  for (const reason of r.reasons) {
    text.push(reasonSummary(reason));
    if (reason.kind === "dimension")
      for (const j of reason.judges)
        text.push(`  ${j.judge} ${score(j.score)}${j.rationale ? `: ${j.rationale}` : ""}`);
  }
  if (r.jury) text.push("", juryLine(r.jury));
  const onlyChecks = r.reasons.every((x) => x.kind === "check");
  return {
    message: r.reasons.length ? r.reasons.map(reasonSummary).join("; ") : "failed",
    type: onlyChecks && r.reasons.length ? "check" : "jury",
    text: text.join("\n"),
  };
}

function juryLine(j: JuryResult): string {
  const abstained = j.verdicts.filter((v) => v.status === "abstained");
  return [
    `Jury: ${j.rule} ≥ ${j.threshold}, ${j.scored} of ${j.verdicts.length} judges scored (quorum ${j.quorum}), prompt ${j.promptVersion}`,
    ...abstained.map((v) => `  ${v.judge} abstained: ${v.status === "abstained" ? v.reason : ""}`),
  ].join("\n");
}

function properties(c: CaseRecord, r: CaseResult | undefined): [string, string][] {
  const out: [string, string][] = [
    ["case.id", c.id],
    ["eval", c.evalName],
    ["scenario", c.scenarioKey],
    ["model", c.model],
    ["task_type", c.taskType],
    ["variant", c.variant],
    ["temperature", String(c.temperature)],
    ["invocation", String(c.invocation)],
    ["experiment", String(c.experiment)],
  ];
  if (!r) return [...out, ["state", "not run"]];
  out.push(["state", r.state]);
  const j = r.jury;
  if (j) {
    out.push(["jury.rule", j.rule], ["jury.threshold", String(j.threshold)]);
    for (const d of j.dimensions) out.push([`jury.${d.key}`, score(d.score)]);
    out.push(["judges", j.verdicts.map((v) => v.judge).join(", ")]);
    for (const v of j.verdicts)
      out.push([`judge.${v.judge}`, v.status === "scored" ? "scored" : `abstained: ${v.reason}`]);
  }
  for (const check of r.checks) out.push([`check.${check.name}`, check.passed ? "passed" : "failed"]);
  const m = r.metrics;
  if (m) {
    if (m.ttftMs !== undefined) out.push(["ttft_ms", m.ttftMs.toFixed(1)]);
    if (m.ttlbMs !== undefined) out.push(["ttlb_ms", m.ttlbMs.toFixed(1)]);
    if (m.otps !== undefined) out.push(["otps", m.otps.toFixed(1)]);
    out.push(["input_tokens", String(m.inputTokens)], ["output_tokens", String(m.outputTokens)]);
    if (m.tokensEstimated) out.push(["tokens_estimated", "true"]);
    if (m.retries) out.push(["retries", String(m.retries)]);
    out.push(
      ["response_cost_usd", m.responseCost.toFixed(6)],
      ["judge_cost_usd", m.judgeCost.toFixed(6)],
      ["cost_usd", (m.responseCost + m.judgeCost).toFixed(6)],
    );
    if (m.simulated) out.push(["simulated", "true"]);
  }
  return out;
}

/** Serialises suites with junit-report-builder (a fresh builder per call; the package's global is shared). */
export function renderJunitXml(suites: readonly JunitSuite[], options: JunitOptions = {}): string {
  const builder = factory.newBuilder().name(text(options.name ?? "jury"));
  for (const s of suites) {
    const suite = builder.testSuite().name(text(s.name)).time(s.time);
    if (options.timestamp) suite.timestamp(text(options.timestamp));
    // The gate decides the exit code: CI dashboards see its verdict next to the cases.
    for (const [name, value] of options.properties ?? []) suite.property(text(name), text(value));
    for (const c of s.cases) {
      const tc = suite
        .testCase()
        .className(text(c.classname))
        .name(text(c.name))
        .file(text(c.file))
        .time(c.time);
      if (c.line !== undefined) setAttribute(tc, "line", String(c.line));
      for (const [name, value] of c.properties) tc.property(text(name), text(value));
      if (c.failure)
        tc.failure(text(c.failure.message), text(c.failure.type)).stacktrace(cdata(c.failure.text));
      if (c.error) tc.error(text(c.error.message), text(c.error.type), cdata(c.error.text));
      if (c.skipped) tc.skipped();
      if (c.flaky) addFlakyFailure(tc, c.flaky);
      if (c.output) tc.standardOutput(cdata(c.output));
    }
  }
  return builder
    .build()
    .replace(/\uE000([\uE001\uE002])/g, (_, m: string) => (m === "\uE001" ? "\uE000" : CDATA_SPLIT));
}

/** JUnit XML of a run: `renderJunitXml(junitSuites(cases, results))`. */
export interface JunitOptions {
  name?: string;
  timestamp?: string;
  /** Suite-level properties, e.g. the gate's verdict and reasons. */
  properties?: readonly [string, string][];
  /** Cases whose failure is a flaky trial: written as `<flakyFailure>`. */
  flakyIds?: ReadonlySet<string>;
}

/** The gate as suite properties: `gate` (passed/failed), then `gate.<check>` = reason with its verdict. */
export function gateProperties(gate: GateResult | undefined): [string, string][] {
  if (!gate) return [];
  return [
    ["gate", gate.passed ? "passed" : "failed"],
    ...gate.checks.map((c): [string, string] => [
      `gate.${c.name}`,
      `${c.passed ? "passed" : "failed"}: ${c.reason}`,
    ]),
  ];
}

export function buildJunitXml(
  cases: readonly CaseRecord[],
  results: readonly CaseResult[],
  options: JunitOptions = {},
): string {
  return renderJunitXml(junitSuites(cases, results, options.flakyIds), options);
}

/** Characters XML 1.0 cannot hold (control characters, lone surrogates, U+FFFE/U+FFFF). */
const INVALID_XML =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching the characters XML cannot hold is the point.
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Removes every character XML 1.0 cannot hold, keeping tabs, newlines and valid surrogate pairs. */
export function xmlSafe(s: string): string {
  return s.replace(INVALID_XML, "");
}

// The builder escapes `<`, `&` and quotes itself, but writes text as CDATA and its CDATA escaping splits only
// the first `]]>` (xmlbuilder 15 uses String#replace with a string). So every `]]>` goes in as a private-use
// placeholder that is swapped for a CDATA split in the finished document; a literal U+E000 in the input is
// doubled into U+E000 U+E001 first, so the swap cannot mistake user text for a placeholder.
const CDATA_SPLIT = "]]]]><![CDATA[>";
function text(s: string): string {
  return xmlSafe(s).replaceAll("\uE000", "\uE000\uE001");
}
function cdata(s: string): string {
  return text(s).replaceAll("]]>", "\uE000\uE002");
}

/** junit-report-builder has no `<flakyFailure>`: add it when the test case builds its element. */
function addFlakyFailure(tc: TestCase, f: NonNullable<JunitCase["flaky"]>): void {
  const node = tc as unknown as {
    build(parent: unknown): {
      ele(name: string, attrs: Record<string, string>): { cdata(t: string): unknown };
    };
  };
  const build = node.build.bind(node);
  node.build = (parent) => {
    const element = build(parent);
    element.ele("flakyFailure", { message: text(f.message), type: text(f.type) }).cdata(cdata(f.text));
    return element;
  };
}

/** junit-report-builder has no setter for `line`; its nodes keep their attributes in `_attributes`. */
function setAttribute(node: TestCase, name: string, value: string): void {
  const attributes = (node as unknown as { _attributes?: Record<string, string> })._attributes;
  if (attributes) attributes[name] = value;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function clip(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n)}\n… (${s.length - n} more characters)` : s;
}
