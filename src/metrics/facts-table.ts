// What summaries and gates read of each result, kept compact: a run of 100,000 cases holds numbers in chunks of
// bytes and a shape id per case, not 100,000 result objects.
import type { CaseMetrics, CaseRecord, CaseState, DimensionResult, SerializedError } from "../types.ts";
import { IdIndex } from "./id-index.ts";
import { NumberChunks, type NumberReader } from "./number-chunks.ts";

/**
 * The part of a CaseResult that summaries, the gate and the baseline comparison read (a CaseResult is one).
 * Whatever they read must be named here: the type checker then holds every reader to what the table keeps.
 */
export interface CaseFacts {
  caseId: string;
  state: CaseState;
  metrics?: Pick<
    CaseMetrics,
    | "ttftMs"
    | "ttfrMs"
    | "otps"
    | "cached"
    | "batched"
    | "inputTokens"
    | "outputTokens"
    | "reasoningTokens"
    | "responseCost"
    | "judgeCost"
    | "attempts"
    | "retries"
    | "throttled"
    | "throttleWaitMs"
    | "firstRequestAt"
    | "lastRequestAt"
    | "cacheHits"
    | "cacheTimeSavedMs"
    | "cacheCostSaved"
  >;
  error?: Pick<SerializedError, "classification">;
  jury?: {
    quorumMet: boolean;
    dimensions: readonly Pick<DimensionResult, "key" | "score">[];
    verdicts: readonly VerdictFacts[];
  };
}

export type VerdictFacts =
  | { judge: string; status: "scored"; scores: Record<string, number>; sameFamily: boolean }
  | { judge: string; status: "abstained"; sameFamily: boolean };

/** Just the facts of a result: a copy holding only what `CaseFacts` names. */
export function caseFacts(r: CaseFacts): CaseFacts {
  const m = r.metrics;
  const facts: CaseFacts = { caseId: r.caseId, state: r.state };
  if (m)
    facts.metrics = {
      ttftMs: m.ttftMs,
      ttfrMs: m.ttfrMs,
      otps: m.otps,
      cached: m.cached,
      batched: m.batched,
      inputTokens: m.inputTokens,
      outputTokens: m.outputTokens,
      reasoningTokens: m.reasoningTokens,
      responseCost: m.responseCost,
      judgeCost: m.judgeCost,
      attempts: m.attempts,
      retries: m.retries,
      throttled: m.throttled,
      throttleWaitMs: m.throttleWaitMs,
      firstRequestAt: m.firstRequestAt,
      lastRequestAt: m.lastRequestAt,
      cacheHits: m.cacheHits,
      cacheTimeSavedMs: m.cacheTimeSavedMs,
      cacheCostSaved: m.cacheCostSaved,
    };
  if (r.error) facts.error = { classification: r.error.classification };
  if (r.jury)
    facts.jury = {
      quorumMet: r.jury.quorumMet,
      dimensions: r.jury.dimensions.map((d) => ({ key: d.key, score: d.score })),
      verdicts: r.jury.verdicts.map((v) =>
        v.status === "scored"
          ? { judge: v.judge, status: v.status, scores: v.scores, sameFamily: v.sameFamily }
          : { judge: v.judge, status: v.status, sameFamily: v.sameFamily },
      ),
    };
  return facts;
}

/**
 * The facts of a run's results, by case, in constant space per result: each result is split into its shape
 * (the facts with every number written as 0 — the same few shapes recur across a run, so each is kept once)
 * and its numbers (appended to a NumberChunks, exactly, in 1 to 9 bytes each). `forEach` rebuilds the facts one at a time in case-id
 * order, which is the order every summary gathers its figures in. A later result of a case replaces an earlier
 * one; results of cases not in `cases` are ignored.
 */
