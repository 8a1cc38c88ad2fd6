import { closeSync, existsSync, openSync, readSync, renameSync, writeSync } from "node:fs";
import { join } from "node:path";
import type { CaseResult, RunReport } from "../types.ts";

const CHUNK = 1 << 20;

/**
 * Writes a RunReport as JSON with its `results` streamed line by line from a `results.jsonl` (the full results,
 * outputs and rationales included) instead of the report's own: memory stays flat whatever the run's size, and
 * no string of the whole report is ever built. Atomic (temp file + rename). Without the file, the report's own
 * results are written.
 */
export function writeRunReportFile(file: string, report: RunReport, resultsJsonl?: string): void {
  const { results, ...head } = report;
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, "w");
  try {
    // Written in chunks of about 1 MB: one write per result costs more than the JSON itself.
    let pending: string[] = [];
    let size = 0;
    const flush = () => {
      if (pending.length) writeSync(fd, pending.join(""));
      pending = [];
      size = 0;
    };
    const put = (text: string) => {
      pending.push(text);
      size += text.length;
      if (size >= CHUNK) flush();
    };
    const headJson = JSON.stringify(head, null, 2); // "{\n  ...\n}"
    put(`${headJson.slice(0, -2)},\n  "results": [`);
    let first = true;
    const line = (text: string) => {
      put(`${first ? "\n" : ",\n"}    ${text}`);
      first = false;
    };
    if (resultsJsonl && existsSync(resultsJsonl)) forEachLine(resultsJsonl, line);
    else for (const r of results as CaseResult[]) line(JSON.stringify(r));
    put(`${first ? "" : "\n  "}]\n}\n`);
    flush();
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

/** Calls `fn` with each non-empty line of a file, reading 1 MB at a time (lines are split on the byte 0x0a). */
export function forEachLine(file: string, fn: (line: string) => void): void {
  const fd = openSync(file, "r");
  const buf = Buffer.allocUnsafe(CHUNK);
  let carry: Buffer = Buffer.alloc(0);
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK, null);
      if (n === 0) break;
      let data = carry.length ? Buffer.concat([carry, buf.subarray(0, n)]) : buf.subarray(0, n);
      let start = 0;
      for (let nl = data.indexOf(0x0a, start); nl !== -1; nl = data.indexOf(0x0a, start)) {
        if (nl > start) fn(data.toString("utf8", start, nl));
        start = nl + 1;
      }
      data = data.subarray(start);
      carry = Buffer.from(data);
    }
    if (carry.length) fn(carry.toString("utf8"));
  } finally {
    closeSync(fd);
  }
}

/**
 * What a run keeps in memory of a result once it is on disk: everything summaries, gates and console reporters
 * read, without the model's output and the judges' rationales and raw replies (they stay in `results.jsonl`,
 * `run.json` and the JSON report). Short strings repeated from result to result (states, dimension keys and
 * names, judges) go through `intern`, so 100,000 results share one copy of each.
 */
export function slimResult(r: CaseResult, intern: (s: string) => string = (s) => s): CaseResult {
  const { output: _output, ...rest } = r;
  const slim: CaseResult = { ...rest, state: intern(rest.state) as CaseResult["state"] };
  if (rest.metrics?.finishReason)
    slim.metrics = { ...rest.metrics, finishReason: intern(rest.metrics.finishReason) };
  if (!rest.jury) return slim;
  const jury = rest.jury;
  slim.jury = {
    ...jury,
    promptVersion: intern(jury.promptVersion),
    dimensions: jury.dimensions.map((d) => ({ ...d, key: intern(d.key), name: intern(d.name) })),
    verdicts: jury.verdicts.map((v) => {
      if (v.status === "scored") {
        const scores: Record<string, number> = {};
        for (const [k, x] of Object.entries(v.scores)) scores[intern(k)] = x;
        return { ...v, judge: intern(v.judge), scores, rationales: {} };
      }
      const { raw: _raw, ...abstained } = v;
      return { ...abstained, judge: intern(v.judge) };
    }),
  };
  return slim;
}

/** A string interner: equal strings come back as one instance. For one run's short, repeated strings. */
export function createInterner(): (s: string) => string {
  const seen = new Map<string, string>();
  return (s) => {
    const hit = seen.get(s);
    if (hit !== undefined) return hit;
    seen.set(s, s);
    return s;
  };
}

/**
 * The report with each result in full (outputs, rationales), read back from the run's `results.jsonl`: for the
 * reporters that render every row (HTML, JUnit). Results missing from the file stay as they are.
 */
export function withFullResults(report: RunReport, runDir: string | undefined): RunReport {
  const file = runDir ? join(runDir, "results.jsonl") : undefined;
  if (!file || !existsSync(file)) return report;
  const wanted = new Set(report.results.map((r) => r.caseId));
  const full = new Map<string, CaseResult>();
  forEachLine(file, (line) => {
    try {
      const r = JSON.parse(line) as CaseResult;
      if (wanted.has(r.caseId)) full.set(r.caseId, r);
    } catch {
      // a torn last line: that case keeps its in-memory result
    }
  });
  return { ...report, results: report.results.map((r) => full.get(r.caseId) ?? r) };
}
