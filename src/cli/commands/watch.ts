import { existsSync, type FSWatcher, watch } from "node:fs";
import { isAbsolute, relative, resolve } from "node:path";
import { CONFIG_NAMES } from "../../config/load.ts";
import { resolveConfigWithProblems } from "../../config/resolve.ts";
import { gitIgnored } from "../../discovery/git-ignored.ts";
import { discoverEvalFiles } from "../../discovery/glob.ts";
import { importedFiles } from "../../discovery/imported-files.ts";
import { startEvals } from "../../runner/start.ts";
import type { StartOptions } from "../../types.ts";
import { type CliIo, untilSignal } from "../io.ts";
import { presentError } from "../present-error.ts";

const EVAL_FILE = /\.eval\.(jsonl|ts)$/;
/** Never a new eval file, whatever the config says: packages, and dotfiles and dot-directories (`.git`, `.env`…). */
const NEVER_NEW = /(^|\/)(node_modules(\/|$)|\.)/;
const DEBOUNCE_MS = 300;

/** What a change must touch to re-run: every path relative to the root, `/`-separated. */
interface WatchScope {
  /** False until the first run's config has been read. */
  known: boolean;
  /** Eval files, what they import (transitively), the config (and its imports, and where one may appear), profiles. */
  files: Set<string>;
  /** The files among them that another one imports. */
  imported: Set<string>;
  /** The output dir, when inside the root: what a run writes is never a reason to run again. */
  outputDir?: string;
  include: string[];
  exclude: string[];
  filters: string[];
}

/** A running watch: `stop()` ends it and resolves with the last run's exit code. */
export interface EvalsWatch {
  stop(): Promise<number>;
}

/**
 * `evals --watch`: runs, then re-runs on every change, with the call cache on (so unchanged calls cost nothing).
 * A changed eval file re-runs that file; any other watched change (a module an eval file imports, profiles, the
 * config) re-runs everything, since it may change any eval. Bad input is reported and the watch goes on. Ctrl-C
 * exits with the last run's code.
 */
export async function watchCommand(options: StartOptions, io: CliIo): Promise<number> {
  const running = startWatch(options, io);
  await untilSignal();
  return running.stop();
}

/**
 * Runs, then watches what the evals are made of (`WatchScope`) and re-runs when it changes. Only those files
 * count, and a new eval file that the run would find (not in the output dir, not a dotfile, not ignored by git):
 * a run's own outputs, a redirected console (`evals -w > watch.out`) or an editor's swap files never re-run it.
 */
