import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { presentError } from "../../src/cli/present-error.ts";
import { loadConfigFile } from "../../src/config/load.ts";
import { changedFiles } from "../../src/discovery/changed.ts";
import * as errors from "../../src/errors.ts";
import {
  ConfigError,
  EncodingError,
  EvalFileChangedError,
  EvalFileError,
  EvalsError,
  FlagError,
  GitError,
  InputError,
  MergeMismatchError,
  MissingFileError,
  ModelUnreachableError,
  NoEvalsError,
  OutputDirError,
  OutputExistsError,
  OutputWriteError,
  ProfileNotFoundError,
  ReporterLoadError,
  ResumeMismatchError,
  RunLockedError,
  RunNotFinishedError,
  RunNotFoundError,
  RunReadError,
  TableImportError,
  UnknownReporterError,
  UsageError,
} from "../../src/errors.ts";
import { loadReporters } from "../../src/runner/reporters.ts";
import { readRunReport } from "../../src/store/merge.ts";
import { createRunDir } from "../../src/store/run-dir.ts";
import { capture } from "../support/streams.ts";

const problem = { file: "evals/a.eval.jsonl", line: 3, path: "task.task_type", message: "required" };

type ErrorClass = abstract new (...args: never[]) => EvalsError;

/** Every condition: how to make one, its stable code and exit code, and the families it belongs to. */
const CONDITIONS: { make: () => EvalsError; code: string; exitCode: number; is: ErrorClass[] }[] = [
  { make: () => new InputError([problem]), code: "EVALS_BAD_INPUT", exitCode: 2, is: [InputError] },
  { make: () => new ConfigError([problem]), code: "EVALS_BAD_CONFIG", exitCode: 2, is: [InputError] },
  { make: () => new EvalFileError([problem]), code: "EVALS_BAD_EVAL_FILE", exitCode: 2, is: [InputError] },
  { make: () => new TableImportError([problem]), code: "EVALS_BAD_TABLE", exitCode: 2, is: [InputError] },
  { make: () => new UsageError("m"), code: "EVALS_USAGE", exitCode: 2, is: [UsageError] },
  { make: () => new FlagError("m"), code: "EVALS_BAD_FLAG", exitCode: 2, is: [UsageError] },
  {
    make: () => new UnknownReporterError("m"),
    code: "EVALS_UNKNOWN_REPORTER",
    exitCode: 2,
    is: [UsageError],
  },
  { make: () => new MissingFileError("m"), code: "EVALS_FILE_NOT_FOUND", exitCode: 2, is: [UsageError] },
  {
    make: () => new ProfileNotFoundError("m"),
    code: "EVALS_PROFILE_NOT_FOUND",
    exitCode: 2,
    is: [UsageError],
  },
  { make: () => new RunNotFoundError("m"), code: "EVALS_RUN_NOT_FOUND", exitCode: 2, is: [UsageError] },
  { make: () => new NoEvalsError("m"), code: "EVALS_NO_EVALS", exitCode: 1, is: [] },
  { make: () => new GitError("m"), code: "EVALS_GIT", exitCode: 2, is: [] },
  { make: () => new ModelUnreachableError("m"), code: "EVALS_UNREACHABLE", exitCode: 2, is: [] },
  { make: () => new ReporterLoadError("m"), code: "EVALS_REPORTER_LOAD", exitCode: 2, is: [] },
  { make: () => new OutputDirError("m"), code: "EVALS_OUTPUT_DIR", exitCode: 2, is: [] },
  { make: () => new OutputExistsError("m"), code: "EVALS_OUTPUT_EXISTS", exitCode: 2, is: [] },
  { make: () => new OutputWriteError("m"), code: "EVALS_OUTPUT_WRITE", exitCode: 2, is: [] },
  { make: () => new RunLockedError("m"), code: "EVALS_RUN_LOCKED", exitCode: 2, is: [] },
  { make: () => new EncodingError("m"), code: "EVALS_ENCODING", exitCode: 2, is: [] },
  { make: () => new RunReadError("m"), code: "EVALS_RUN_UNREADABLE", exitCode: 2, is: [] },
  { make: () => new RunNotFinishedError("m"), code: "EVALS_RUN_NOT_FINISHED", exitCode: 2, is: [] },
  { make: () => new ResumeMismatchError("m"), code: "EVALS_RESUME_MISMATCH", exitCode: 2, is: [] },
  { make: () => new MergeMismatchError("m"), code: "EVALS_MERGE_MISMATCH", exitCode: 2, is: [] },
  { make: () => new EvalFileChangedError("m"), code: "EVALS_EVAL_FILE_CHANGED", exitCode: 2, is: [] },
];

