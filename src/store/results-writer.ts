import { closeSync, fstatSync, ftruncateSync, openSync } from "node:fs";
import { join } from "node:path";
import type { CaseRecord, CaseResult } from "../types.ts";
import { EndOfTurn } from "./at-exit.ts";
import type { LineAt } from "./report-file.ts";
import { ResultsIndexWriter } from "./results-index.ts";
import { writeAll, writeFailure } from "./write-all.ts";

/** The results.jsonl line a result was read from (`resultFromLine`), newline included: not made again. */
const lines = new WeakMap<CaseResult, string>();

/**
 * A result from its results.jsonl line, as a worker thread sends it (made there, once), remembered with it so
 * that the line written is that very text. The result must not be changed afterwards.
 */
export function resultFromLine(line: string): CaseResult {
  const result = JSON.parse(line) as CaseResult;
  lines.set(result, line.endsWith("\n") ? line : `${line}\n`);
  return result;
}

/** A result's results.jsonl line, newline included. */
export function resultLine(result: CaseResult): string {
  return lines.get(result) ?? `${JSON.stringify(result)}\n`;
}

/**
 * Appends each result to `results.jsonl`, with a synchronous write on an `O_APPEND` fd: once `append` returns the
 * line is in the OS, so a crash of this process loses nothing already recorded. `queue` is the same, batched: the
 * results that arrive in one turn of the event loop go to disk in one write per file at the end of that turn (its
 * check phase) — or at once on `flush`, `close` or the process's exit (Ctrl-C, `process.exit`, an uncaught error) —
 * and its promise resolves once its line is on disk, so nothing is reported before it is recorded. Only a kill -9
 * (or a power cut) can lose results, those of the turn it lands in, none of which was reported yet.
 * Errored cases also get a line in `unprocessed.jsonl` with their reason and classification.
 *
 * An append is all or nothing: when the disk fills up (or fails) mid-line, both files are cut back to where the
 * append began — every line on disk stays whole — and an `OutputWriteError` says how many results are kept.
 * Each result is then indexed in `results.idx` (where its line is, and what the dashboard's table shows of it).
 */
export class ResultsWriter {
  private readonly results: AppendFile;
  private readonly unprocessed: AppendFile;
  private readonly index: ResultsIndexWriter;
  /** Results queued in this turn, written by `flush`. */
  private queued: Queued[] = [];
  /** The write of what is queued, at the end of the turn (or at the exit). */
  private readonly endOfTurn = new EndOfTurn(() => this.flush());

  /** `kept`: the results already in `results.jsonl` (a resumed run's). */
  constructor(
    readonly runDir: string,
    private kept = 0,
  ) {
    this.results = this.openFile("results.jsonl");
    this.unprocessed = this.openFile("unprocessed.jsonl");
    this.index = new ResultsIndexWriter(runDir, this.results.end);
  }

  private openFile(name: string): AppendFile {
    const path = join(this.runDir, name);
    try {
      return new AppendFile(path);
    } catch (err) {
      throw writeFailure(path, err, this.keptLine());
    }
  }

  private keptLine(): string {
    return `${this.kept} result${this.kept === 1 ? "" : "s"} kept; free space and run \`evals --resume latest\``;
  }

  append(result: CaseResult, record: CaseRecord): void {
    this.flush(); // what was queued comes first
    this.appendNow(result, record, resultLine(result));
  }