export function startWatch(options: StartOptions, io: CliIo): EvalsWatch {
  const root = resolve(io.cwd, options.root ?? ".");
  // Stopping interrupts a run in progress (it still writes what finished).
  const interrupt = new AbortController();
  const base: StartOptions = {
    ...options,
    root,
    cache: options.cache ?? "on",
    stdout: io.stdout,
    stderr: io.stderr,
    signal: options.signal ? AbortSignal.any([options.signal, interrupt.signal]) : interrupt.signal,
  };
  const rel = (abs: string) => relative(root, abs).split("\\").join("/");
  let scope: WatchScope = {
    known: false,
    files: new Set(),
    imported: new Set(),
    include: [],
    exclude: [],
    filters: options.filters ?? [],
  };
  let last = 0;
  let stopped = false;
  let pending: Set<string> | undefined;
  let timer: NodeJS.Timeout | undefined;

  const runOnce = async (filters?: string[]) => {
    try {
      last = (await startEvals({ ...base, ...(filters ? { filters } : {}) })).exitCode;
    } catch (err) {
      last = presentError(err, io.stderr);
    }
    if (stopped) return;
    // After the run: an edit that added an import is watched from now on.
    scope = await watchScope(base, scope, rel);
    io.stdout.write(`\nWaiting for file changes… (Ctrl-C to exit)\n`);
  };

  const inOutputDir = (file: string) =>
    scope.outputDir !== undefined && (file === scope.outputDir || file.startsWith(`${scope.outputDir}/`));
  /** Could be a new eval file (not yet known to be one the run finds). */
  const newEvalFile = (file: string) => EVAL_FILE.test(file) && !NEVER_NEW.test(file) && !inOutputDir(file);
  // Until the first run has said what to watch, every change is kept, to be sorted once it has.
  const mayMatter = (file: string) =>
    !scope.known ? !NEVER_NEW.test(file) : scope.files.has(file) || newEvalFile(file);

  /** The changes that count: watched files, and new eval files the run would pick up. */
  const relevant = async (changed: Set<string>): Promise<string[]> => {
    const kept = [...changed].filter((f) => scope.files.has(f));
    const fresh = [...changed].filter((f) => !scope.files.has(f) && newEvalFile(f));
    if (fresh.length) {
      const found = await discoverEvalFiles(root, scope.include, scope.exclude, scope.filters).catch(
        () => [],
      );
      const discovered = new Set(found.map((f) => f.file));
      const ignored = gitIgnored(root, fresh);
      kept.push(...fresh.filter((f) => discovered.has(f) && !ignored.has(f)));
    }
    return kept;
  };

  // One loop runs at a time; changes seen meanwhile wait in `pending` for its next turn.
  let busy: Promise<void> | undefined;
  const kick = (first = false) => {
    busy ??= (async () => {
      try {
        if (first) await runOnce();
        while (pending && !stopped) {
          const batch = pending;
          pending = undefined;
          const changed = await relevant(batch);
          if (changed.length === 0 || stopped) continue;
          const evals = changed.filter((f) => EVAL_FILE.test(f) && existsSync(resolve(root, f)));
          io.stdout.write(`\nChanged: ${changed.slice(0, 5).join(", ")}${changed.length > 5 ? ", …" : ""}\n`);
          // Anything but edited eval files (an import, the config, a deleted eval, an eval file another one
          // imports) may change every eval.
          const alone = evals.length === changed.length && !evals.some((f) => scope.imported.has(f));
          await runOnce(alone ? evals : options.filters);
        }
      } finally {
        busy = undefined;
      }
    })();
  };

  const watcher: FSWatcher = watch(root, { recursive: true }, (_event, name) => {
    if (!name || stopped) return;
    const file = rel(resolve(root, name.toString()));
    if (!mayMatter(file)) return;
    pending ??= new Set();
    pending.add(file);
    clearTimeout(timer);
    timer = setTimeout(() => kick(), DEBOUNCE_MS);
  });
  watcher.once("error", (err) => io.stderr.write(`warning: watching ${root}: ${err.message}\n`));
  watcher.on("error", () => undefined);

  kick(true);
  return {
    async stop() {
      stopped = true;
      watcher.close();
      clearTimeout(timer);
      interrupt.abort();
      await busy;
      return last;
    },
  };
}

/**
 * What to watch, from the config as it now resolves: its eval files and what they import, the config file (or
 * where one would be found) and what it imports, and the profile files. A config that cannot be read keeps the
 * previous scope, plus the places a config may be, so fixing it re-runs.
 */
async function watchScope(
  options: StartOptions,
  previous: WatchScope,
  rel: (abs: string) => string,
): Promise<WatchScope> {
  const root = options.root as string;
  const configPlaces = [root, resolve(root, "config")].flatMap((dir) =>
    CONFIG_NAMES.map((n) => resolve(dir, n)),
  );
  if (options.config) configPlaces.push(resolve(root, options.config));
  try {
    const { config } = await resolveConfigWithProblems(options);
    const evalFiles = await discoverEvalFiles(root, config.include, config.exclude, config.filters);
    const entries = [...evalFiles.map((f) => f.absFile), ...(config.configFile ? [config.configFile] : [])];
    const outputDir = rel(resolve(root, config.outputDir));
    const imported = new Set([...importedFiles(entries)].map(rel));
    return {
      known: true,
      files: new Set([
        ...[...configPlaces, ...entries, config.modelsFile, config.judgesFile].map(rel),
        ...imported,
      ]),
      imported,
      ...(outputDir.startsWith("..") || isAbsolute(outputDir) ? {} : { outputDir }),
      include: config.include,
      exclude: config.exclude,
      filters: config.filters,
    };
  } catch {
    return { ...previous, known: true, files: new Set([...previous.files, ...configPlaces.map(rel)]) };
  }
}
