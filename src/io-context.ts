// The environment and colour choice of the current CLI call. `main(argv, io)` runs a command inside
// `withIoContext`, so code deep in the call (config, providers, reporters) reads the caller's env instead of the
// process's, and a test can run the CLI in process with its own env without touching process.env.
import { AsyncLocalStorage } from "node:async_hooks";
import pc from "picocolors";

/** Environment variables, as `process.env` holds them. */
export type Env = Record<string, string | undefined>;

type Colors = Omit<typeof pc, "isColorSupported" | "createColors">;

interface IoContext {
  env: Env;
  colors: Colors;
}

const storage = new AsyncLocalStorage<IoContext>();

/** Runs `fn` with `env` (and colours on or off) as the current context. */
export function withIoContext<T>(context: { env: Env; colors: boolean }, fn: () => T): T {
  return storage.run({ env: context.env, colors: pc.createColors(context.colors) }, fn);
}

/** The environment of the current CLI call; `process.env` outside one. */
export function currentEnv(): Env {
  return storage.getStore()?.env ?? process.env;
}

/** Whether `env` says this runs in CI (`CI` set and not "false"): plain lines, no live progress. */
export function isCI(env: Env = currentEnv()): boolean {
  return Boolean(env.CI) && env.CI !== "false";
}

/**
 * Whether to colour output written to `stream` under `env`: picocolors' own rule (NO_COLOR, FORCE_COLOR, a
 * TTY, CI), applied to the given env and stream instead of the process's.
 */
export function colorsEnabled(env: Env, stream: { isTTY?: boolean }): boolean {
  if (env.NO_COLOR) return false;
  return (
    Boolean(env.FORCE_COLOR) ||
    process.platform === "win32" ||
    (stream.isTTY === true && env.TERM !== "dumb") ||
    Boolean(env.CI)
  );
}

/** picocolors' functions, following the current context's colour choice (the process's outside one). */
export const colors: Colors = Object.fromEntries(
  Object.keys(pc)
    .filter((k) => k !== "isColorSupported" && k !== "createColors")
    .map((k) => [
      k,
      (text: unknown) => {
        const current = storage.getStore()?.colors ?? pc;
        return current[k as keyof Colors](text as string);
      },
    ]),
) as unknown as Colors;
