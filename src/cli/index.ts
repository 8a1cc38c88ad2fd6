// The `evals` binary: parse flags, call the runner, present errors. No logic of its own.
import { existsSync, readFileSync } from "node:fs";
import { cac } from "cac";
import { UsageError } from "../errors.ts";
import { colorsEnabled, withIoContext } from "../io-context.ts";
import type { AggregateRule, StartOptions } from "../types.ts";
import { type CliIo, processIo } from "./io.ts";
import { presentError } from "./present-error.ts";
import { translateSeedArgs } from "./seed-args.ts";

/** The package version, from the nearest package.json up from this file (works from src/ and from dist/). */
function packageVersion(): string {
  for (let url = new URL("./", import.meta.url); url.pathname !== "/"; url = new URL("../", url)) {
    try {
      const pkg = JSON.parse(readFileSync(new URL("package.json", url), "utf8")) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === "jury") return pkg.version ?? "0.0.0";
    } catch {
      // not here: go up
    }
  }
  return "0.0.0";
}

/**
 * Runs the CLI with the given argv (without `node` and the script) and returns the exit code. `io` gives the
 * streams, env and working directory (the process's by default): nothing in the CLI reads the process's own.
 */
export async function main(argv: string[], partialIo: Partial<CliIo> = {}): Promise<number> {
  const io = processIo(partialIo);
  return withIoContext({ env: io.env, colors: colorsEnabled(io.env, io.stdout) }, () => dispatch(argv, io));
}