  /**
   * Queues a result for the write at the end of this turn; resolves once its line is on disk, rejects with the
   * write's error (a full disk: see `append`) when it could not be written — and so does every result queued
   * after it, which is not written either.
   */
  queue(result: CaseResult, record: CaseRecord): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queued.push({ result, record, line: resultLine(result), resolve, reject });
      this.endOfTurn.request();
    });
  }

  /**
   * Writes what is queued now: one write per file for all of it; when that fails (a full disk), the files are cut
   * back and the results appended one by one, so the count kept and the lines whole are exactly what `append` gives.
   */
  flush(): void {
    this.endOfTurn.settle();
    const batch = this.queued;
    if (batch.length === 0) return;
    this.queued = [];
    if (batch.length > 1 && this.appendBatch(batch)) {
      for (const q of batch) q.resolve();
      return;
    }
    let failure: { error: unknown } | undefined;
    for (const q of batch) {
      if (failure) {
        q.reject(failure.error);
        continue;
      }
      try {
        this.appendNow(q.result, q.record, q.line);
        q.resolve();
      } catch (error) {
        failure = { error };
        q.reject(error);
      }
    }
  }

  /** Appends a batch in one write per file; false (the files cut back, nothing kept) when a write failed. */
  private appendBatch(batch: readonly Queued[]): boolean {
    const at: LineAt[] = [];
    let offset = this.results.end;
    let unprocessed = "";
    for (const q of batch) {
      const length = Buffer.byteLength(q.line);
      at.push({ offset, length: length - 1 });
      offset += length;
      if (q.result.state === "errored") unprocessed += unprocessedLine(q.result, q.record);
    }
    const writes: [AppendFile, string][] = [[this.results, batch.map((q) => q.line).join("")]];
    if (unprocessed) writes.push([this.unprocessed, unprocessed]);
    const done: AppendFile[] = [];
    for (const [file, text] of writes) {
      try {
        file.append(text);
        done.push(file);
      } catch {
        for (const f of [file, ...done]) f.rollBack();
        return false;
      }
    }
    for (const f of done) f.commit();
    this.kept += batch.length;
    this.index.addAll(batch.map((q, i) => ({ at: at[i] as LineAt, result: q.result, record: q.record })));
    return true;
  }

  private appendNow(result: CaseResult, record: CaseRecord, resultLine: string): void {
    const offset = this.results.end;
    const writes: [AppendFile, string][] = [[this.results, resultLine]];
    if (result.state === "errored") writes.push([this.unprocessed, unprocessedLine(result, record)]);
    const done: AppendFile[] = [];
    for (const [file, text] of writes) {
      try {
        file.append(text);
        done.push(file);
      } catch (err) {
        // Also cut the lines of this append already written: the result is recorded in both files or in neither.
        for (const f of [file, ...done]) f.rollBack();
        throw writeFailure(file.path, err, this.keptLine());
      }
    }
    for (const f of done) f.commit();
    this.kept++;
    this.index.add({ offset, length: this.results.end - offset - 1 }, result, record);
  }

  /** Writes what is queued (each result's promise says how that went), then closes the files. */
  close(): void {
    this.flush();
    this.results.close();
    this.unprocessed.close();
    this.index.close();
  }
}

/** A result waiting for the write at the end of its turn. */
interface Queued {
  result: CaseResult;
  record: CaseRecord;
  /** Its results.jsonl line, newline included. */
  line: string;
  resolve(): void;
  reject(error: unknown): void;
}

/** An errored result's line of `unprocessed.jsonl`, newline included. */
function unprocessedLine(result: CaseResult, record: CaseRecord): string {
  const line = {
    caseId: result.caseId,
    file: record.file,
    evalName: record.evalName,
    scenarioKey: record.scenarioKey,
    model: record.model,
    taskType: record.taskType,
    classification: result.error?.classification ?? "processing_exception",
    reason: result.error?.message ?? "unknown",
    at: new Date().toISOString(),
  };
  return `${JSON.stringify(line)}\n`;
}

/** A file open for appending whose size at the last whole append is known, to cut a partial one back to it. */
class AppendFile {
  private readonly fd: number;
  private size: number;
  private pending = 0;

  constructor(readonly path: string) {
    this.fd = openSync(path, "a");
    this.size = fstatSync(this.fd).size;
  }

  append(text: string): void {
    const buf = Buffer.from(text);
    this.pending = buf.length;
    writeAll(this.fd, buf);
  }

  /** The file's size after the last whole append: where the next one begins. */
  get end(): number {
    return this.size;
  }

  commit(): void {
    this.size += this.pending;
    this.pending = 0;
  }

  /** Cuts what the last append wrote (a cut needs no free space). */
  rollBack(): void {
    this.pending = 0;
    ftruncateSync(this.fd, this.size);
  }

  close(): void {
    closeSync(this.fd);
  }
}
