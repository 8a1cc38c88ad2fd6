import {
  closeSync,
  existsSync,
  fstatSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import type { CaseRecord, CaseResult, CaseState } from "../types.ts";
import { readLines } from "./line-reader.ts";
import type { LineAt } from "./report-file.ts";
import { writeJsonAtomic } from "./run-dir.ts";
import { writeAll } from "./write-all.ts";

/** The index of a run dir's `results.jsonl`, next to it. */
export const RESULTS_INDEX = "results.idx";

/** What a case's table row shows of its result: what the dashboard filters and sorts on. */
export interface ResultFacts {
  state: CaseState;
  /** The mean of the jury's dimension scores; absent when nothing was scored. */
  score?: number;
  ttftMs?: number;
  /** Response and judge cost. */
  cost: number;
  /** Why it failed or errored: the error's message, or the failed dimensions, checks and messages. */
  reason: string;
  /** Answered by a provider batch engine: no latency measured (shown "n/a (batch)"). */
  batched?: true;
}

/**
 * One line of `results.idx`, flat (a 100,000-case index parses in a quarter of the time an object per line takes):
 * where the result's line is in `results.jsonl`, its case, and its `ResultFacts` (null for what is absent).
 */
export type IndexEntry = [
  offset: number,
  length: number,
  id: string,
  file: string,
  evalName: string,
  scenarioKey: string,
  model: string,
  variant: CaseRecord["variant"],
  temperature: number,
  invocation: number,
  experiment: number,
  taskType: string,
  line: number | null,
  state: CaseState,
  score: number | null,
  ttftMs: number | null,
  cost: number,
  reason: string,
  /** 1 when batched; absent in indexes written before batch inference. */
  batched?: 1,
];

/** Where an entry's result is in `results.jsonl`. */
export function entryAt(e: IndexEntry): LineAt {
  return { offset: e[0], length: e[1] };
}

/** An entry's case. */
export function entryRecord(e: IndexEntry): CaseRecord {
  return {
    id: e[2],
    file: e[3],
    evalName: e[4],
    scenarioKey: e[5],
    model: e[6],
    variant: e[7],
    temperature: e[8],
    invocation: e[9],
    experiment: e[10],
    taskType: e[11],
    location: e[12] === null ? {} : { line: e[12] },
  };
}

/** What an entry's row shows of its result. */
export function entryFacts(e: IndexEntry): ResultFacts {
  return {
    state: e[13],
    ...(e[14] !== null ? { score: e[14] } : {}),
    ...(e[15] !== null ? { ttftMs: e[15] } : {}),
    cost: e[16],
    reason: e[17],
    ...(e[18] === 1 ? { batched: true as const } : {}),
  };
}

function entryOf(at: LineAt, r: CaseRecord, f: ResultFacts): IndexEntry {
  const entry: IndexEntry = [
    at.offset,
    at.length,
    r.id,
    r.file,
    r.evalName,
    r.scenarioKey,
    r.model,
    r.variant,
    r.temperature,
    r.invocation,
    r.experiment,
    r.taskType,
    r.location?.line ?? null,
    f.state,
    f.score ?? null,
    f.ttftMs ?? null,
    f.cost,
    f.reason,
  ];
  if (f.batched) entry.push(1);
  return entry;
}

/** The facts of a result its case's row shows (pure). */
export function resultFacts(result: CaseResult): ResultFacts {
  const dims = result.jury?.dimensions ?? [];
  const score = dims.length ? dims.reduce((a, d) => a + d.score, 0) / dims.length : undefined;
  const m = result.metrics;
  const reason =
    result.state === "errored"
      ? (result.error?.message ?? "errored")
      : (result.reasons ?? [])
          .map((r) => (r.kind === "dimension" ? r.name : r.kind === "check" ? r.check : r.message))
          .join(", ");
  return {
    state: result.state,
    ...(score !== undefined ? { score } : {}),
    ...(m?.ttftMs !== undefined ? { ttftMs: m.ttftMs } : {}),
    cost: (m?.responseCost ?? 0) + (m?.judgeCost ?? 0),
    reason,
    ...(m?.batched ? { batched: true as const } : {}),
  };
}

const indexLine = (e: IndexEntry) => `${JSON.stringify(e)}\n`;

function isEntry(e: unknown): e is IndexEntry {
  return Array.isArray(e) && e.length === 18 && typeof e[0] === "number" && typeof e[1] === "number";
}

function parseIndexLine(line: string): IndexEntry | undefined {
  try {
    const e = JSON.parse(line) as unknown;
    return isEntry(e) ? e : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The entries of an index file's text, in one parse of the whole (much faster than one per line), up to its last
 * whole line; line by line, up to the first that does not parse, when that fails.
 */
function parseIndex(text: string): IndexEntry[] {
  const whole = text.slice(0, text.lastIndexOf("\n") + 1);
  try {
    const all = JSON.parse(`[${whole.slice(0, -1).replaceAll("\n", ",")}]`) as unknown[];
    if (all.every(isEntry)) return all;
  } catch {
    // a mangled line: keep the lines before it
  }
  const out: IndexEntry[] = [];
  for (const line of whole.split("\n")) {
    const e = parseIndexLine(line);
    if (!e) break;
    out.push(e);
  }
  return out;
}

/**
 * Writes `results.idx` as results are appended to `results.jsonl`: a line per result, after the result's line is
 * on disk. The index is a cache: a crash between the two lines leaves it one short, which its reader makes up from
 * `results.jsonl`; a failed write (a full disk) removes it rather than failing the run. Opened on a `results.jsonl`
 * the index does not end with (a run resumed after such a crash, or from before indexes), it is removed and not
 * written: the dashboard rebuilds it once.
 */
export class ResultsIndexWriter {
  private fd: number | undefined;
  private readonly path: string;
  /** What the index holds, for `results.idx.json` at the end; undefined when not known (a resumed run's stale one). */
  private summary: IndexSummary | undefined;

  constructor(runDir: string, resultsSize: number) {
    this.path = join(runDir, RESULTS_INDEX);
    try {
      if (resultsSize > 0 && indexEnd(this.path) !== resultsSize) {
        rmSync(this.path, { force: true });
        rmSync(`${this.path}.json`, { force: true });
        return;
      }
      this.summary = resultsSize === 0 ? emptySummary() : readIndexSummary(this.path);
      rmSync(`${this.path}.json`, { force: true }); // stale from now on, until close() writes it again
      this.fd = openSync(this.path, "a");
    } catch {
      this.fd = undefined;
    }
  }

  /** Indexes the result whose line `results.jsonl` holds at `at`. */
  add(at: LineAt, result: CaseResult, record: CaseRecord): void {
    this.addAll([{ at, result, record }]);
  }

  /** Indexes results appended together, in one write. */
  addAll(items: readonly { at: LineAt; result: CaseResult; record: CaseRecord }[]): void {
    if (this.fd === undefined) return;
    try {
      const entries = items.map((i) => entryOf(i.at, i.record, resultFacts(i.result)));
      writeAll(this.fd, Buffer.from(entries.map(indexLine).join("")));
      if (this.summary) for (const entry of entries) addToSummary(this.summary, entry);
    } catch {
      this.summary = undefined;
      this.close();
      rmSync(this.path, { force: true });
    }
  }

  /** Closes the index, and writes `results.idx.json` (its line count and facets) for the size it has now. */
  close(): void {
    if (this.fd === undefined) return;
    try {
      const bytes = fstatSync(this.fd).size;
      if (this.summary) writeJsonAtomic(`${this.path}.json`, { ...this.summary, bytes });
    } catch {
      // the summary is a shortcut: without it the dashboard reads the index whole
    } finally {
      closeSync(this.fd);
      this.fd = undefined;
    }
  }
}

/**
 * `results.idx.json`, written when a run's index is closed: how many lines the index had (`bytes` long) and every
 * value its rows take in the columns the dashboard filters on — the first page of a finished run is served from the
 * index's first lines and this, before the index is read whole.
 */
export interface IndexSummary {
  bytes: number;
  lines: number;
  states: CaseState[];
  /** Model and prompt variant of the cases (what the dashboard labels a model by). */
  models: { model: string; variant: CaseRecord["variant"] }[];
  taskTypes: string[];
  evals: string[];
  invocations: number[];
  experiments: number[];
}

function emptySummary(): IndexSummary {
  return {
    bytes: 0,
    lines: 0,
    states: [],
    models: [],
    taskTypes: [],
    evals: [],
    invocations: [],
    experiments: [],
  };
}

function addToSummary(s: IndexSummary, e: IndexEntry): void {
  s.lines++;
  const add = <T>(list: T[], v: T) => {
    if (!list.includes(v)) list.push(v);
  };
  add(s.states, e[13]);
  if (!s.models.some((m) => m.model === e[6] && m.variant === e[7]))
    s.models.push({ model: e[6], variant: e[7] });
  add(s.taskTypes, e[11]);
  add(s.evals, e[4]);
  add(s.invocations, e[9]);
  add(s.experiments, e[10]);
}

/** The `results.idx.json` of an index, when it describes the index as it is (undefined otherwise). */
export function readIndexSummary(indexFile: string): IndexSummary | undefined {
  try {
    const s = JSON.parse(readFileSync(`${indexFile}.json`, "utf8")) as IndexSummary;
    return s.bytes === statSync(indexFile).size && Array.isArray(s.models) ? s : undefined;
  } catch {
    return undefined;
  }
}

/** The first `n` entries of an index (its first lines only are read). */
export function firstEntries(indexFile: string, n: number): IndexEntry[] {
  const out: IndexEntry[] = [];
  if (n <= 0) return out;
  for (const { line } of readLines(indexFile)) {
    const e = parseIndexLine(line.toString("utf8"));
    if (!e) break;
    out.push(e);
    if (out.length >= n) break;
  }
  return out;
}

/** Whether an index ends where `results.jsonl` does: every result is indexed. */
export function indexIsComplete(runDir: string): boolean {
  const results = join(runDir, "results.jsonl");
  return existsSync(results) && indexEnd(join(runDir, RESULTS_INDEX)) === statSync(results).size;
}

/** Where the last whole line of an index says `results.jsonl` ends (0 for an empty or missing index). */
function indexEnd(path: string): number {
  if (!existsSync(path)) return 0;
  const size = statSync(path).size;
  const tail = Buffer.alloc(Math.min(size, 64 * 1024));
  const fd = openSync(path, "r");
  try {
    readSync(fd, tail, 0, tail.length, size - tail.length);
  } finally {
    closeSync(fd);
  }
  const lines = tail.toString("utf8").split("\n");
  for (let i = lines.length - 1; i >= 0; i--) {
    const e = parseIndexLine(lines[i] ?? "");
    if (e) return e[0] + e[1] + 1;
  }
  return -1;
}

/** The entries of a run dir's index and where in `results.jsonl` they stop; what `results.jsonl` has beyond is not indexed yet. */
export interface ResultsIndex {
  entries: IndexEntry[];
  /** The byte of `results.jsonl` after the last indexed line. */
  end: number;
  /** Whether entries were made up from `results.jsonl` (the index was missing, short or unreadable). */
  rebuilt: boolean;
}

/**
 * Reads a run dir's `results.idx`, and indexes what `results.jsonl` holds beyond it (all of it when there is no
 * index: a run from before indexes) by one streaming pass from there; `recordOf` gives a result's case (results
 * whose case it does not know are left out). With `save`, an index that had to be made up is written back (atomically:
 * temp file + rename; a read-only run dir keeps it in memory only).
 */
export function loadResultsIndex(
  runDir: string,
  recordOf: () => (caseId: string) => CaseRecord | undefined,
  options: { save?: boolean } = {},
): ResultsIndex {
  const resultsFile = join(runDir, "results.jsonl");
  const indexFile = join(runDir, RESULTS_INDEX);
  const size = existsSync(resultsFile) ? statSync(resultsFile).size : 0;
  const entries: IndexEntry[] = [];
  let end = 0;
  let ordered = true;
  // A torn last line is left out: what follows is made up from results.jsonl.
  for (const e of existsSync(indexFile) ? parseIndex(readFileSync(indexFile, "utf8")) : []) {
    if (e[0] < end || e[0] + e[1] > size) {
      ordered = false; // an index of another results.jsonl (rewritten since): not to be trusted
      break;
    }
    entries.push(e);
    end = e[0] + e[1] + 1;
  }
  if (!ordered) {
    entries.length = 0;
    end = 0;
  }
  if (end >= size) return { entries, end, rebuilt: false };
  const of = recordOf();
  for (const { line, offset } of readLines(resultsFile, end)) {
    // A torn line (a crash mid-write) is not a result.
    if (line[0] !== 0x7b || line[line.length - 1] !== 0x7d) continue;
    let result: CaseResult;
    try {
      result = JSON.parse(line.toString("utf8")) as CaseResult;
    } catch {
      continue;
    }
    const record = of(result.caseId);
    if (record) entries.push(entryOf({ offset, length: line.length }, record, resultFacts(result)));
  }
  end = size;
  if (options.save) saveIndex(indexFile, entries);
  return { entries, end, rebuilt: true };
}

function saveIndex(file: string, entries: readonly IndexEntry[]): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    const text = entries.map(indexLine).join("");
    writeFileSync(tmp, text);
    renameSync(tmp, file);
    const summary = emptySummary();
    for (const e of entries) addToSummary(summary, e);
    writeJsonAtomic(`${file}.json`, { ...summary, bytes: Buffer.byteLength(text) });
  } catch {
    rmSync(tmp, { force: true });
  }
}