async function dispatch(argv: string[], io: CliIo): Promise<number> {
  const cli = cac("evals");
  const runOptions = (cmd: ReturnType<typeof cli.command>) =>
    cmd
      .option(
        "-c, --config <file>",
        "Config file (default: ./evals.config.{ts,yaml} or ./config/evals.config.*)",
      )
      .option("-t, --testNamePattern <regex>", "Run only cases whose name (eval › scenario › model) matches")
      .option("--models <file>", "Model profiles (360-eval JSONL or YAML)")
      .option("--judges <file>", "Judge profiles (360-eval JSONL or YAML)")
      .option("--output-dir <dir>", "Where run directories and reports go (default: outputs)")
      .option("--threshold <score>", "Jury score (1-5) below which a dimension fails (default: 3)")
      .option("--aggregate <rule>", "Jury rule: mean | median | majority (default: mean)")
      .option("--quorum <n>", "Scored verdicts a case needs (default: half the judges, rounded up)")
      .option("--metrics <list>", "User-defined jury dimensions, comma-separated")
      .option("--invocations <n>", "Runs of each scenario × model × temperature (default: 1)")
      .option(
        "--trials <n>",
        "Run each case n times and gate on pass^n: a case passes only if every trial does",
      )
      .option("--experiments <n>", "Repetitions of the whole plan (default: 1)")
      .option(
        "--temperature-variations <n>",
        "Extra temperatures at ±25% steps around each scenario's (default: 0)",
      )
      .option("--concurrency <n>", "Cases in flight at once (default: 8)")
      .option("--workers <n>", "Worker threads (default: min(4, cores))")
      .option("--no-threads", "Run cases in the main thread (debugging)")
      .option("--no-stream", "Call models without streaming (TTFT is then TTLB)")
      .option("--timeout <ms>", "Per-call timeout in ms (default: 120000)")
      .option("--case-timeout <ms>", "Whole-case timeout in ms, task and jury included (default: none)")
      .option("--max-attempts <n>", "Calls per model request at most, retries included (default: 4)")
      .option("--max-concurrency-per-model <n>", "Cases of one model in flight at most (default: no cap)")
      .option("--pass-with-no-evals", "Exit 0 when no eval matches")
      .option("--changed [ref]", "Only eval files changed since a git ref (default: uncommitted changes)")
      .option("--cache <mode>", "Call cache: off | on (record and reuse) | replay (reuse only; a miss fails)")
      .option(
        "--shard <i/n>",
        "Run only shard i of n (cases dealt by stable id); join the runs with evals merge",
      )
      .option(
        "--prompt-optimization <mode>",
        "Bedrock OptimizePrompt: none | optimize_only | evaluate_both (default: none)",
      )
      .option("--experiment-wait-ms <ms>", "Pause between experiments (default: 0)")
      .option(
        "--invocation-sleep-ms <ms>",
        "Pause before the next invocation of the same scenario × model (default: 0)",
      )
      .option("--latency-only", "No jury: measure latency, throughput and cost only")
      .option("--no-vision", "Ignore scenario images (text only)")
      .option("--name <name>", "A name for the run (shown in run.json and the reports)")
      .option("--no-preflight", "Skip the access check of real models and judges before the run")
      .option("--strict", "Exit 2 when a target model is unreachable instead of dropping its cases");

  runOptions(cli.command("[...filters]", "Run evals (filters: eval file path substrings)"))
    .option(
      "--reporter <name>",
      "default | json | junit | html | github-actions | path to a module (repeatable)",
    )
    .option(
      "--outputFile <file>",
      "Where a reporter writes: --outputFile.<reporter>=<file>, e.g. --outputFile.junit=junit.xml",
    )
    .option("--min-pass-rate <rate>", "Pass rate (0..1) the run needs to exit 0 (default: 1, every case)")
    .option("--min-pass-rate-per-eval <rate>", "Pass rate (0..1) each eval needs")
    .option("--min-pass-rate-per-model <rate>", "Pass rate (0..1) each model needs")
    .option("--max-cost <usd>", "Fail when the run costs more (responses and judges)")
    .option("--max-p95-ttft-ms <ms>", "Fail when the p95 TTFT is higher")
    .option("--baseline <run>", "Compare with a previous run (its dir or run.json) case by case")
    .option("--summary-model <profile>", "A model profile that rewrites the HTML report's executive summary")
    .option(
      "-w, --watch",
      "Re-run on file changes (changed eval files, or everything), with the call cache on",
    )
    .option("--significance <alpha>", "Significance level of the baseline tests (default: 0.05)")
    .option(
      "--max-regression <rate>",
      "Fail on a pass-rate drop vs the baseline above this, significant or not",
    )
    .option(
      "--max-score-drop <points>",
      "Fail on a significant mean jury-score drop vs the baseline above this",
    )
    .option("--bail [n]", "Stop after n failed or errored cases (default 1 when given)")
    .option(
      "--resume <run>",
      "Continue an interrupted run (run id or latest): finished cases are not run again",
    )
    .option("--retry-errors <run>", "New run that re-runs only the errored cases of a run (run id or latest)")
    .action(async (filters: string[], flags: Record<string, unknown>) => {
      if (flags.watch === true) {
        const { watchCommand } = await import("./commands/watch.ts");
        exitCode = await watchCommand(toStartOptions(filters, flags), io);
        return;
      }
      const { runCommand } = await import("./commands/run.ts");
      exitCode = await runCommand(toStartOptions(filters, flags), io);
    });

  runOptions(
    cli.command("list [...filters]", "Print the planned cases and an estimated cost without running them"),
  )
    .option("--json", "Print the plan as JSON")
    .action(async (filters: string[], flags: Record<string, unknown>) => {
      const { listCommand } = await import("./commands/list.ts");
      exitCode = await listCommand(toStartOptions(filters, flags), flags.json === true, io);
    });

  cli
    .command(
      "report [...runDirs]",
      "Build the HTML report from finished runs (the newest by default) without calling a model",
    )
    .option("--all", "Every finished run with the newest run's config, as one history")
    .option("--since <date>", "Runs started on or after this date (with the newest run's config)")
    .option("-o, --output <file>", "Where the HTML goes (default: outputs/report.html)")
    .option(
      "--summary-model <profile>",
      "A model profile that rewrites the executive summary (a failure never blocks the report)",
    )
    .option("-c, --config <file>", "Config file (for the output dir)")
    .option("--output-dir <dir>", "Where the runs are (default: outputs)")
    .action(async (runDirs: string[], flags: Record<string, unknown>) => {
      const { reportCommand } = await import("./commands/report.ts");
      const str = (k: string) => (typeof flags[k] === "string" ? (flags[k] as string) : undefined);
      const opts = {
        all: flags.all === true,
        since: str("since"),
        output: str("output"),
        config: str("config"),
        outputDir: str("outputDir"),
        summaryModel: str("summaryModel"),
      };
      exitCode = await reportCommand(
        runDirs,
        Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)),
        io,
      );
    });

  cli
    .command(
      "merge <...runDirs>",
      "Join the run directories of --shard i/n runs into one run, with reporters and the gate",
    )
    .option(
      "--reporter <name>",
      "default | json | junit | html | github-actions | path to a module (repeatable)",
    )
    .option("--outputFile <file>", "Where a reporter writes: --outputFile.<reporter>=<file>")
    .option("--min-pass-rate <rate>", "Pass rate (0..1) the merged run needs to exit 0")
    .option("-c, --config <file>", "Config file (for reporters and the output dir)")
    .option("--output-dir <dir>", "Where the merged run dir goes (default: outputs)")
    .action(async (runDirs: string[], flags: Record<string, unknown>) => {
      const { mergeCommand } = await import("./commands/merge.ts");
      exitCode = await mergeCommand(runDirs, toStartOptions([], flags), io);
    });

  cli
    .command(
      "simulate",
      "Serve a local OpenAI / Bedrock / Gemini-compatible LLM API simulator (for offline runs)",
    )
    .option("--port <port>", "Port (default: 4010; 0 picks a free one)")
    .option("--host <host>", "Interface to bind (default: 127.0.0.1)")
    .option("--ttft-ms <ms>", "Delay before the first content token (default: 100)")
    .option("--tokens-per-s <n>", "Streaming rate; 0 sends at once (default: 400)")
    .option(
      "--fault-rate <rate>",
      "Share of requests (0..1) that fail: 429, 5xx, reset, truncated stream, bad judge JSON",
    )
    .option("--seed <seed>", "Seed of the fault sequence")
    .action(async (flags: Record<string, unknown>) => {
      const { simulateCommand } = await import("./commands/simulate.ts");
      const n = (k: string) => (flags[k] === undefined ? undefined : Number(flags[k]));
      const num = (k: string, flag: string) => {
        const v = n(k);
        if (v !== undefined && !Number.isFinite(v))
          throw new UsageError(`--${flag} must be a number (got "${String(flags[k])}")`);
        return v;
      };
      const opts = {
        port: num("port", "port"),
        ttftMs: num("ttftMs", "ttft-ms"),
        tokensPerS: num("tokensPerS", "tokens-per-s"),
        faultRate: num("faultRate", "fault-rate"),
        host: flags.host === undefined ? undefined : String(flags.host),
        seed: flags.seed === undefined ? undefined : String(flags.seed),
      };
      exitCode = await simulateCommand(
        Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)),
        io,
      );
    });

  cli
    .command("import <file>", "Turn a CSV (or TSV, or JSONL of rows) into an .eval.jsonl file")
    .option("--prompt-column <name>", "Prompt column (default: text_prompt, prompt, question, input…)")
    .option("--golden-column <name>", "Golden-answer column (default: golden_answer, answer, expected…)")
    .option("--image-column <name>", "Image column: local paths or URLs (default: url_image, image…)")
    .option("--task-type <type>", "Task type of rows without a task_type cell (default: General)")
    .option("--task-criteria <text>", "Task criteria of rows without a task_criteria cell")
    .option("--metrics <list>", "User-defined jury metrics of every row, comma-separated")
    .option("--temperature <t>", "Temperature (0-2) of rows without a temperature cell")
    .option("-o, --output <file>", "Output file (default: evals/<file basename>.eval.jsonl)")
    .option("--force", "Overwrite the output file if it exists")
    .action(async (file: string, flags: Record<string, unknown>) => {
      const { importCommand } = await import("./commands/import.ts");
      const str = (key: string, flag: string) => {
        const v = flags[key];
        if (v === undefined) return undefined;
        if (typeof v === "boolean" || Array.isArray(v)) throw new UsageError(`--${flag} needs one value`);
        return String(v);
      };
      const temperature = str("temperature", "temperature");
      if (temperature !== undefined && (temperature.trim() === "" || !Number.isFinite(Number(temperature))))
        throw new UsageError(`--temperature must be a number from 0 to 2 (got "${temperature}")`);
      const metrics = str("metrics", "metrics");
      const opts = {
        promptColumn: str("promptColumn", "prompt-column"),
        goldenColumn: str("goldenColumn", "golden-column"),
        imageColumn: str("imageColumn", "image-column"),
        taskType: str("taskType", "task-type"),
        taskCriteria: str("taskCriteria", "task-criteria"),
        metrics: metrics?.split(","),
        temperature: temperature === undefined ? undefined : Number(temperature),
        output: str("output", "output"),
        force: flags.force === true ? true : undefined,
      };
      exitCode = await importCommand(
        String(file),
        Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)),
        io,
      );
    });

  cli
    .command("init", "Scaffold a project: config, mock profiles and a first eval that runs offline")
    .option("--force", "Overwrite files that exist (default: keep them and say so)")
    .action(async (flags: Record<string, unknown>) => {
      const { initCommand } = await import("./commands/init.ts");
      exitCode = await initCommand({ root: io.cwd, force: flags.force === true }, io);
    });

  cli
    .command(
      "validate [...paths]",
      "Check profiles, eval files and the config (default: the whole project) without running anything",
    )
    .option(
      "-c, --config <file>",
      "Config file (default: ./evals.config.{ts,yaml} or ./config/evals.config.*)",
    )
    .option("--models <file>", "Model profiles (360-eval JSONL or YAML)")
    .option("--judges <file>", "Judge profiles (360-eval JSONL or YAML)")
    .action(async (paths: string[], flags: Record<string, unknown>) => {
      const { validateCommand } = await import("./commands/validate.ts");
      const str = (k: string) => (typeof flags[k] === "string" ? (flags[k] as string) : undefined);
      const opts = { config: str("config"), models: str("models"), judges: str("judges") };
      exitCode = await validateCommand(
        paths.map(String),
        Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)),
        io,
      );
    });
  cli
    .command(
      "probe",
      "Probe which service tiers each Bedrock model × region offers (cached in .cache/model_capabilities.json)",
    )
    .option("--model <substr>", "Only models whose model_id contains this")
    .option("--region <region>", "Only this region")
    .option("--tier <tier>", "Only this tier: default | priority | flex")
    .option("--force", "Probe again even when the profiles are unchanged")
    .option("-c, --config <file>", "Config file (for the profile files)")
    .option("--models <file>", "Model profiles (360-eval JSONL or YAML)")
    .option("--judges <file>", "Judge profiles (360-eval JSONL or YAML)")
    .action(async (flags: Record<string, unknown>) => {
      const { probeCommand } = await import("./commands/probe.ts");
      const str = (k: string) => (flags[k] === undefined || flags[k] === true ? undefined : String(flags[k]));
      const opts = {
        model: str("model"),
        region: str("region"),
        tier: str("tier"),
        config: str("config"),
        models: str("models"),
        judges: str("judges"),
        force: flags.force === true ? true : undefined,
      };
      exitCode = await probeCommand(
        Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)),
        io,
      );
    });

  cli
    .command("ui", "Serve the local dashboard: set up, run, monitor and explore evaluations in a browser")
    .option("--port <port>", "Port (default: 4173; 0 picks a free one)")
    .option("--host <host>", "Interface to bind (default: 127.0.0.1)")
    .option("--open", "Open the dashboard in a browser")
    .option("--concurrency <n>", "Runs started from the dashboard that go at once (default: 1)")
    .option("-c, --config <file>", "Config file (for the output dir)")
    .option("--output-dir <dir>", "Where the runs are (default: outputs)")
    .action(async (flags: Record<string, unknown>) => {
      const { uiCommand } = await import("./commands/ui.ts");
      const num = (k: string, flag: string) => {
        if (flags[k] === undefined) return undefined;
        const v = Number(flags[k]);
        if (!Number.isFinite(v))
          throw new UsageError(`--${flag} must be a number (got "${String(flags[k])}")`);
        return v;
      };
      const opts = {
        port: num("port", "port"),
        concurrency: num("concurrency", "concurrency"),
        host: flags.host === undefined ? undefined : String(flags.host),
        open: flags.open === true ? true : undefined,
        config: typeof flags.config === "string" ? flags.config : undefined,
        outputDir: typeof flags.outputDir === "string" ? flags.outputDir : undefined,
      };
      exitCode = await uiCommand(
        Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)),
        io,
      );
    });

  cli.help();
  cli.version(packageVersion());
  // cac prints help and version with console.info: printed below, to io.stdout.
  cli.showHelpOnExit = false;
  cli.showVersionOnExit = false;

  let exitCode = 0;
  try {
    // The seed's benchmarks_run.py flags work under their own names, each with a note naming ours.
    const seed = translateSeedArgs(argv, (p) => existsSync(p));
    for (const note of seed.notes) io.stderr.write(`note: 360-eval flag ${note}\n`);
    cli.parse(["node", "evals", ...seed.argv], { run: false });
    if (cli.options.help) return printed(io, () => cli.outputHelp());
    if (cli.options.version)
      return cli.matchedCommandName === undefined ? printed(io, () => cli.outputVersion()) : 0;
    await cli.runMatchedCommand();
    return exitCode;
  } catch (err) {
    return presentError(err, io.stderr);
  }
}

