import { closeSync, existsSync, openSync, readFileSync, readSync, renameSync, rmSync } from "node:fs";
import { RunReadError } from "../errors.ts";
import type { CaseResult } from "../types.ts";
import { readLines } from "./line-reader.ts";
import { writeAll } from "./write-all.ts";

const CHUNK = 1 << 20;

/**
 * A report's `scenarios` may offer its entries through this method (a view over a plan, run-report.ts): the writer
 * then reads them one at a time instead of enumerating every key of the view at once.
 */
export const SCENARIO_ENTRIES = Symbol("jury.scenarioEntries");

type ScenarioEntries = () => Iterable<readonly [string, unknown]>;

/**
 * Writes a run's JSON (a RunReport, or the `run.json` of a run in progress) atomically (temp file + rename), in
 * memory that does not grow with the run: `scenarios`, `cases` and `results` are written one entry per line,
 * and with `resultsJsonl` the results are copied byte for byte from that file (outputs and rationales included)
 * instead of the report's own, which are then never read. No string of the whole report is built, and nothing
 * of it is decoded. A report without `results` (and no file) is written without them. When a write fails (a full
 * disk) the temp file is removed and `file` is left as it was: it is never seen truncated.
 */
export function writeRunReportFile(file: string, report: object, resultsJsonl?: string): void {
  const fields = report as Record<string, unknown>;
  // Every field but the lists, which are written one entry per line below.
  const head: Record<string, unknown> = {};
  for (const key of Object.keys(fields))
    if (key !== "results" && key !== "cases" && key !== "scenarios") head[key] = fields[key];
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, "w");
  let written = false;
  try {
    const out = new ChunkedWriter(fd);
    const headJson = JSON.stringify(head, null, 2); // "{\n  ...\n}"
    let fieldsWritten = headJson !== "{}";
    out.put(fieldsWritten ? headJson.slice(0, -2) : "{");
    /** A field whose value is written one element (or one entry) per line. */
    const list = (
      name: string,
      fill: (item: (json: string | Uint8Array) => void) => void,
      [open, close] = ["[", "]"],
    ) => {
      out.put(`${fieldsWritten ? "," : ""}\n  "${name}": ${open}`);
      fieldsWritten = true;
      let first = true;
      fill((json) => {
        out.put(first ? "\n    " : ",\n    ");
        out.put(json);
        first = false;
      });
      out.put(first ? close : `\n  ${close}`);
    };
    const scenarios = fields.scenarios;
    if (scenarios !== null && typeof scenarios === "object")
      list(
        "scenarios",
        (item) => {
          const entries = (scenarios as { [SCENARIO_ENTRIES]?: ScenarioEntries })[SCENARIO_ENTRIES];
          if (entries) {
            for (const [ref, text] of entries()) item(`${JSON.stringify(ref)}: ${JSON.stringify(text)}`);
            return;
          }
          // for…in, not Object.entries: a run of a million scenarios would build a million [ref, text] pairs.
          const texts = scenarios as Record<string, unknown>;
          for (const ref in texts)
            if (Object.hasOwn(texts, ref)) item(`${JSON.stringify(ref)}: ${JSON.stringify(texts[ref])}`);
        },
        ["{", "}"],
      );
    const cases = fields.cases;
    if (Array.isArray(cases))
      list("cases", (item) => {
        for (const c of cases) item(JSON.stringify(c));
      });
    if (resultsJsonl && existsSync(resultsJsonl))
      list("results", (item) =>
        forEachLineBytes(resultsJsonl, (line) => {
          // A line torn by a crash mid-write is not a result (and would break the JSON).
          if (line[0] === 0x7b && line[line.length - 1] === 0x7d) item(line);
        }),
      );
    else if (Object.hasOwn(fields, "results"))
      list("results", (item) => {
        for (const r of fields.results as CaseResult[]) item(JSON.stringify(r));
      });
    out.put("\n}\n");
    out.flush();
    written = true;
  } finally {
    closeSync(fd);
    if (!written) rmSync(tmp, { force: true });
  }
  renameSync(tmp, file);
}

