/** Prints `label  value` rows, labels padded to one width: the output format of every bench script. */
export function printTable(rows: readonly [string, string][]): void {
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
}
