import { type FSWatcher, watch } from "node:fs";
import { relative, resolve } from "node:path";
import { startEvals } from "../../runner/start.ts";
import type { StartOptions } from "../../types.ts";
import type { CliIo } from "../io.ts";
import { presentError } from "../present-error.ts";

const IGNORED = /(^|\/)(node_modules|outputs|dist|\.git|\.evals-cache)(\/|$)/;
const EVAL_FILE = /\.eval\.(jsonl|ts)$/;
const DEBOUNCE_MS = 300;

/**
 * `evals --watch`: runs, then re-runs on every change, with the call cache on (so unchanged calls cost nothing).
 * A changed eval file re-runs that file; any other change (an imported module, profiles, the config) re-runs
 * everything, since it may change any eval. Bad input is reported and the watch goes on. Ctrl-C exits with the
 * last run's code.
 */
export async function watchCommand(options: StartOptions, io: CliIo): Promise<number> {
  const root = resolve(io.cwd, options.root ?? ".");
  const base: StartOptions = {
    ...options,
    root,
    cache: options.cache ?? "on",
    stdout: io.stdout,
    stderr: io.stderr,
  };
  let last = 0;
  let running = false;
  let pending: Set<string> | undefined;

  const runOnce = async (filters?: string[]) => {
    running = true;
    try {
      last = (await startEvals({ ...base, ...(filters ? { filters } : {}) })).exitCode;
    } catch (err) {
      last = presentError(err, io.stderr);
    } finally {
      running = false;
    }
    io.stdout.write(`\nWaiting for file changes… (Ctrl-C to exit)\n`);
    if (pending) flush();
  };

  const flush = () => {
    const changed = pending ?? new Set<string>();
    pending = undefined;
    const evals = [...changed].filter((f) => EVAL_FILE.test(f));
    const others = [...changed].filter((f) => !EVAL_FILE.test(f));
    io.stdout.write(`\nChanged: ${[...changed].slice(0, 5).join(", ")}${changed.size > 5 ? ", …" : ""}\n`);
    void runOnce(others.length ? options.filters : evals);
  };

  let timer: NodeJS.Timeout | undefined;
  const watcher: FSWatcher = watch(root, { recursive: true }, (_event, name) => {
    if (!name) return;
    const file = relative(root, resolve(root, name.toString())).split("\\").join("/");
    if (IGNORED.test(file)) return;
    pending ??= new Set();
    pending.add(file);
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (!running) flush();
    }, DEBOUNCE_MS);
  });

  await runOnce();
  return new Promise<number>((done) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      watcher.close();
      clearTimeout(timer);
      done(last);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}
