import { readFileSync } from "node:fs";
import { stripVTControlCharacters } from "node:util";
import { afterEach, describe, expect, it, vi } from "vitest";
import { DefaultReporter } from "../../../reporters/default.ts";
import type { ReporterContext } from "../../../src/reporter.ts";
import {
  caseRecord,
  configSnapshot,
  errored,
  judged,
  mockProfile,
  passed,
  runReport,
  scored,
  skipped,
} from "../../support/records.ts";

const VERSION = (
  JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as {
    version: string;
  }
).version;
const LONG =
  "The summary says revenue grew 21% while the source says 12%; it also omits the guidance cut that the task asked for explicitly.";

/** What a raw write shows once the terminal has handled `\r` and the escape codes. */
const shown = (w: string) => stripVTControlCharacters(w).replace(/^\r/, "");

/** A reporter context that records what the reporter prints, with colours stripped. */
function fakeCtx(tty = false) {
  const lines: string[] = [];
  const writes: string[] = [];
  const ctx: ReporterContext = {
    root: "/work/project",
    runId: "2025-06-01T12-00-00-abc123",
    runDir: "/work/project/outputs/runs/2025-06-01T12-00-00-abc123",
    outputDir: "/work/project/outputs",
    log: (text) => lines.push(stripVTControlCharacters(text)),
    write: (text) => writes.push(text),
    isTTY: tty,
    isCI: !tty,
  };
  return { ctx, lines, writes };
}

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
});
const d = caseRecord({ id: "d", file: "evals/sql.eval.jsonl", evalName: "sql", scenarioKey: "legacy" });
const cases = [a, b, c, d];
const ra = passed(a, { metrics: { durationMs: 812 } });
const rb = judged(
  b,
  [
    scored("mock/judge-a", { correctness: 2, format: 2 }, { rationales: { correctness: LONG } }),
    scored("mock/judge-b", { correctness: 3, format: 3 }, { rationales: { correctness: "Mostly right." } }),
    scored("mock/judge-c", { correctness: 2, format: 3 }, { rationales: { correctness: "Wrong figure." } }),
  ],
  {
    metrics: { ttftMs: 1400, durationMs: 2100 },
    checks: [{ name: 'contains("refund")', passed: false, message: 'output does not contain "refund"' }],
  },
);
const rc = errored(c);
const rd = skipped(d);

