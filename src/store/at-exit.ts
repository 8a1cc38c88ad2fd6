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
