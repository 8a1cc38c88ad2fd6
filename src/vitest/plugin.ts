// `jury/vitest/plugin`: Vitest collects `*.eval.jsonl` files as test files (each planned case a test) and the
// jury results of a Vitest run are written to the run store, as an `evals` run's are. Runs in Vitest's main
// process; the cases run in its workers (collect-jsonl.ts).
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Plugin } from "vite";
// Vitest's `configureVitest` hook on Vite's `Plugin` type.
import type {} from "vitest/config";
import type { VitestPluginContext } from "vitest/node";
import { resolveConfigWithProblems } from "../config/resolve.ts";
import { escapeRegExp } from "../escape-regexp.ts";
import type { JuryPluginOptions, StartOptions } from "../types.ts";
import { JuryStoreReporter } from "./store-reporter.ts";

/** What an eval file is, to Vitest: a test file whose cases are planned as `evals` plans them. */
const JSONL = ".eval.jsonl";

// The module the generated test modules import, next to this one: `.ts` from the sources, `.js` from dist/.
const COLLECT_MODULE = fileURLToPath(
  new URL(`./collect-jsonl${import.meta.url.endsWith(".ts") ? ".ts" : ".js"}`, import.meta.url),
);

/**
 * jury's build (dist/), for Vitest to leave to Node as it leaves an installed package, when the plugin runs from it.
 * A jury linked into the project (a workspace package, `npm link`) is outside node_modules, and Vitest would run
 * each of its modules through Vite: a run of one case and one matcher test took 2.7 s instead of 1.4 s. It cannot
 * load a second Vitest: jury's code never imports "vitest" (vitest-expect.ts; the test modules below hand the
 * collector Vitest's `describe` and `test`). From the TypeScript sources (this repository's own tests), nothing:
 * those need Vite's transform.
 */
const BUILD = import.meta.url.endsWith(".js")
  ? // Vite's module ids use forward slashes, on Windows too.
    new RegExp(`^${escapeRegExp(fileURLToPath(new URL("../../", import.meta.url)).replaceAll("\\", "/"))}`)
  : undefined;

/** The Vitest instances the store reporter was added to: once per run, however many projects use the plugin. */
const withReporter = new WeakSet<object>();

/**
 * The Vitest plugin of jury: `plugins: [jury()]` in `vitest.config.ts`. Adds the jury config's `*.eval.jsonl`
 * include patterns to Vitest's, turns each such file into a test module (a `describe` of the eval, one
 * `test.concurrent` per planned case), tells the workers the project root and worker count (so they resolve the
 * same config and share its concurrency), and adds a reporter that writes the run into the run store. The
 * user's reporters are kept.
 * @example
 * // vitest.config.ts
 * import { defineConfig } from "vitest/config";
 * import jury from "jury/vitest/plugin";
 * export default defineConfig({ plugins: [jury()] });
 */
export default function jury(options: JuryPluginOptions = {}): Plugin {
  return {
    name: "jury",
    enforce: "pre",
    async config(user) {
      const test: { maxConcurrency?: number; server?: { deps: { external: RegExp[] } } } = BUILD
        ? { server: { deps: { external: [BUILD] } } }
        : {};
      // Vitest runs 5 concurrent tests at once unless told otherwise: the project's `concurrency` is the cap.
      if (user.test?.maxConcurrency === undefined) {
        const { config } = await juryConfig(startOptions(resolve(user.root ?? process.cwd()), options));
        test.maxConcurrency = config.run.concurrency;
      }
      return { test };
    },
    async configureVitest({ vitest, project }: VitestPluginContext) {
      const root = project.config.root;
      const start = startOptions(root, options);
      const { config } = await juryConfig(start);
      const patterns = config.include.filter((p) => p.endsWith(JSONL));
      for (const p of patterns.length ? patterns : [`**/*${JSONL}`])
        if (!project.config.include.includes(p)) project.config.include.push(p);
      const workers = project.config.maxWorkers ?? vitest.config.maxWorkers;
      project.config.env = {
        ...project.config.env,
        JURY_VITEST_ROOT: root,
        ...(workers === undefined ? {} : { JURY_VITEST_WORKERS: String(workers) }),
        ...(options.cache === undefined ? {} : { JURY_CACHE: options.cache }),
      };
      if (options.store !== false && !withReporter.has(vitest)) {
        withReporter.add(vitest);
        vitest.config.reporters.push(new JuryStoreReporter(start));
      }
    },
    load(id) {
      const file = id.split("?")[0] as string;
      if (!file.endsWith(JSONL)) return undefined;
      return { code: testModule(file), map: null };
    },
  };
}

/** The options of `evals` the plugin's stand for. */
function startOptions(root: string, options: JuryPluginOptions): StartOptions {
  return {
    root,
    ...(options.outputDir === undefined ? {} : { outputDir: options.outputDir }),
    ...(options.baseline === undefined ? {} : { baseline: options.baseline }),
    ...(options.cache === undefined ? {} : { cache: options.cache }),
  };
}

/**
 * The project's config as far as the main process needs it (no profiles): one with problems still names its
 * include patterns and limits; the workers report the problems, file by file.
 */
function juryConfig(start: StartOptions) {
  return resolveConfigWithProblems(start, { profiles: "none" });
}

/** The test module of an eval file: Vitest's `describe`/`test` of the project, passed to our collector. */
function testModule(absFile: string): string {
  return [
    `import { describe, test } from "vitest";`,
    `import { collectEvalJsonl } from ${JSON.stringify(COLLECT_MODULE)};`,
    `await collectEvalJsonl(${JSON.stringify(absFile)}, { describe, test });`,
    "",
  ].join("\n");
}
