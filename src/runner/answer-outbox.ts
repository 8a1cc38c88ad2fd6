export interface AnswerOutbox<T> {
  push(item: T): void;
  /** Sends what is held now, if anything. */
  flush(): void;
}

/**
 * Batches a worker thread's answers into messages to the main thread: the answers of one turn go as one message at
 * the turn's end (`schedule`: setImmediate) — or sooner, once the first has waited `holdMs`: a burst of replies
 * (every judge of a wave of cases answering at once) keeps a thread in one turn for tens of ms, and the main thread
 * starts a lane's next case only on its answer.
 */
export function answerOutbox<T>(
  send: (batch: T[]) => void,
  {
    holdMs = 2,
    schedule = setImmediate,
    now = () => performance.now(),
  }: { holdMs?: number; schedule?: (flush: () => void) => void; now?: () => number } = {},
): AnswerOutbox<T> {
  let held: T[] = [];
  let since = 0;
  const flush = () => {
    if (held.length === 0) return;
    const batch = held;
    held = [];
    send(batch);
  };
  return {
    push(item) {
      if (held.push(item) === 1) {
        since = now();
        schedule(flush);
      } else if (now() - since >= holdMs) flush();
    },
    flush,
  };
}
