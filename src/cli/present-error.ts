import { EvalsError, InputError } from "../errors.ts";
import type { TextSink } from "../types.ts";

/**
 * The one place that turns an error into output and an exit code; only the CLI's top level (and the watch loop,
 * which must go on after an error) calls it. A user error prints its message (one line per problem) and its hint,
 * never a stack trace, and exits with its class's code (2, or 1 for no evals); anything else is a bug in jury and
 * says so, with its stack and the chain of causes.
 */
export function presentError(err: unknown, stderr: TextSink, program = "evals"): number {
  if (isCacError(err)) {
    stderr.write(`error: ${err.message}\nRun ${program} --help for usage.\n`);
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
  stderr.write(`internal error (a bug in jury, please report it): ${describe(err)}\n`);
  for (let cause = causeOf(err), depth = 0; cause !== undefined && depth < 5; cause = causeOf(cause), depth++)
    stderr.write(`caused by: ${describe(cause)}\n`);
  return 1;
}

function describe(err: unknown): string {
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}

function causeOf(err: unknown): unknown {
  return err instanceof Error ? err.cause : undefined;
}

function isCacError(err: unknown): err is Error {
  return err instanceof Error && err.name === "CACError";
}