/** Runs cac's synchronous `console.info` printer with its output going to io.stdout; exit code 0. */
function printed(io: CliIo, print: () => void): number {
  const info = console.info;
  console.info = (text: string) => io.stdout.write(`${text}\n`);
  try {
    print();
  } finally {
    console.info = info;
  }
  return 0;
}

/** Maps parsed flags onto StartOptions, validating number formats; ranges are checked by the config resolver. */
export function toStartOptions(filters: string[], f: Record<string, unknown>): StartOptions {
  const o: StartOptions = { filters: filters.map(String) };
  const str = (flag: string, key: string) => {
    const v = f[key];
    if (v === undefined) return undefined;
    if (typeof v === "boolean" || Array.isArray(v)) throw new UsageError(`--${flag} needs a value`);
    return String(v);
  };
  const num = (flag: string, key: string) => {
    const v = str(flag, key);
    if (v === undefined) return undefined;
    const n = Number(v);
    if (v.trim() === "" || !Number.isFinite(n))
      throw new UsageError(`--${flag} must be a number (got "${v}")`);
    return n;
  };
  const set = <K extends keyof StartOptions>(k: K, v: StartOptions[K] | undefined) => {
    if (v !== undefined) o[k] = v;
  };
  set("config", str("config", "config"));
  set("testNamePattern", str("testNamePattern", "testNamePattern"));
  set("models", str("models", "models"));
  set("judges", str("judges", "judges"));
  set("outputDir", str("output-dir", "outputDir"));
  set("threshold", num("threshold", "threshold"));
  const aggregate = str("aggregate", "aggregate");
  if (aggregate !== undefined && !["mean", "median", "majority"].includes(aggregate))
    throw new UsageError(`--aggregate must be mean, median or majority (got "${aggregate}")`);
  set("aggregate", aggregate as AggregateRule | undefined);
  set("quorum", num("quorum", "quorum"));
  const metrics = str("metrics", "metrics");
  if (metrics !== undefined)
    o.metrics = metrics
      .split(",")
      .map((m) => m.trim())
      .filter(Boolean);
  set("invocations", num("invocations", "invocations"));
  set("trials", num("trials", "trials"));
  set("experiments", num("experiments", "experiments"));
  set("temperatureVariations", num("temperature-variations", "temperatureVariations"));
  set("concurrency", num("concurrency", "concurrency"));
  set("workers", num("workers", "workers"));
  set("timeoutMs", num("timeout", "timeout"));
  set("caseTimeoutMs", num("case-timeout", "caseTimeout"));
  set("maxAttempts", num("max-attempts", "maxAttempts"));
  set("maxConcurrencyPerModel", num("max-concurrency-per-model", "maxConcurrencyPerModel"));
  set("minPassRate", num("min-pass-rate", "minPassRate"));
  set("minPassRatePerEval", num("min-pass-rate-per-eval", "minPassRatePerEval"));
  set("minPassRatePerModel", num("min-pass-rate-per-model", "minPassRatePerModel"));
  set("maxCost", num("max-cost", "maxCost"));
  set("maxP95TtftMs", num("max-p95-ttft-ms", "maxP95TtftMs"));
  set("baseline", str("baseline", "baseline"));
  set("significance", num("significance", "significance"));
  set("maxRegression", num("max-regression", "maxRegression"));
  set("maxScoreDrop", num("max-score-drop", "maxScoreDrop"));
  const mode = str("prompt-optimization", "promptOptimization");
  if (mode !== undefined && !["none", "optimize_only", "evaluate_both"].includes(mode))
    throw new UsageError(
      `--prompt-optimization must be none, optimize_only or evaluate_both (got "${mode}")`,
    );
  set("promptOptimization", mode as StartOptions["promptOptimization"]);
  set("experimentWaitMs", num("experiment-wait-ms", "experimentWaitMs"));
  set("invocationSleepMs", num("invocation-sleep-ms", "invocationSleepMs"));
  if (f.latencyOnly === true) o.latencyOnly = true;
  if (f.vision === false) o.vision = false;
  set("name", str("name", "name"));
  if (f.threads === false) o.threads = false;
  if (f.stream === false) o.stream = false;
  if (f.passWithNoEvals === true) o.passWithNoEvals = true;
  if (f.preflight === false) o.preflight = false;
  if (f.strict === true) o.strict = true;
  if (f.bail !== undefined) o.bail = f.bail === true ? 1 : (num("bail", "bail") as number);
  set("resume", str("resume", "resume"));
  set("shard", str("shard", "shard"));
  if (f.changed !== undefined) o.changed = f.changed === true ? true : String(f.changed);
  set("summaryModel", str("summary-model", "summaryModel"));
  const cache = str("cache", "cache");
  if (cache !== undefined && !["off", "on", "replay"].includes(cache))
    throw new UsageError(`--cache must be off, on or replay (got "${cache}")`);
  set("cache", cache as StartOptions["cache"]);
  set("retryErrors", str("retry-errors", "retryErrors"));
  if (f.reporter !== undefined) o.reporters = ([] as unknown[]).concat(f.reporter).map(String);
  if (typeof f.outputFile === "string" && o.reporters?.length === 1) {
    // Like Vitest: with a single reporter, a plain --outputFile is that reporter's.
    o.outputFile = { [o.reporters[0] as string]: f.outputFile };
  } else if (f.outputFile !== undefined) {
    if (typeof f.outputFile !== "object" || f.outputFile === null)
      throw new UsageError(
        "--outputFile needs a reporter name when several reporters run, e.g. --outputFile.junit=reports/junit.xml",
      );
    o.outputFile = Object.fromEntries(Object.entries(f.outputFile).map(([k, v]) => [k, String(v)]));
  }
  return o;
}
