// Read-only arrays whose elements are made when read: a plan of a million cases holds typed arrays, not a million
// objects, and still hands users something that behaves like `readonly T[]`.

const isIndex = (key: string | symbol): key is string =>
  typeof key === "string" && key !== "" && key.length < 16 && /^(0|[1-9]\d*)$/.test(key);

/**
 * A read-only array of `length` elements, element `i` made by `at(i)` each time it is read (a new object each
 * time when `at` makes one: compare by content, not identity). It is an array to `Array.isArray`, `JSON.stringify`,
 * spreading, `for…of` and every read-only array method (`map`, `filter`, `slice`… return plain arrays); writes
 * throw a TypeError.
 */
export function lazyList<T>(length: number, at: (index: number) => T): readonly T[] {
  const inRange = (key: string | symbol): number | undefined => {
    if (!isIndex(key)) return undefined;
    const i = Number(key);
    return i < length ? i : undefined;
  };
  const readOnly = () => {
    throw new TypeError("a plan's list is read-only");
  };
  return new Proxy([] as T[], {
    get(target, key, receiver) {
      if (key === "length") return length;
      const i = inRange(key);
      if (i !== undefined) return at(i);
      return Reflect.get(target, key, receiver);
    },
    has(target, key) {
      return inRange(key) !== undefined || Reflect.has(target, key);
    },
    ownKeys(target) {
      return [...Array.from({ length }, (_, i) => String(i)), ...Reflect.ownKeys(target)];
    },
    getOwnPropertyDescriptor(target, key) {
      if (key === "length") return { value: length, writable: true, enumerable: false, configurable: false };
      const i = inRange(key);
      if (i !== undefined) return { value: at(i), writable: false, enumerable: true, configurable: true };
      return Reflect.getOwnPropertyDescriptor(target, key);
    },
    set: readOnly,
    defineProperty: readOnly,
    deleteProperty: readOnly,
  });
}

/** `list` with each element read through `fn` when asked (lazy: nothing is made here). */
export function mapList<T, U>(list: readonly T[], fn: (item: T, index: number) => U): readonly U[] {
  return lazyList(list.length, (i) => fn(list[i] as T, i));
}

/** The elements of `list` that `keep` accepts, in order: their indexes are kept (4 bytes each), not the elements. */
export function filterList<T>(list: readonly T[], keep: (item: T) => boolean): readonly T[] {
  const kept = new Uint32Array(list.length);
  let n = 0;
  for (let i = 0; i < list.length; i++) if (keep(list[i] as T)) kept[n++] = i;
  if (n === list.length) return list;
  const indexes = kept.slice(0, n);
  return lazyList(n, (j) => list[indexes[j] as number] as T);
}

/** The elements of `a` then those of `b` (lazy). */
export function concatLists<T>(a: readonly T[], b: readonly T[]): readonly T[] {
  if (b.length === 0) return a;
  return lazyList(a.length + b.length, (i) => (i < a.length ? a[i] : b[i - a.length]) as T);
}
