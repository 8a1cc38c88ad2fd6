/** The answer of a task: its text (what the judges read), and what it returned when that was not a string. */
export interface TaskOutput {
  output: string;
  structured?: unknown;
}

const ANSWER =
  "return the answer as a string, or as a JSON value (an object, an array, a number, a boolean, null)";

/**
 * Turns what a task returned into the case's answer: a string as it is, any other JSON value as its JSON text
 * (kept as `structured` for the checks). A value without a JSON text throws, naming the eval and the value:
 * `String()` would have answered "[object Object]" or "undefined" and let the jury score that.
 */
export function taskOutput(value: unknown, evalName: string): TaskOutput {
  if (typeof value === "string") return { output: value };
  const fail = (what: string) => {
    const err = new Error(`the task of eval "${evalName}" returned ${what}; ${ANSWER}`);
    err.name = "TaskOutputError";
    // The stack would point into the runner, not at the task.
    err.stack = "";
    return err;
  };
  if (typeof value === "number" && !Number.isFinite(value)) throw fail(`${value}, which JSON cannot hold`);
  if (typeof value === "bigint") throw fail(`a bigint (${value}n), which JSON cannot hold`);
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (err) {
    const why = (err instanceof Error ? err.message : String(err)).split("\n")[0];
    throw fail(`${describe(value)} that cannot be turned into JSON (${why})`);
  }
  if (text === undefined) throw fail(describe(value));
  return { output: text, structured: value };
}

function describe(value: unknown): string {
  if (value === undefined) return "undefined (no answer: is a `return` missing?)";
  if (Array.isArray(value)) return "an array";
  const type = typeof value;
  return type === "object" ? "an object" : `a ${type}`;
}
