// Numbers, ranges and counts in text people read: the console, the job summary, reports, gate reasons.
// Machine-read outputs (JSON, JUnit properties) keep JavaScript's own number syntax.

/**
 * `x` rounded to `digits` decimals as `Intl.NumberFormat("en-US")` rounds it: half away from zero on its shortest
 * decimal form (`0.03695` → `0.0370`, where `toFixed` rounds the double's binary value down to `0.0369`); never
 * `-0.00` nor exponent notation. Not Intl itself: its first formatter loads ICU's locale data, ~20 ms at every
 * command's start (measured).
 */
function fixed(x: number, digits: number): string {
  const [mantissa = "0", exponent = "0"] = String(Math.abs(x)).split("e");
  const [whole = "0", fraction = ""] = mantissa.split(".");
  // The decimal digits of |x| with the point after `point` of them.
  let point = whole.length + Number(exponent);
  let all = whole + fraction;
  if (point < 0) [all, point] = ["0".repeat(-point) + all, 0];
  const keep = point + digits;
  let kept = all.slice(0, keep).padEnd(keep, "0");
  if ((all[keep] ?? "0") >= "5") {
    const up = (BigInt(kept || "0") + 1n).toString().padStart(keep, "0");
    if (up.length > keep) point++;
    kept = up;
  }
  const text = `${kept.slice(0, point).replace(/^0+(?=\d)/, "") || "0"}${digits > 0 ? `.${kept.slice(point)}` : ""}`;
  return x < 0 && /[1-9]/.test(text) ? `-${text}` : text;
}

/**
 * `x` with `digits` decimals as people read it: a true minus sign (U+2212) for negatives, never `-0` (a value
 * that rounds to zero reads `0.00`) nor exponent notation; `–` when unknown (undefined, NaN, ±Infinity).
 * @example decimal(-8.224e-18) // "0.00"
 * @example decimal(-1.372) // "−1.37"
 */
export function decimal(x: number | undefined, digits = 2): string {
  if (x === undefined || !Number.isFinite(x)) return "–";
  return fixed(x, digits).replace("-", "−");
}

/**
 * `x` to at most `digits` decimals, trailing zeros dropped, as `decimal` writes numbers otherwise: `0.812`, `4.25`,
 * `−0.25`, and `0` for `−8.224e-18`; `–` when unknown.
 */
export function shortDecimal(x: number | undefined, digits = 3): string {
  if (x === undefined || !Number.isFinite(x)) return "–";
  const text = fixed(x, digits);
  return (text.includes(".") ? text.replace(/\.?0+$/, "") : text).replace("-", "−");
}

/**
 * `x` with its sign, as a change or a bias reads: `+0.12`, `−0.30`, and `0.00` when it rounds to zero.
 * @example signed(0.123) // "+0.12"
 */
export function signed(x: number | undefined, digits = 2): string {
  if (x === undefined || !Number.isFinite(x)) return "–";
  const text = fixed(x, digits);
  return /^[0.]+$/.test(text) ? text : text.startsWith("-") ? text.replace("-", "−") : `+${text}`;
}

/** A proportion as a percentage with one decimal: `91.8%`, `−4.2%`; `–` when unknown. */
export function percent(x: number | undefined): string {
  return x === undefined || !Number.isFinite(x) ? "–" : `${decimal(x * 100, 1)}%`;
}

/**
 * An interval, each end formatted by `show`: `85.1–100.0%` with an en dash between unsigned ends, `−1.37 to
 * −0.40` when an end has a sign (a dash next to a minus reads as a subtraction).
 */
export function range(ends: readonly [number, number], show: (v: number) => string): string {
  const lo = show(ends[0]);
  const hi = show(ends[1]);
  return /^[−+-]/.test(lo) || /^[−+-]/.test(hi) ? `${lo} to ${hi}` : `${lo}–${hi}`;
}

/**
 * A count and its noun, singular for one: `1 case`, `3 cases`, `2 eval files`.
 * @example plural(1, "case") // "1 case"
 * @example plural(2, "match", "matches") // "2 matches"
 */
export function plural(n: number, noun: string, nouns = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : nouns}`;
}

/** A p-value as a statement, to 3 significant digits: `p = 1.00`, `p = 0.000977`; `p < 0.0001` below that. */
export function pText(p: number): string {
  return p < 0.0001 ? "p < 0.0001" : `p = ${p.toPrecision(3)}`;
}
