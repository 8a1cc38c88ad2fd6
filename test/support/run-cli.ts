import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { main } from "../../src/cli/index.ts";
import type { TextSink } from "../../src/types.ts";

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The env a user's shell would give the CLI in these tests: no colours, CI mode, not GitHub Actions. */
function cliEnv(env: Record<string, string>): Record<string, string | undefined> {
  return { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0", CI: "true", GITHUB_ACTIONS: "", ...env };
}

/**
 * Runs the real `evals` CLI in `cwd` with `args`, in this process (its `main`, with captured streams and its own
 * env, like Vitest's runInlineTests): as a user would run it (no TTY, colours off, CI), without the 3–5 s of a
 * child process. Worker threads get `env` too. `tty`: the streams say they are a terminal (pass `CI: ""` in
 * `env` too for a developer's terminal: in CI the console draws no live line).
 */
export async function runCli(
  cwd: string,
  args: string[],
  env: Record<string, string> = {},
  { tty = false }: { tty?: boolean } = {},
): Promise<CliResult> {
  const sink = (): TextSink & { text: string } => ({
    text: "",
    isTTY: tty,
    write(chunk: string) {
      this.text += chunk;
      return true;
    },
  });
  const stdout = sink();
  const stderr = sink();
  const code = await main(args, { cwd, env: cliEnv(env), stdout, stderr });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** The built CLI, as installed (dist/, fresh: see build-cli.ts). */
export const BUILT_CLI = fileURLToPath(new URL("../../bin/evals.js", import.meta.url));

export interface BuiltCli {
  child: ReturnType<typeof spawn>;
  /** Everything written to stdout / stderr so far. */
  readonly stdout: string;
  readonly stderr: string;
  /** Resolves when `pred` holds on the output so far (checked on every chunk), rejects if the process exits first. */
  waitFor(pred: (out: { stdout: string; stderr: string }) => boolean, what: string): Promise<void>;
  /** The exit code (null when killed by a signal). */
  exited: Promise<number | null>;
}

/**
 * Starts the built `evals` binary in a child process: only for tests where the process itself is the subject
 * (signals, kill -9, the real binary's exit codes). Same env as runCli.
 */
export function startBuiltCli(cwd: string, args: string[], env: Record<string, string> = {}): BuiltCli {
  const child = spawn(process.execPath, [BUILT_CLI, ...args], {
    cwd,
    env: cliEnv(env),
    stdio: ["ignore", "pipe", "pipe"],
  });
  const out = { stdout: "", stderr: "" };
  const waiters = new Set<() => void>();
  const check = () => {
    for (const w of waiters) w();
  };
  child.stdout.on("data", (d) => {
    out.stdout += d;
    check();
  });
  child.stderr.on("data", (d) => {
    out.stderr += d;
    check();
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      resolve(code);
      check();
    });
  });
  let closed = false;
  void exited.then(
    () => {
      closed = true;
      check();
    },
    () => {
      closed = true;
    },
  );
  return {
    child,
    get stdout() {
      return out.stdout;
    },
    get stderr() {
      return out.stderr;
    },
    exited,
    waitFor(pred, what) {
      return new Promise<void>((resolve, reject) => {
        const waiter = () => {
          if (pred(out)) {
            waiters.delete(waiter);
            resolve();
          } else if (closed) {
            waiters.delete(waiter);
            reject(
              new Error(`the CLI exited before ${what}; stdout:\n${out.stdout}\nstderr:\n${out.stderr}`),
            );
          }
        };
        waiters.add(waiter);
        waiter();
      });
    },
  };
}

/** Runs the built `evals` binary to the end in a child process and collects its output. */
export async function runBuiltCli(
  cwd: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<CliResult> {
  const cli = startBuiltCli(cwd, args, env);
  const code = await cli.exited;
  return { code, stdout: cli.stdout, stderr: cli.stderr };
}