describe("DefaultReporter in CI", () => {
  it("prints a header that says the models are simulated", () => {
    const { ctx, lines } = fakeCtx();
    const r = new DefaultReporter();
    r.onInit(ctx);
    r.onRunStart(cases, configSnapshot(["mock/perfect", "mock/sloppy"]));
    expect(lines).toEqual([
      "",
      ` RUN  jury v${VERSION} /work/project`,
      "",
      " 4 cases · 2 eval files · 2 models · 3 judges · jury mean ≥ 3",
      " simulated: mock/ models and judges — no real LLM is called",
      "",
    ]);
  });

  it("names the simulated judges when the models are real", () => {
    const { ctx, lines } = fakeCtx();
    const config = configSnapshot([], ["mock/judge-a"]);
    config.models = [{ ...mockProfile("bedrock/us.amazon.nova-pro-v1:0@us-west-2"), provider: "bedrock" }];
    const r = new DefaultReporter();
    r.onInit(ctx);
    r.onRunStart([caseRecord({ model: "bedrock/us.amazon.nova-pro-v1:0@us-west-2" })], config);
    expect(lines).toContain(" simulated: mock/ judges mock/judge-a give simulated scores");
    expect(lines).toContain(" 1 case · 1 eval file · 1 model · 1 judge · jury mean ≥ 3");
  });

  it("prints one line per eval file as it ends, naming its failed cases, and never writes raw text", () => {
    const { ctx, lines, writes } = fakeCtx();
    const r = new DefaultReporter();
    r.onInit(ctx);
    r.onRunStart(cases, configSnapshot(["mock/perfect", "mock/sloppy"]));
    lines.length = 0;
    for (const rec of cases) r.onCaseStart(rec);
    r.onCaseResult(rd, d);
    r.onCaseResult(ra, a);
    r.onCaseResult(rb, b);
    r.onEvalEnd("evals/summaries.eval.jsonl", { total: 2, passed: 1, failed: 1, errored: 0, skipped: 0 });
    r.onCaseResult(rc, c);
    r.onEvalEnd("evals/sql.eval.jsonl", { total: 2, passed: 0, failed: 0, errored: 1, skipped: 1 });
    expect(lines.map((l) => l.replace(/\d+ms$/, "<time>"))).toEqual([
      " ✗ evals/summaries.eval.jsonl (2 cases | 1 failed) <time>",
      "   ✗ summaries › L4 › mock/sloppy [t=0.7, #1]",
      " ✗ evals/sql.eval.jsonl (2 cases | 1 errored | 1 skipped) <time>",
      "   ! sql › orders › mock/sloppy [t=0.525, #2, exp 2]",
    ]);
    expect(writes).toEqual([]);
  });

  it("names the first 10 failed cases of a file under its line, then how many more", () => {
    const { ctx, lines } = fakeCtx();
    const many = Array.from({ length: 10_000 }, (_, i) => caseRecord({ id: `m${i}`, scenarioKey: `L${i}` }));
    const r = new DefaultReporter();
    r.onInit(ctx);
    r.onRunStart(many, configSnapshot());
    lines.length = 0;
    for (const [i, rec] of many.entries()) r.onCaseResult(i % 100 === 7 ? errored(rec) : passed(rec), rec);
    r.onEvalEnd(a.file, { total: 10_000, passed: 9_900, failed: 0, errored: 100, skipped: 0 });
    expect(lines).toHaveLength(12);
    expect(lines[0]).toBe(" ✗ evals/summaries.eval.jsonl (10000 cases | 100 errored)");
    expect(lines[1]).toBe("   ! summaries › L7 › mock/perfect [t=0.7, #1]");
    expect(lines[11]).toBe("   … and 90 more");
  });

  it("ends with the failed cases, every judge's score, one rationale per judge, and the summary", () => {
    const { ctx, lines } = fakeCtx();
    const r = new DefaultReporter();
    r.onInit(ctx);
    r.onCaseResult(rb, b);
    r.onCaseResult(rc, c);
    lines.length = 0;
    r.onRunEnd(runReport(cases, [rd, ra, rb, rc]));
    expect(lines).toEqual([
      "",
      " Failed cases (2)",
      "",
      " ✗ evals/summaries.eval.jsonl › summaries › L4 › mock/sloppy [t=0.7, #1]",
      '     check contains("refund"): output does not contain "refund"',
      "     Correctness 2.33 < 3  (mock/judge-a 2, mock/judge-b 3, mock/judge-c 2)",
      "     Format 2.67 < 3  (mock/judge-a 2, mock/judge-b 3, mock/judge-c 3)",
      `     mock/judge-a on Correctness: "${LONG}"`,
      '     mock/judge-b on Correctness: "Mostly right."',
      '     mock/judge-c on Correctness: "Wrong figure."',
      "",
      " ! evals/sql.eval.jsonl › sql › orders › mock/sloppy [t=0.525, #2, exp 2]",
      "     api_failure: ThrottlingException: Rate exceeded (after 3 retries)",
      "",
      "       Cases  1 passed | 1 failed | 1 errored | 1 skipped (4)",
      "   Pass rate  33.3% (95% CI 6.1–79.2%)",
      "   Mean jury  4.58 (95% CI 4.17–5.00)",
      "   Agreement  α correctness 0.88 · format 0.88 · 4 more with every score equal (contested 0.0%)",
      "  Judge bias  mock/judge-a −0.08 · mock/judge-b +0.08 · mock/judge-c 0.00",
      "        Cost  $0.0024 (responses $0.0006, judges $0.0018) · $0.0008 per case (95% CI $0.0000–$0.0012) (simulated)",
      "        TTFT  p50 1.1s · p95 1.4s (n=2: too few for CIs) (simulated)",
      "        OTPS  p50 93.0 tok/s (n=2: too few for a CI) (simulated)",
      "    Duration  12.3s",
      "        Gate  ✗ failed 2 of 3 cases did not pass (every case must pass; set --min-pass-rate to allow some)",
      " Unprocessed  1 (1 api_failure) → unprocessed.jsonl",
      "     Results  outputs/runs/2025-06-01T12-00-00-abc123",
      "",
    ]);
  });

  it("cuts a long rationale and says where the whole text is", () => {
    const { ctx, lines } = fakeCtx();
    const r = new DefaultReporter();
    r.onInit(ctx);
    const essay = LONG.repeat(4);
    const result = judged(a, [
      scored(
        "mock/judge-a",
        { correctness: 1, format: 1 },
        { rationales: { correctness: essay, format: essay } },
      ),
    ]);
    r.onCaseResult(result, a);
    lines.length = 0;
    r.onRunEnd(runReport([a], [result]));
    const shown = lines.slice(0, lines.indexOf("", 3) + 3);
    expect(shown).toEqual([
      "",
      " Failed cases (1)",
      "",
      " ✗ evals/summaries.eval.jsonl › summaries › L3 › mock/perfect [t=0.7, #1]",
      "     Correctness 1 < 3  (mock/judge-a 1)",
      "     Format 1 < 3  (mock/judge-a 1)",
      `     mock/judge-a on Correctness: "${essay.slice(0, 159)}…"`,
      "",
      " Rationales are cut to 160 characters here: outputs/runs/2025-06-01T12-00-00-abc123/results.jsonl has them whole (reasons[].judges[].rationale), as do the JSON and HTML reports",
      "",
    ]);
  });

  it("lists the first 1,000 failed cases as they came and points to the run dir for the rest", () => {
    const { ctx, lines } = fakeCtx();
    const r = new DefaultReporter();
    r.onInit(ctx);
    const many = Array.from({ length: 1003 }, (_, i) => caseRecord({ id: `f${i}`, scenarioKey: `L${i}` }));
    const results = many.map((rec) => errored(rec));
    for (const [i, rec] of many.entries()) r.onCaseResult(results[i] as (typeof results)[number], rec);
    lines.length = 0;
    r.onRunEnd(runReport(many, results));
    expect(lines).toContain(" Failed cases (1003)");
    expect(lines.filter((l) => l.startsWith(" ! evals/"))).toHaveLength(1000);
    expect(lines.find((l) => l.startsWith(" ! evals/"))).toContain("› L0 ›");
    expect(lines).toContain(
      " … and 3 more: outputs/runs/2025-06-01T12-00-00-abc123/results.jsonl has them all",
    );
  });

  it("says when a run was interrupted and counts the cases that never ran", () => {
    const { ctx, lines } = fakeCtx();
    const r = new DefaultReporter();
    r.onInit(ctx);
    r.onRunEnd(runReport([a, b, c], [ra], { status: "interrupted", simulated: false, durationMs: 125_000 }));
    expect(lines).toContain("     Cases  1 passed | 2 not run (3)");
    expect(lines).toContain("  Duration  2m 05s (interrupted)");
    expect(lines).toContain("      TTFT  p50 812ms · p95 812ms (n=1: too few for CIs)");
    expect(lines).toContain(" Pass rate  100.0% (95% CI 20.7–100.0%)");
  });
});

