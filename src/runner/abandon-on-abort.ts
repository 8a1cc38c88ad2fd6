/** What each signal's one abort listener calls: the rejections of the work abandoned on it, still pending. */
const abandoners = new WeakMap<AbortSignal, Set<() => void>>();

/**
 * `work`, or a rejection with the signal's reason as soon as `signal` aborts. The work itself goes on, unobserved:
 * a promise that never settles (a stuck task or check, a call that ignores its signal) cannot hold up its caller,
 * and a late rejection of the abandoned work is swallowed instead of becoming an unhandled rejection.
 * A signal gets one abort listener however many works wait on it (a run's cases in flight, `--concurrency 32`):
 * one per work set off Node's MaxListenersExceededWarning past 10.
 */
export function abandonOnAbort<T>(work: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return work;
  work.catch(() => undefined);
  if (signal.aborted) return Promise.reject(signal.reason);
  let waiting = abandoners.get(signal);
  if (!waiting) {
    const set = new Set<() => void>();
    waiting = set;
    abandoners.set(signal, set);
    signal.addEventListener(
      "abort",
      () => {
        for (const abandon of set) abandon();
        set.clear();
      },
      { once: true },
    );
  }
  const pending = waiting;
  return new Promise<T>((resolve, reject) => {
    const abandon = () => reject(signal.reason);
    pending.add(abandon);
    work.then(
      (v) => {
        pending.delete(abandon);
        resolve(v);
      },
      (e: unknown) => {
        pending.delete(abandon);
        reject(e);
      },
    );
  });
}
