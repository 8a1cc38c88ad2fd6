// User-facing errors with stable codes. Only src/cli/present-error.ts decides how they look.

/** One problem in a user's input: `file:line: path: message`. */
export interface Problem {
  file: string;
  line?: number;
  /** The field, e.g. `task.task_type`; empty when the problem is the whole line or file. */
  path?: string;
  message: string;
  /** How serious: errors stop a run, warnings don't. Unset means the list it is in decides. */
  severity?: "error" | "warning";
}

export function formatProblem(p: Problem): string {
  const where = p.line === undefined ? p.file : `${p.file}:${p.line}`;
  return p.path ? `${where}: ${p.path}: ${p.message}` : `${where}: ${p.message}`;
}

/** Base class: a user error, printed without a stack trace, exit code 2. */
export class EvalsError extends Error {
  override name = "EvalsError";
  /** Exit code of the CLI when this error ends a command. */
  exitCode = 2;
  constructor(
    readonly code: string,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

/** Invalid configuration, profiles or eval files; carries every problem found, not just the first. */
export class InputError extends EvalsError {
  override name = "InputError";
  constructor(
    readonly problems: Problem[],
    hint?: string,
  ) {
    super("E_INPUT", problems.map(formatProblem).join("\n"), hint);
  }
}

/** Invalid command-line usage. */
export class UsageError extends EvalsError {
  override name = "UsageError";
  constructor(message: string, hint?: string) {
    super("E_USAGE", message, hint);
  }
}

/** No eval file matched and `--pass-with-no-evals` was not given. */
export class NoEvalsError extends EvalsError {
  override name = "NoEvalsError";
  constructor(message: string) {
    super("E_NO_EVALS", message, "Pass --pass-with-no-evals to exit 0 when nothing matches.");
    this.exitCode = 1;
  }
}
