/** A typed array that grows by doubling. */
type Growable = BigUint64Array | Float64Array | Uint32Array | Uint16Array | Uint8Array;

/** `a` when it holds `n` elements already, else a copy of it twice as long (at least `n`). */
export function grown<A extends Growable>(a: A, n: number): A {
  if (n <= a.length) return a;
  const b = new (a.constructor as new (length: number) => A)(Math.max(n, a.length * 2));
  (b as { set(from: A): void }).set(a);
  return b;
}