describe("error classes: one per condition, each with a stable code", () => {
  it("covers every class src/errors.ts exports, each with its own EVALS_* code", () => {
    const exported = Object.entries(errors)
      .filter(([, v]) => typeof v === "function" && v.prototype instanceof Error)
      .map(([name]) => name)
      .filter((name) => name !== "EvalsError")
      .sort();
    expect(CONDITIONS.map((c) => c.make().name).sort()).toEqual(exported);
    const codes = CONDITIONS.map((c) => c.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(code).toMatch(/^EVALS_[A-Z_]+$/);
  });

  it.for(CONDITIONS)("$code", ({ make, code, exitCode, is }) => {
    const err = make();
    expect(err).toBeInstanceOf(EvalsError);
    expect(err).toBeInstanceOf(Error);
    for (const family of is) expect(err).toBeInstanceOf(family);
    expect(err.code).toBe(code);
    expect(err.exitCode).toBe(exitCode);
    expect(err.name).toBe(err.constructor.name);
    expect("cause" in err).toBe(false);
  });

  it("takes a hint and a cause, or the hint alone as a string (as before codes were per class)", () => {
    const original = new Error("EACCES");
    const err = new OutputDirError("cannot create outputs", { hint: "fix it", cause: original });
    expect(err.hint).toBe("fix it");
    expect(err.cause).toBe(original);
    expect(new UsageError("m", "short hint").hint).toBe("short hint");
    expect(new InputError([problem], "h").hint).toBe("h");
    expect(new EvalsError("MY_PLUGIN", "m", "h")).toMatchObject({
      code: "MY_PLUGIN",
      hint: "h",
      exitCode: 2,
    });
    expect(new NoEvalsError("m").hint).toBe("Pass --pass-with-no-evals to exit 0 when nothing matches.");
    expect(new NoEvalsError("m", { hint: "other" }).hint).toBe("other");
  });

  it("an InputError's message is its problems, one per line", () => {
    const err = new ConfigError([problem, { file: "evals.config.yaml", message: "bad" }]);
    expect(err.message).toBe("evals/a.eval.jsonl:3: task.task_type: required\nevals.config.yaml: bad");
  });
});

describe("cause is kept on every wrap", () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "jury-errors-"));
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  const rejection = async (p: Promise<unknown>): Promise<unknown> =>
    p.then(
      () => expect.unreachable("expected a rejection"),
      (err: unknown) => err,
    );
  const thrown = (fn: () => unknown): unknown => {
    try {
      fn();
    } catch (err) {
      return err;
    }
    return expect.unreachable("expected a throw");
  };

  it("a reporter that fails to load: ReporterLoadError whose cause is the error its module threw", async () => {
    writeFileSync(join(root, "broken-reporter.ts"), 'throw new Error("boom while importing");\n');
    const err = await rejection(loadReporters([{ name: "./broken-reporter.ts" }], root));
    expect(err).toBeInstanceOf(ReporterLoadError);
    expect((err as ReporterLoadError).code).toBe("EVALS_REPORTER_LOAD");
    expect((err as Error).message).toBe("cannot load reporter ./broken-reporter.ts: boom while importing");
    expect((err as Error).cause).toBeInstanceOf(Error);
    expect(((err as Error).cause as Error).message).toBe("boom while importing");
  });

  it("a reporter module that does not exist: the cause is the import's own error", async () => {
    const err = await rejection(loadReporters([{ name: "./missing-reporter.ts" }], root));
    expect(err).toBeInstanceOf(ReporterLoadError);
    expect((err as Error).message).toMatch(/^cannot load reporter \.\/missing-reporter\.ts: /);
    expect(((err as Error).cause as NodeJS.ErrnoException).code).toBe("ERR_MODULE_NOT_FOUND");
  });

  it("a config function that throws: ConfigError with the problem, and the thrown error as cause", async () => {
    const file = join(root, "evals.config.ts");
    writeFileSync(file, 'export default () => { throw new Error("no secrets here"); };\n');
    const err = await rejection(loadConfigFile(file, "evals.config.ts"));
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).problems).toEqual([
      { file: "evals.config.ts", message: "the config function threw: no secrets here" },
    ]);
    expect(((err as Error).cause as Error).message).toBe("no secrets here");
  });

  it("an output dir with a file in the way: OutputDirError with the fs error as cause", () => {
    writeFileSync(join(root, "outputs"), "not a directory");
    const err = thrown(() => createRunDir(join(root, "outputs"), "run-1"));
    expect(err).toBeInstanceOf(OutputDirError);
    expect((err as Error).message).toBe(
      `cannot create the run directory ${join(root, "outputs", "runs", "run-1")}: a file is in the way`,
    );
    expect((err as OutputDirError).hint).toBe(
      "Point --output-dir (or outputDir in the config) at a directory you can write.",
    );
    expect(((err as Error).cause as NodeJS.ErrnoException).code).toBe("ENOTDIR");
  });

  it("a baseline or run that cannot be read: RunReadError with the fs error as cause", () => {
    const err = thrown(() => readRunReport(join(root, "gone")));
    expect(err).toBeInstanceOf(RunReadError);
    expect((err as Error).message).toMatch(/gone\/run\.json: not found$/);
    expect(((err as Error).cause as NodeJS.ErrnoException).code).toBe("ENOENT");
  });

  it("--changed outside a git repository: GitError with git's failure as cause", () => {
    const err = thrown(() => changedFiles(root, "HEAD"));
    expect(err).toBeInstanceOf(GitError);
    expect((err as Error).message).toMatch(/^--changed: git failed: fatal: not a git repository/);
    expect((err as Error).cause).toBeInstanceOf(Error);
  });
});

