import { isAbsolute, resolve } from "node:path";
import { BUILT_IN, isReporterName, REPORTER_CHOICES } from "../../reporters/index.ts";
import { importModule } from "../discovery/import-module.ts";
import { ReporterLoadError, UnknownReporterError } from "../errors.ts";
import type { Reporter, ReporterContext, ReporterSpec, TextSink } from "../types.ts";

/**
 * Loads reporters by name, or by module path (relative to root) whose default export is a Reporter object,
 * a Reporter class, or a function returning a Reporter.
 */
export async function loadReporters(specs: readonly ReporterSpec[], root: string): Promise<LoadedReporter[]> {
  const out: LoadedReporter[] = [];
  for (const spec of specs) {
    const builtIn = BUILT_IN[spec.name];
    if (builtIn) {
      out.push({ spec, reporter: await builtIn() });
      continue;
    }
    if (!isReporterName(spec.name))
      throw new UnknownReporterError(`unknown reporter "${spec.name}"; ${REPORTER_CHOICES}`);
    const abs = isAbsolute(spec.name) ? spec.name : resolve(root, spec.name);
    let mod: { default?: unknown };
    try {
      mod = await importModule(abs);
    } catch (err) {
      const why = (err as Error).message.split("\n")[0];
      throw new ReporterLoadError(`cannot load reporter ${spec.name}: ${why}`, { cause: err });
    }
    const exported = (mod.default as { default?: unknown } | undefined)?.default ?? mod.default;
    out.push({ spec, reporter: instantiate(exported, spec.name) });
  }
  return out;
}

/** A reporter loaded from its spec. */
export interface LoadedReporter {
  spec: ReporterSpec;
  reporter: Reporter;
}

function instantiate(exported: unknown, name: string): Reporter {
  if (typeof exported === "function") {
    try {
      return new (exported as new () => Reporter)();
    } catch {
      return (exported as () => Reporter)();
    }
  }
  if (typeof exported === "object" && exported !== null) return exported as Reporter;
  throw new ReporterLoadError(
    `reporter ${name} has no default export`,
    "Export default an object (or class) with hooks such as onCaseResult and onRunEnd.",
  );
}

type Hook = Exclude<keyof Reporter, "onInit">;

/**
 * Fans each hook out to every reporter at once. A reporter that throws is reported once per hook and ignored:
 * it never kills the run or another reporter.
 */
export class ReporterHub {
  private readonly warned = new Set<string>();
  constructor(
    private readonly reporters: LoadedReporter[],
    private readonly warn: (text: string) => void,
  ) {}

  async init(ctxFor: (spec: ReporterSpec) => ReporterContext): Promise<void> {
    await Promise.all(
      this.reporters.map(({ spec, reporter }) =>
        this.guard(spec.name, "onInit", () => reporter.onInit?.(ctxFor(spec))),
      ),
    );
  }

  async emit<H extends Hook>(hook: H, ...args: Parameters<NonNullable<Reporter[H]>>): Promise<void> {
    await Promise.all(
      this.reporters.map(({ spec, reporter }) =>
        this.guard(spec.name, hook, () =>
          (reporter[hook] as ((...a: unknown[]) => unknown) | undefined)?.apply(reporter, args),
        ),
      ),
    );
  }

  private async guard(name: string, hook: string, fn: () => unknown): Promise<void> {
    try {
      await fn();
    } catch (err) {
      const key = `${name}:${hook}`;
      if (this.warned.has(key)) return;
      this.warned.add(key);
      this.warn(`reporter "${name}" failed in ${hook}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}

/** What the reporters of a run (or of a merged run) are started with. */
export interface ReporterSetup {
  root: string;
  runId: string;
  runDir: string;
  outputDir: string;
  reporters: readonly ReporterSpec[];
  /** `reporters` already loaded (`loadReporters`): a run loads them before it creates its run dir. */
  loaded?: LoadedReporter[];
  /** Reporter objects given by a program (`StartOptions.reporterInstances`). */
  instances?: readonly Reporter[];
  summarize?: ReporterContext["summarize"];
  stdout: TextSink;
  stderr: TextSink;
  /** Live output (a progress line): a TTY and not CI. */
  isTTY: boolean;
  isCI: boolean;
}

/** Loads the reporters and calls their `onInit`, each with its context: the hub the run's events go through. */
export async function startReporterHub(setup: ReporterSetup): Promise<ReporterHub> {
  const { root, stdout, stderr } = setup;
  const hub = new ReporterHub(
    [
      ...(setup.loaded ?? (await loadReporters(setup.reporters, root))),
      ...(setup.instances ?? []).map((reporter, i) => ({ spec: { name: `custom#${i + 1}` }, reporter })),
    ],
    (text) => stderr.write(`warning: ${text}\n`),
  );
  await hub.init(
    (spec): ReporterContext => ({
      root,
      runId: setup.runId,
      runDir: setup.runDir,
      outputDir: setup.outputDir,
      ...(spec.outputFile ? { outputFile: resolve(root, spec.outputFile) } : {}),
      ...(setup.summarize ? { summarize: setup.summarize } : {}),
      log: (text) => stdout.write(`${text}\n`),
      write: (text) => stdout.write(text),
      isTTY: setup.isTTY,
      isCI: setup.isCI,
    }),
  );
  return hub;
}