describe("DefaultReporter's intervals (issue 16)", () => {
  it("gives TTFT p50/p95, OTPS and cost per case their 95% intervals when the sample allows", () => {
    const recs = Array.from({ length: 100 }, (_, i) => caseRecord({ id: `t${i}`, scenarioKey: `L${i}` }));
    const res = recs.map((rec, i) =>
      passed(rec, { metrics: { ttftMs: 10 * (i + 1), otps: i + 1, responseCost: 0.001, judgeCost: 0 } }),
    );
    const { ctx, lines } = fakeCtx();
    const r = new DefaultReporter();
    r.onInit(ctx);
    r.onRunEnd(runReport(recs, res, { simulated: false }));
    // Order statistics 40 and 61 (p50), 90 and 100 (p95) of 100 values.
    expect(lines).toContain("      TTFT  p50 505ms (95% CI 400ms–610ms) · p95 951ms (95% CI 900ms–1.0s)");
    expect(lines).toContain("      OTPS  p50 50.5 tok/s (95% CI 40.0–61.0)");
    expect(lines).toContain(
      "      Cost  $0.1000 (responses $0.1000, judges $0.0000) · $0.0010 per case (95% CI $0.0010–$0.0010)",
    );
  });
});

describe("DefaultReporter's agreement rows", () => {
  const summaryLines = (report: ReturnType<typeof runReport>) => {
    const { ctx, lines } = fakeCtx();
    const r = new DefaultReporter();
    r.onInit(ctx);
    r.onRunEnd(report);
    return lines;
  };

  it("wraps alphas of many dimensions onto a second row and shows a judge's bias on its own family", () => {
    const recs = [1, 2, 3].map((i) => caseRecord({ id: `v${i}`, scenarioKey: `L${i}` }));
    const res = recs.map((rec, i) =>
      judged(
        rec,
        [
          scored("mock/judge-a", {}, { fill: 1 + i, sameFamily: true }),
          scored("mock/judge-b", {}, { fill: 2 + i }),
          scored("mock/judge-c", {}, { fill: 3 + i }),
        ],
        { threshold: 1 },
      ),
    );
    const lines = summaryLines(runReport(recs, res));
    const at = lines.findIndex((l) => l.includes("Agreement"));
    expect(lines.slice(at, at + 3)).toEqual([
      "  Agreement  α correctness 0.33 · completeness 0.33 · relevance 0.33 · format 0.33 · coherence 0.33",
      "             following_instructions 0.33 (contested 100.0%)",
      " Judge bias  mock/judge-a −1.00 (own family −1.00) · mock/judge-b 0.00 · mock/judge-c +1.00",
    ]);
    expect(lines).toContain("  Mean jury  3.00 (95% CI 2.00–4.00)");
  });

  it("says the judges were unanimous when every score was the same, and nothing without two judges", () => {
    expect(summaryLines(runReport([a], [ra]))).toContain(
      " Agreement  unanimous: every judge gave the same score everywhere",
    );
    const alone = judged(a, [scored("mock/judge-a", { correctness: 2 })]);
    expect(summaryLines(runReport([a], [alone])).some((l) => /Agreement|Judge bias/.test(l))).toBe(false);
  });
});