describe("presentError: the one place errors become output and an exit code", () => {
  const present = (err: unknown) => {
    const out = capture();
    const code = presentError(err, out.stream);
    return { code, text: out.text() };
  };

  it("a user error: its message and hint, exit 2, no stack trace (not even its cause's)", () => {
    const err = new ReporterLoadError("cannot load reporter ./r.ts: boom", {
      hint: "Check the path.",
      cause: new Error("boom"),
    });
    expect(present(err)).toEqual({
      code: 2,
      text: "error: cannot load reporter ./r.ts: boom\nhint: Check the path.\n",
    });
  });

  it("an input error: a header, then one file:line: field: message line per problem", () => {
    const err = new EvalFileError([
      problem,
      { file: "evals/b.eval.jsonl", line: 1, message: "invalid JSON" },
    ]);
    expect(present(err)).toEqual({
      code: 2,
      text:
        "error: 2 problems in the input; nothing was run.\n" +
        "  evals/a.eval.jsonl:3: task.task_type: required\n" +
        "  evals/b.eval.jsonl:1: invalid JSON\n",
    });
  });

  it("no evals: exit 1 with its hint", () => {
    expect(present(new NoEvalsError("no eval files found in /p"))).toEqual({
      code: 1,
      text: "error: no eval files found in /p\nhint: Pass --pass-with-no-evals to exit 0 when nothing matches.\n",
    });
  });

  it("cac's own errors: the message and a pointer to --help, exit 2", () => {
    const err = Object.assign(new Error("Unknown option `--frobnicate`"), { name: "CACError" });
    expect(present(err)).toEqual({
      code: 2,
      text: "error: Unknown option `--frobnicate`\nRun evals --help for usage.\n",
    });
  });

  it("anything else is a bug in jury: exit 1, with the stack and every cause", () => {
    const root = new Error("disk on fire");
    const { code, text } = present(new TypeError("x is undefined", { cause: root }));
    expect(code).toBe(1);
    expect(text).toMatch(
      /^internal error \(a bug in jury, please report it\): TypeError: x is undefined\n\s+at /,
    );
    expect(text).toMatch(/\ncaused by: Error: disk on fire\n\s+at /);
    expect(present("a string").text).toBe("internal error (a bug in jury, please report it): a string\n");
  });
});
