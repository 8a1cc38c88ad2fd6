/**
 * `fn` with its answers remembered for at most `max` distinct arguments: a hot path that asks the same few things
 * again and again (a judge's metric names, a case's prompt counted by each of its judges). Full, it starts over
 * empty — the keys still in use come back at once — rather than keep the order an LRU would need.
 */
export function boundedMemo<K, V>(fn: (key: K) => V, max: number): (key: K) => V {
  const answers = new Map<K, V>();
  return (key) => {
    let value = answers.get(key);
    if (value === undefined) {
      if (answers.size >= max) answers.clear();
      value = fn(key);
      answers.set(key, value);
    }
    return value;
  };
}