describe("DefaultReporter on a TTY", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("rewrites one live line at most 10 times a second", () => {
    vi.useFakeTimers({ now: 0 });
    const { ctx, lines, writes } = fakeCtx(true);
    const big = Array.from({ length: 60 }, (_, i) => caseRecord({ id: `big${i}`, scenarioKey: `L${i + 1}` }));
    const r = new DefaultReporter();
    r.onInit(ctx);
    r.onRunStart([...big, a], configSnapshot());
    lines.length = 0;
    for (const rec of big) r.onCaseStart(rec);
    for (const rec of big.slice(0, 30)) r.onCaseResult(passed(rec), rec);
    // The first event drew at once; everything since waits for the next tick of the 100 ms interval.
    expect(writes.map(shown)).toEqual([" ❯ 0/61 cases · 0 passed · 1 running · 0ms"]);
    expect(writes[0]?.startsWith("\r\x1b[2K")).toBe(true);
    vi.advanceTimersByTime(100);
    expect(writes.map(shown).at(-1)).toBe(" ❯ 30/61 cases · 30 passed · 30 running · 100ms");
    expect(writes).toHaveLength(2);
    // A file of more than 50 cases gets one line when it ends, not one per case.
    expect(lines).toEqual([]);
  });

  it("prints per-file lines for large files and per-case lines for small ones, clearing the live line first", () => {
    vi.useFakeTimers({ now: 0 });
    const { ctx, lines, writes } = fakeCtx(true);
    const big = Array.from({ length: 51 }, (_, i) =>
      caseRecord({ id: `big${i}`, file: "evals/big.eval.jsonl", scenarioKey: `L${i + 1}` }),
    );
    const r = new DefaultReporter();
    r.onInit(ctx);
    r.onRunStart([...big, a], configSnapshot());
    lines.length = 0;
    for (const rec of big) {
      r.onCaseStart(rec);
      vi.advanceTimersByTime(10);
      r.onCaseResult(rec.id === "big7" ? rb : passed(rec), rec);
    }
    r.onEvalEnd("evals/big.eval.jsonl", { total: 51, passed: 50, failed: 1, errored: 0, skipped: 0 });
    r.onCaseResult(ra, a);
    expect(lines).toEqual([
      " ✗ evals/big.eval.jsonl (51 cases | 1 failed) 510ms",
      "   ✗ summaries › L8 › mock/perfect [t=0.7, #1]",
      " ✓ evals/summaries.eval.jsonl › summaries › L3 › mock/perfect [t=0.7, #1] 812ms",
    ]);
    expect(writes.map(shown)).toEqual([
      " ❯ 0/52 cases · 0 passed · 1 running · 0ms",
      " ❯ 9/52 cases · 8 passed · 1 failed · 1 running · 100ms",
      " ❯ 19/52 cases · 18 passed · 1 failed · 1 running · 200ms",
      " ❯ 29/52 cases · 28 passed · 1 failed · 1 running · 300ms",
      " ❯ 39/52 cases · 38 passed · 1 failed · 1 running · 400ms",
      " ❯ 49/52 cases · 48 passed · 1 failed · 1 running · 500ms",
      "", // cleared before the file's line
    ]);
    // The run's end cancels the pending redraw: nothing is drawn over the summary.
    r.onRunEnd(runReport([...big, a], []));
    vi.advanceTimersByTime(1000);
    expect(writes).toHaveLength(7);
  });
});
