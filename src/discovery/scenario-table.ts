// The scenarios of a `.eval.jsonl` without holding them: where each one's line is, and the few fields planning reads,
// in typed arrays (~30 bytes a scenario); the scenario itself is read again from its line when a task needs it.
import { closeSync, openSync, readSync } from "node:fs";
import { EvalFileChangedError } from "../errors.ts";
import { hash } from "../metrics/id-index.ts";
import { grown } from "../plan/grown.ts";
import { lazyList } from "../plan/lazy-list.ts";
import type { Scenario, ScenarioHead } from "../types.ts";

/** Bytes read at once when a scenario is read again: the scenarios after it are usually asked for next. */
const BLOCK = 1 << 16;
const SKIP = 1;
const ONLY = 2;
const NO_METRICS: string[] = [];

/**
 * The kept scenarios of one `.eval.jsonl`, in file order. `add` records a scenario as it is read; `scenarios` reads
 * one again when asked (a positioned read of its line, parsed by `parse` as when it was first read); `heads` gives
 * what planning reads without reading the file.
 */
export class ScenarioTable {
  private count = 0;
  /** Scenarios that send an image (their own, or a turn's). */
  private withImages = 0;
  private offsets = new Float64Array(1024);
  private lengths = new Uint32Array(1024);
  private lines = new Uint32Array(1024);
  private flags = new Uint8Array(1024);
  private taskTypes = new Uint32Array(1024);
  /** A hash of each line as first read: a line edited in place (same key) is a changed file, not a new scenario. */
  private hashes = new Uint32Array(1024);
  /** Base temperatures, NaN for none: made at the first scenario that has one. */
  private temperatures: Float64Array | undefined;
  private readonly taskTypeNames: string[] = [];
  private readonly taskTypeIds = new Map<string, number>();
  /** Keys other than `L<line>` (a row's own `id`), and metrics lists, by scenario index: only those that have one. */
  private readonly keys = new Map<number, string>();
  private readonly metrics = new Map<number, string[]>();
  /** The last block read, and the file offset of its first byte. */
  private block: Buffer | undefined;
  private blockStart = 0;

  constructor(
    private readonly absFile: string,
    private readonly file: string,
    private readonly parse: (text: string, line: number) => Scenario | undefined,
  ) {}

  /** Records scenario `s`, whose line is `text`, `length` bytes at byte `offset` of the file. */
  add(s: Scenario, text: string, offset: number, length: number): void {
    const i = this.count++;
    const n = this.count;
    this.offsets = grown(this.offsets, n);
    this.lengths = grown(this.lengths, n);
    this.lines = grown(this.lines, n);
    this.flags = grown(this.flags, n);
    this.taskTypes = grown(this.taskTypes, n);
    this.hashes = grown(this.hashes, n);
    this.hashes[i] = hash(text);
    this.offsets[i] = offset;
    this.lengths[i] = length;
    this.lines[i] = s.line ?? 0;
    this.flags[i] = (s.skip ? SKIP : 0) | (s.only ? ONLY : 0);
    let type = this.taskTypeIds.get(s.taskType);
    if (type === undefined) {
      type = this.taskTypeNames.push(s.taskType) - 1;
      this.taskTypeIds.set(s.taskType, type);
    }
    this.taskTypes[i] = type;
    if (s.temperature !== undefined || this.temperatures) {
      this.temperatures ??= new Float64Array(this.offsets.length).fill(Number.NaN, 0, i);
      this.temperatures = grown(this.temperatures, n);
      this.temperatures[i] = s.temperature ?? Number.NaN;
    }
    if (
      s.image !== undefined ||
      [...(s.messages ?? []), ...(s.turns ?? [])].some((t) => t.image !== undefined)
    )
      this.withImages++;
    if (s.key !== `L${s.line}`) this.keys.set(i, s.key);
    if (s.metrics.length > 0) this.metrics.set(i, s.metrics);
  }

  /** Scenario `i`, read again from its line (a new object each time). */
  scenario(i: number): Scenario {
    const line = this.lines[i] as number;
    const text = this.lineText(i);
    if (hash(text) !== this.hashes[i]) throw this.changed(line);
    const s = this.parse(text, line);
    if (!s || s.key !== this.key(i)) throw this.changed(line);
    return s;
  }

  /** What planning reads of scenario `i` (a new object each time; nothing read from the file). */
  head(i: number): ScenarioHead {
    const flags = this.flags[i] as number;
    const temperature = this.temperatures?.[i];
    return {
      key: this.key(i),
      taskType: this.taskTypeNames[this.taskTypes[i] as number] as string,
      metrics: this.metrics.get(i) ?? NO_METRICS,
      line: this.lines[i] as number,
      ...(temperature === undefined || Number.isNaN(temperature) ? {} : { temperature }),
      ...(flags & SKIP ? { skip: true } : {}),
      ...(flags & ONLY ? { only: true } : {}),
    };
  }

  /** Every scenario, each read again when asked. */
  get scenarios(): readonly Scenario[] {
    return lazyList(this.count, (i) => this.scenario(i));
  }

  /** No scenario sends an image. */
  get noImages(): boolean {
    return this.withImages === 0;
  }

  /** Every scenario's head. */
  get heads(): readonly ScenarioHead[] {
    return lazyList(this.count, (i) => this.head(i));
  }

  private changed(line: number): EvalFileChangedError {
    return new EvalFileChangedError(
      `${this.file}:${line}: the file changed after it was read: this line no longer holds the scenario it held (a run never mixes a file's old and new scenarios)`,
      "Leave eval files as they are while a run reads them, then run again (`evals --resume latest` keeps the results so far).",
    );
  }

  private key(i: number): string {
    return this.keys.get(i) ?? `L${this.lines[i]}`;
  }

  /** The text of scenario `i`'s line, from the block last read when it holds it. */
  private lineText(i: number): string {
    const offset = this.offsets[i] as number;
    const length = this.lengths[i] as number;
    const inBlock = (b: Buffer | undefined): b is Buffer =>
      b !== undefined && offset >= this.blockStart && offset + length <= this.blockStart + b.length;
    if (!inBlock(this.block)) {
      const fd = openSync(this.absFile, "r");
      try {
        const buf = Buffer.allocUnsafe(Math.max(BLOCK, length));
        const n = readSync(fd, buf, 0, buf.length, offset);
        this.block = buf.subarray(0, n);
        this.blockStart = offset;
      } finally {
        closeSync(fd);
      }
    }
    const block = this.block as Buffer;
    if (!inBlock(block)) throw this.changed(this.lines[i] as number);
    const from = offset - this.blockStart;
    return block.toString("utf8", from, from + length);
  }
}
