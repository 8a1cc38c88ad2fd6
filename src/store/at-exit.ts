/** Writes pending at the process's exit: one `exit` listener for all of them (no listener per writer or turn). */
const pending = new Set<() => void>();
let listening = false;

/**
 * Calls `flush` at the process's exit (a `process.exit`, an uncaught error, the end of the event loop) unless the
 * returned function is called first: how a buffered writer keeps what it holds when the process ends mid-turn.
 */
export function flushAtExit(flush: () => void): () => void {
  if (!listening) {
    listening = true;
    process.on("exit", () => {
      for (const f of [...pending]) f();
    });
  }
  pending.add(flush);
  return () => pending.delete(flush);
}

/**
 * A buffered writer's flush, run once at the end of the event-loop turn it was asked in, or at the process's exit
 * if that comes first (however many times it was asked in the turn).
 */
export class EndOfTurn {
  private immediate: NodeJS.Immediate | undefined;
  private offExit: (() => void) | undefined;

  constructor(private readonly flush: () => void) {}

  /** Asks for the flush at the end of this turn. */
  request(): void {
    if (this.immediate !== undefined) return;
    this.immediate = setImmediate(this.flush);
    this.offExit = flushAtExit(this.flush);
  }

  /** The writer flushes now: the flush asked for is no longer due. */
  settle(): void {
    if (this.immediate === undefined) return;
    clearImmediate(this.immediate);
    this.immediate = undefined;
    this.offExit?.();
    this.offExit = undefined;
  }
}
