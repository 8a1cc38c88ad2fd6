/**
 * The temperatures a scenario runs at: the base `t` and, with `n` variations, `t·(1 ± 0.25k)` for k = 1..n,
 * rounded to 3 places, kept in (0, 1], de-duplicated, ascending. The base is always kept as the user wrote it
 * (so t = 0 stays a single deterministic run); the seed also produced 0 and negative values — we don't.
 */
export function expandTemperatures(base: number, variations: number): number[] {
  const out = new Set<number>([round3(base)]);
  for (let k = 1; k <= variations; k++) {
    for (const sign of [-1, 1]) {
      const t = round3(base * (1 + sign * 0.25 * k));
      if (t > 0 && t <= 1) out.add(t);
    }
  }
  return [...out].sort((a, b) => a - b);
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
