// Preloaded into the built CLI (NODE_OPTIONS=--import=…) by test/e2e/early-signal.test.ts: writes a line to stderr
// when the process's first SIGINT listener is added — the moment from which Ctrl-C must end the CLI with exit 130.
// The test sends the signal on that line, an event, instead of after a guessed delay.
import { writeSync } from "node:fs";

export const SIGINT_LISTENER_LINE = "[test] first SIGINT listener added";

const on = process.on;
let announced = false;
process.on = function announcing(event, listener) {
  const result = on.call(this, event, listener);
  if (event === "SIGINT" && !announced) {
    announced = true;
    writeSync(2, `${SIGINT_LISTENER_LINE}\n`);
  }
  return result;
};
