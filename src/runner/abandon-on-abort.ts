/**
 * `work`, or a rejection with the signal's reason as soon as `signal` aborts. The work itself goes on, unobserved:
 * a promise that never settles (a stuck task or check, a call that ignores its signal) cannot hold up its caller,
 * and a late rejection of the abandoned work is swallowed instead of becoming an unhandled rejection.
 */
export function abandonOnAbort<T>(work: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return work;
  work.catch(() => undefined);
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(e);
      },
    );
  });
}
