// User-facing errors: one class per condition, each with a stable `EVALS_*` code. Only src/cli/present-error.ts
// decides how they look; programs calling startEvals() switch on `code`.

/** One problem in a user's input: `file:line: path: message`. */
export interface Problem {
  file: string;
  line?: number;
  /** 1-based, with `line`: where in the line (a syntax error). */
  column?: number;
  /** The field, e.g. `task.task_type`; empty when the problem is the whole line or file. */
  path?: string;
  message: string;
  /** How serious: errors stop a run, warnings don't. Unset means the list it is in decides. */
  severity?: "error" | "warning";
}

export function formatProblem(p: Problem): string {
  const where =
    p.line === undefined ? p.file : `${p.file}:${p.line}${p.column === undefined ? "" : `:${p.column}`}`;
  return p.path ? `${where}: ${p.path}: ${p.message}` : `${where}: ${p.message}`;
}

/** What every error takes besides its message: the fix to suggest, and the error it wraps. */
export interface EvalsErrorOptions {
  /** One line telling the user what to do, printed as `hint: …`. */
  hint?: string | undefined;
  /** The error this one wraps (kept for programs and bug reports; the message already says what matters). */
  cause?: unknown;
}

/**
 * Base class: a user error, printed without a stack trace, exit code 2. `code` is stable across versions.
 * Every constructor takes `options` as `{ hint, cause }` or, for short, the hint alone as a string.
 * @example
 * try {
 *   await startEvals({ root });
 * } catch (err) {
 *   if (err instanceof EvalsError && err.code === "EVALS_NO_EVALS") return; // nothing to evaluate here
 *   throw err;
 * }
 */
export class EvalsError extends Error {
  override name = "EvalsError";
  /** Exit code of the CLI when this error ends a command. */
  exitCode = 2;
  /** What to do about it, or undefined. */
  readonly hint: string | undefined;
  constructor(
    readonly code: string,
    message: string,
    options?: EvalsErrorOptions | string,
  ) {
    const o = toOptions(options);
    super(message, "cause" in o ? { cause: o.cause } : undefined);
    this.hint = o.hint;
  }
}

function toOptions(options: EvalsErrorOptions | string | undefined): EvalsErrorOptions {
  return typeof options === "string" ? { hint: options } : (options ?? {});
}

// ── Input files: every problem at once, as `file:line: field: message` ─────────────────────────────────────

/**
 * Invalid input files (config, profiles and eval files together); carries every problem found, not just the first.
 * Its subclasses below keep its constructor and differ only by code.
 */
export class InputError extends EvalsError {
  override name = "InputError";
  constructor(
    readonly problems: Problem[],
    options?: EvalsErrorOptions | string,
  ) {
    super("EVALS_BAD_INPUT", problems.map(formatProblem).join("\n"), options);
  }
}

/** The config file or the model/judge profile files have problems (and nothing else does). */
export class ConfigError extends InputError {
  override name = "ConfigError";
  override readonly code = "EVALS_BAD_CONFIG";
}

/** Eval files (`.eval.jsonl`, `.eval.ts`) have problems, and the config and profiles have none. */
export class EvalFileError extends InputError {
  override name = "EvalFileError";
  override readonly code = "EVALS_BAD_EVAL_FILE";
}

/** A table given to `evals import` cannot be turned into an eval file. */
export class TableImportError extends InputError {
  override name = "TableImportError";
  override readonly code = "EVALS_BAD_TABLE";
}

// ── The command line ───────────────────────────────────────────────────────────────────────────────────────

/**
 * Invalid command-line usage not covered by a more specific class below; they extend it (so code that caught
 * `UsageError` before codes were per class still does) and differ only by code.
 */
export class UsageError extends EvalsError {
  override name = "UsageError";
  constructor(message: string, options?: EvalsErrorOptions | string) {
    super("EVALS_USAGE", message, options);
  }
}

/** A flag's value is malformed, out of range, missing, or conflicts with another flag. The message names the flag. */
export class FlagError extends UsageError {
  override name = "FlagError";
  override readonly code = "EVALS_BAD_FLAG";
}

/** A reporter name is neither built in nor a module path. */
export class UnknownReporterError extends UsageError {
  override name = "UnknownReporterError";
  override readonly code = "EVALS_UNKNOWN_REPORTER";
}

/** A file named on the command line (`--config`, the table to import) does not exist or is not a file. */
export class MissingFileError extends UsageError {
  override name = "MissingFileError";
  override readonly code = "EVALS_FILE_NOT_FOUND";
}

/** A flag names a model or judge profile (`--summary-model`, `evals probe --model/--region`) that no profile matches. */
export class ProfileNotFoundError extends UsageError {
  override name = "ProfileNotFoundError";
  override readonly code = "EVALS_PROFILE_NOT_FOUND";
}

