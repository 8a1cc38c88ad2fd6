// Output streams for tests that call the runner or the CLI's pieces in process.
import { Writable } from "node:stream";

/** A stream that keeps what is written to it: `text()` reads it so far. */
export function capture(): { stream: Writable; text: () => string } {
  let text = "";
  const stream = new Writable({
    write: (chunk, _encoding, done) => {
      text += String(chunk);
      done();
    },
  });
  return { stream, text: () => text };
}