export class FactsTable {
  /** The cases in plan order: a run's is a view that makes each record when read, so none is held here. */
  private readonly cases: readonly CaseRecord[];
  /** Per case in id order: its index in `cases` (plan order). */
  private readonly planIndex: Uint32Array;
  /** Case id → its rank (its position in id order). */
  private readonly rank: IdIndex;
  /** Per case in id order: its shape id + 1 (0: no result yet), and the offset of its numbers. */
  private readonly shapeOf: Uint32Array;
  private readonly offset: Float64Array;
  /** The numbers of every result, each in the bytes it needs. */
  private readonly numbers = new NumberChunks();
  private readonly shapes: unknown[] = [];
  private readonly shapeIds = new Map<string, number>();

  constructor(cases: readonly CaseRecord[]) {
    // Each case read once for its id: `cases` may be a view that makes its records when read.
    const ids = Array.from(cases, (c) => c.id);
    const order = ids.map((_, i) => i);
    order.sort((a, b) => {
      const x = ids[a] as string;
      const y = ids[b] as string;
      return x < y ? -1 : x > y ? 1 : 0;
    });
    this.cases = cases;
    this.planIndex = Uint32Array.from(order);
    // The ids in id order as one string and where each starts: what the rank index reads back, so it holds no
    // string per case (nor makes a record per lookup, as reading the view would).
    const starts = new Uint32Array(order.length + 1);
    let at = 0;
    for (const [r, i] of order.entries()) {
      starts[r] = at;
      at += (ids[i] as string).length;
    }
    starts[order.length] = at;
    const idText = order.map((i) => ids[i]).join("");
    this.rank = new IdIndex((r) => idText.slice(starts[r], starts[r + 1]), order.length);
    this.shapeOf = new Uint32Array(cases.length);
    this.offset = new Float64Array(cases.length);
  }

  /** A table of `results` (pure uses: reports and merges of finished runs). */
  static of(cases: readonly CaseRecord[], results: readonly CaseFacts[]): FactsTable {
    const table = new FactsTable(cases);
    for (const r of results) table.add(r);
    return table;
  }

  add(result: CaseFacts): void {
    const r = this.rank.get(result.caseId);
    if (r === undefined) return;
    const numbers: number[] = [];
    const { caseId: _id, ...rest } = caseFacts(result);
    // The shape is the facts' JSON with every number written as 0; the replacer sees the numbers in the order
    // JSON.stringify writes them, which is the order `join` reads a parsed shape in.
    const key = JSON.stringify(rest, (_k, v: unknown) => {
      if (typeof v !== "number") return v;
      numbers.push(v);
      return 0;
    });
    let id = this.shapeIds.get(key);
    if (id === undefined) {
      id = this.shapes.length;
      this.shapes.push(JSON.parse(key));
      this.shapeIds.set(key, id);
    }
    this.shapeOf[r] = id + 1;
    this.offset[r] = this.numbers.append(numbers);
  }

  /** The record of a case of the table, by id. */
  record(caseId: string): CaseRecord | undefined {
    const r = this.rank.get(caseId);
    return r === undefined ? undefined : this.cases[this.planIndex[r] as number];
  }

  /**
   * Calls `fn` for every case in case-id order with its facts (rebuilt, undefined when it has no result) and its
   * index in the plan.
   */
  forEach(fn: (record: CaseRecord, facts: CaseFacts | undefined, planIndex: number) => void): void {
    for (let r = 0; r < this.planIndex.length; r++) {
      const record = this.cases[this.planIndex[r] as number] as CaseRecord;
      const s = this.shapeOf[r] as number;
      let facts: CaseFacts | undefined;
      if (s !== 0) {
        const values = this.numbers.reader(this.offset[r] as number);
        facts = { caseId: record.id, ...(join(this.shapes[s - 1], values) as object) } as CaseFacts;
      }
      fn(record, facts, this.planIndex[r] as number);
    }
  }
}

/** A fresh copy of a parsed shape with each number (a 0 standing for one) replaced by the next of `values`. */
function join(shape: unknown, values: NumberReader): unknown {
  if (typeof shape === "number") return values.next();
  if (Array.isArray(shape)) return shape.map((x) => join(x, values));
  if (shape !== null && typeof shape === "object") {
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(shape)) o[k] = join((shape as Record<string, unknown>)[k], values);
    return o;
  }
  return shape;
}
