/**
 * A column of doubles that grows as it is written (a typed array doubled when full, zeros where nothing was
 * written): a run's per-case figures in 8 bytes each, without a JS array's boxing and slack.
 */
export class GrowingColumn {
  private data: Float64Array;
  /** One past the last index written (or `fill`ed to). */
  length = 0;

  constructor(capacity = 16) {
    this.data = new Float64Array(capacity);
  }

  push(x: number): void {
    this.reserve(this.length + 1);
    this.data[this.length++] = x;
  }

  /** The value at `i` (0 beyond what was written). */
  at(i: number): number {
    return i < this.length ? (this.data[i] as number) : 0;
  }

  /** Adds `x` at `i`, extending the column with zeros to reach it. */
  add(i: number, x: number): void {
    this.fill(i + 1);
    this.data[i] = (this.data[i] as number) + x;
  }

  /** Sets `x` at `i`, extending the column with zeros to reach it. */
  set(i: number, x: number): void {
    this.fill(i + 1);
    this.data[i] = x;
  }

  /** Extends the column with zeros to `n` values. */
  fill(n: number): void {
    if (n <= this.length) return;
    this.reserve(n);
    this.length = n;
  }

  /** The values written: a view, valid until the column grows. */
  values(): Float64Array {
    return this.data.subarray(0, this.length);
  }

  private reserve(n: number): void {
    if (n <= this.data.length) return;
    const next = new Float64Array(Math.max(n, this.data.length * 2));
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }
}
