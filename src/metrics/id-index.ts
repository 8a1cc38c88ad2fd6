/**
 * Where each of a list of ids is, in one typed array (open addressing, linear probing, at most half full): 4 to 8
 * bytes an id, where a Map<string, number> costs ~40 — a run of a million cases holds one. An id listed twice is
 * found at its last position, as a Map set in order would have it.
 */
export class IdIndex {
  /** Per slot: a position + 1 (0: empty). */
  private readonly slots: Int32Array;
  private readonly mask: number;

  /** `idAt(i)`: the id at position i, for i < n (read again on every lookup: the index keeps no strings). */
  constructor(
    private readonly idAt: (i: number) => string,
    n: number,
  ) {
    let size = 2;
    while (size < n * 2) size *= 2;
    this.slots = new Int32Array(size);
    this.mask = size - 1;
    for (let i = 0; i < n; i++) this.slots[this.slotOf(idAt(i))] = i + 1;
  }

  /** The position of `id`, or undefined when it is not listed. */
  get(id: string): number | undefined {
    const v = this.slots[this.slotOf(id)] as number;
    return v === 0 ? undefined : v - 1;
  }

  /** The slot holding `id`, or the empty one where it would go. */
  private slotOf(id: string): number {
    let s = hash(id) & this.mask;
    for (;;) {
      const v = this.slots[s] as number;
      if (v === 0 || this.idAt(v - 1) === id) return s;
      s = (s + 1) & this.mask;
    }
  }
}

/** FNV-1a (32 bits) over the string's UTF-16 code units. */
export function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
