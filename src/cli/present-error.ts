import { EvalsError, InputError } from "../errors.ts";
import type { TextSink } from "../types.ts";

/**
 * The one place that turns an error into output and an exit code. A user error prints its message (one line
 * per problem) and its hint, never a stack trace, and exits 2; anything else is a bug in jury and says so.
 */
export function presentError(err: unknown, stderr: TextSink): number {
  if (isCacError(err)) {
    stderr.write(`error: ${err.message}\nRun evals --help for usage.\n`);
    return 2;
  }
  if (err instanceof EvalsError) {
    if (err instanceof InputError) {
      const n = err.problems.length;
      stderr.write(`error: ${n} problem${n === 1 ? "" : "s"} in the input; nothing was run.\n`);
      for (const line of err.message.split("\n")) stderr.write(`  ${line}\n`);
    } else {
      stderr.write(`error: ${err.message}\n`);
    }
    if (err.hint) stderr.write(`hint: ${err.hint}\n`);
    return err.exitCode;
  }
  const e = err instanceof Error ? err : new Error(String(err));
  stderr.write(`internal error (a bug in jury, please report it): ${e.stack ?? e.message}\n`);
  return 1;
}

function isCacError(err: unknown): err is Error {
  return err instanceof Error && err.name === "CACError";
}
