import type { Env } from "../io-context.ts";
import type { TextSink } from "../types.ts";

/**
 * What a CLI call reads and writes besides files: its streams, environment and working directory. `main`
 * defaults each to the process's; tests pass their own to run the CLI in process.
 */
export interface CliIo {
  stdout: TextSink;
  stderr: TextSink;
  env: Env;
  cwd: string;
  /** The name the CLI was started by (its bins: `evals` and `jury`), for --help and hints. @default "evals" */
  program?: string;
}

/** `io` with the process's streams, env and cwd where it gives none. */
export function processIo(io: Partial<CliIo> = {}): CliIo {
  return {
    stdout: io.stdout ?? process.stdout,
    stderr: io.stderr ?? process.stderr,
    env: io.env ?? process.env,
    cwd: io.cwd ?? process.cwd(),
    program: io.program ?? "evals",
  };
}

/** Resolves on the first SIGINT or SIGTERM (Ctrl-C), removing its listeners: for commands that serve until then. */
export function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}