/** The run to resume, retry or report on does not exist. */
export class RunNotFoundError extends UsageError {
  override name = "RunNotFoundError";
  override readonly code = "EVALS_RUN_NOT_FOUND";
}

// ── Runs and their files ───────────────────────────────────────────────────────────────────────────────────

/** No eval file matched and `--pass-with-no-evals` was not given. Exit 1, like Vitest. */
export class NoEvalsError extends EvalsError {
  override name = "NoEvalsError";
  constructor(message: string, options?: EvalsErrorOptions | string) {
    super("EVALS_NO_EVALS", message, {
      hint: "Pass --pass-with-no-evals to exit 0 when nothing matches.",
      ...toOptions(options),
    });
    this.exitCode = 1;
  }
}

/** `--changed` needs git, and git failed (not a repository, or an unknown ref). */
export class GitError extends EvalsError {
  override name = "GitError";
  constructor(message: string, options?: EvalsErrorOptions | string) {
    super("EVALS_GIT", message, options);
  }
}

/** The models a run needs cannot be reached (no judge at all, no target, or any target under `--strict`). */
export class ModelUnreachableError extends EvalsError {
  override name = "ModelUnreachableError";
  constructor(message: string, options?: EvalsErrorOptions | string) {
    super("EVALS_UNREACHABLE", message, options);
  }
}

/** A reporter module cannot be imported, or exports no reporter. */
export class ReporterLoadError extends EvalsError {
  override name = "ReporterLoadError";
  constructor(message: string, options?: EvalsErrorOptions | string) {
    super("EVALS_REPORTER_LOAD", message, options);
  }
}

/** The output directory (`outputDir`) cannot be created or written. */
export class OutputDirError extends EvalsError {
  override name = "OutputDirError";
  constructor(message: string, options?: EvalsErrorOptions | string) {
    super("EVALS_OUTPUT_DIR", message, options);
  }
}

/**
 * A run's file could not be written mid-run: the disk is full (ENOSPC), a quota is exceeded (EDQUOT), the device
 * failed (EIO), the file system turned read-only (EROFS) or the file grew too large (EFBIG). An environment error,
 * not a verdict: exit 2, like the other errors that stop a run before it could say anything about the evals.
 */
export class OutputWriteError extends EvalsError {
  override name = "OutputWriteError";
  constructor(message: string, options?: EvalsErrorOptions | string) {
    super("EVALS_OUTPUT_WRITE", message, options);
  }
}

/** The run directory is in use: another `evals` (this host or another) holds its `run.lock`. */
export class RunLockedError extends EvalsError {
  override name = "RunLockedError";
  constructor(message: string, options?: EvalsErrorOptions | string) {
    super("EVALS_RUN_LOCKED", message, options);
  }
}

/** A command would overwrite a file it was not told to (`--force` overwrites). */
export class OutputExistsError extends EvalsError {
  override name = "OutputExistsError";
  constructor(message: string, options?: EvalsErrorOptions | string) {
    super("EVALS_OUTPUT_EXISTS", message, options);
  }
}

/** A file is in an encoding evals does not read (UTF-16); it must be saved as UTF-8. */
export class EncodingError extends EvalsError {
  override name = "EncodingError";
  constructor(message: string, options?: EvalsErrorOptions | string) {
    super("EVALS_ENCODING", message, options);
  }
}

/** A run's `run.json` (or a report given as a baseline or to merge) cannot be read or parsed. */
export class RunReadError extends EvalsError {
  override name = "RunReadError";
  constructor(message: string, options?: EvalsErrorOptions | string) {
    super("EVALS_RUN_UNREADABLE", message, options);
  }
}

/** A run given to report on, merge or compare against has not finished. */
export class RunNotFinishedError extends EvalsError {
  override name = "RunNotFinishedError";
  constructor(message: string, options?: EvalsErrorOptions | string) {
    super("EVALS_RUN_NOT_FINISHED", message, options);
  }
}

/** `--resume`: today's plan is not the interrupted run's plan. */
export class ResumeMismatchError extends EvalsError {
  override name = "ResumeMismatchError";
  constructor(message: string, options?: EvalsErrorOptions | string) {
    super("EVALS_RESUME_MISMATCH", message, options);
  }
}

/** `evals merge`: the runs are not the shards of one run (their configs differ), or not every shard of its plan once. */
export class MergeMismatchError extends EvalsError {
  override name = "MergeMismatchError";
  constructor(message: string, options?: EvalsErrorOptions | string) {
    super("EVALS_MERGE_MISMATCH", message, options);
  }
}

/** A `.eval.jsonl` changed while a run used it: a scenario's line, read again for its case, no longer holds it. */
export class EvalFileChangedError extends EvalsError {
  override name = "EvalFileChangedError";
  constructor(message: string, options?: EvalsErrorOptions | string) {
    super("EVALS_EVAL_FILE_CHANGED", message, options);
  }
}
