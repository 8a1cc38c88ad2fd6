/**
 * Prints `label  value` rows, labels padded to one width: the output format of every bench script.
 * Under `bench/all.ts` (env `BENCH_ROWS=1`) it prints the rows as one `BENCH_ROWS <json>` line instead, which the
 * combined table collects.
 */
export function printTable(rows: readonly [string, string][]): void {
  if (process.env.BENCH_ROWS === "1") {
    console.log(`BENCH_ROWS ${JSON.stringify(rows)}`);
    return;
  }
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
}

/** The median of some numbers (the lower middle one for an even count); NaN for none. */
export function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN;
}

/** `12.34 s` from milliseconds. */
export const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

/** `123 MB` from kilobytes (as `maxRSS` reports them). */
export const megabytes = (kb: number): string => `${(kb / 1024).toFixed(0)} MB`;