/** Writes through one reused 1 MB buffer: a write per line costs more than the JSON, a string per chunk is garbage. */
export class ChunkedWriter {
  private readonly buf = Buffer.allocUnsafe(CHUNK);
  private used = 0;

  constructor(private readonly fd: number) {}

  put(data: string | Uint8Array): void {
    const n = typeof data === "string" ? Buffer.byteLength(data) : data.length;
    if (this.used + n > CHUNK) this.flush();
    if (n > CHUNK) writeAll(this.fd, data);
    else if (typeof data === "string") this.used += this.buf.write(data, this.used);
    else {
      this.buf.set(data, this.used);
      this.used += n;
    }
  }

  flush(): void {
    if (this.used) writeAll(this.fd, this.buf, 0, this.used);
    this.used = 0;
  }
}

/**
 * Calls `fn` with the bytes of each non-empty line of a file (a view valid only during the call) and its byte
 * offset, reading 1 MB at a time (lines are split on the byte 0x0a).
 */
export function forEachLineBytes(file: string, fn: (line: Buffer, offset: number) => void): void {
  for (const { line, offset } of readLines(file)) fn(line, offset);
}

/** Where a result's line is in its `results.jsonl`. */
export interface LineAt {
  offset: number;
  length: number;
}

/**
 * Calls `fn` with each result of a `results.jsonl` and where its line is, to read it again later with
 * `readResultAt` instead of keeping it (a case's later line comes later). A torn or mangled line is skipped,
 * after a call to `onBadLine`.
 */
export function scanResults(
  file: string,
  fn: (result: CaseResult, at: LineAt) => void,
  onBadLine: () => void = () => {},
): void {
  forEachLineBytes(file, (line, offset) => {
    let r: CaseResult;
    try {
      r = JSON.parse(line.toString("utf8")) as CaseResult;
    } catch {
      onBadLine();
      return;
    }
    fn(r, { offset, length: line.length });
  });
}

/** The result whose line `scanResults` found at `at`, read from the open file `fd`. */
export function readResultAt(fd: number, at: LineAt): CaseResult {
  const buf = Buffer.allocUnsafe(at.length);
  readSync(fd, buf, 0, at.length, at.offset);
  return JSON.parse(buf.toString("utf8")) as CaseResult;
}

/**
 * The results of a `results.jsonl`, one per case (its last line wins), in the order cases first appear, read a
 * line at a time. A torn or mangled line is skipped (after a call to `onBadLine`); the file is never changed.
 */
export function readResultsFile(file: string, onBadLine?: () => void): CaseResult[] {
  const byId = new Map<string, CaseResult>();
  if (existsSync(file)) scanResults(file, (r) => byId.set(r.caseId, r), onBadLine);
  return [...byId.values()];
}

/**
 * A run's JSON (its `run.json`, or a JSON report) as an object. A file that is missing, unreadable, cut short (a
 * crash or a full disk while it was written) or not a JSON object is a `RunReadError` naming the file: exit 2,
 * never a parser's stack trace.
 */
export function readRunJson(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new RunReadError(
      `${file}: ${code === "ENOENT" ? "not found" : `cannot read it (${(err as Error).message})`}`,
      { hint: PASS_A_RUN, cause: err },
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const cause = (err as Error).message.split("\n")[0];
    const cut = !text.trimEnd().endsWith("}");
    throw new RunReadError(
      cut
        ? `${file}: cut short after ${Buffer.byteLength(text)} bytes (${cause})`
        : `${file}: not valid JSON (${cause})`,
      {
        hint: cut
          ? "A crash or a full disk stopped its writing; the run cannot be read back: start a new run, or pass another one."
          : PASS_A_RUN,
        cause: err,
      },
    );
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new RunReadError(
      `${file}: not a run's JSON (got ${Array.isArray(value) ? "an array" : JSON.stringify(value)})`,
      PASS_A_RUN,
    );
  return value as Record<string, unknown>;
}

const PASS_A_RUN = "Pass a run directory (outputs/runs/<runId>), its run.json, or a JSON report.";
