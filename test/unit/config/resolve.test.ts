import { availableParallelism } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { resolveConfig } from "../../../src/config/resolve.ts";
import { formatProblem, InputError, UsageError } from "../../../src/errors.ts";
import type { StartOptions } from "../../../src/types.ts";
import { createFixtureProject } from "../../support/fixture-project.ts";

const PROFILES = {
  "config/models_profiles.jsonl": '{"model_id": "mock/a"}\n{"model_id": "mock/b"}\n',
  "config/judge_profiles.jsonl": '{"model_id": "mock/j1"}\n{"model_id": "mock/j2"}\n',
};

async function problemsOf(options: StartOptions): Promise<string[]> {
  const err = await resolveConfig(options).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(InputError);
  return (err as InputError).problems.map(formatProblem);
}

describe("resolveConfig: defaults", () => {
  it("uses the defaults without a config file", async () => {
    const root = createFixtureProject(PROFILES);
    const { config, warnings } = await resolveConfig({ root });
    expect(warnings).toEqual([]);
    expect(config).toEqual({
      root,
      include: ["**/*.eval.jsonl", "**/*.eval.ts"],
      exclude: ["**/node_modules/**", "**/outputs/**", "**/dist/**", "**/.git/**"],
      filters: [],
      modelsFile: join(root, "config/models_profiles.jsonl"),
      judgesFile: join(root, "config/judge_profiles.jsonl"),
      models: [expect.objectContaining({ key: "mock/a" }), expect.objectContaining({ key: "mock/b" })],
      judges: [expect.objectContaining({ key: "mock/j1" }), expect.objectContaining({ key: "mock/j2" })],
      priceUnits: [
        expect.objectContaining({ file: "config/models_profiles.jsonl", unit: "per_1k", stated: false }),
        expect.objectContaining({ file: "config/judge_profiles.jsonl", unit: "per_1k", stated: false }),
      ],
      jury: { threshold: 3, aggregate: "mean", metrics: [] },
      run: {
        concurrency: 8,
        workers: Math.min(4, availableParallelism()),
        threads: true,
        invocations: 1,
        experiments: 1,
        temperatureVariations: 0,
        stream: true,
        timeoutMs: 120_000,
        bail: 0,
        retry: { maxAttempts: 4, baseMs: 500, capMs: 20_000, maxTotalMs: 60_000 },
        maxConcurrencyPerModel: 0,
        caseTimeoutMs: 600_000,
        promptOptimization: "none",
        experimentWaitMs: 0,
        invocationSleepMs: 0,
        latencyOnly: false,
        vision: true,
      },
      gate: { minPassRate: 1, significance: 0.05 },
      reporters: [{ name: "default" }],
      outputDir: join(root, "outputs"),
      passWithNoEvals: false,
      cache: "off",
    });
    expect(config.jury.quorum).toBeUndefined();
  });

  it("passes filters, the name pattern and --pass-with-no-evals through", async () => {
    const root = createFixtureProject(PROFILES);
    const { config } = await resolveConfig({
      root,
      filters: ["sql"],
      testNamePattern: "nova",
      passWithNoEvals: true,
    });
    expect([config.filters, config.testNamePattern, config.passWithNoEvals]).toEqual([["sql"], "nova", true]);
  });

  it("returns the profiles' warnings", async () => {
    const root = createFixtureProject({
      ...PROFILES,
      "config/models_profiles.jsonl": '{"model_id": "us.amazon.nova-pro-v1:0", "region": "us-east-1"}\n',
    });
    const { config, warnings } = await resolveConfig({ root });
    expect(config.models.map((m) => m.key)).toEqual(["bedrock/us.amazon.nova-pro-v1:0@us-east-1"]);
    expect(warnings.map(formatProblem)).toEqual([
      'config/models_profiles.jsonl:1: model_id: "us.amazon.nova-pro-v1:0" has no provider prefix (older 360-eval format); loaded as "bedrock/us.amazon.nova-pro-v1:0" — write that to silence this',
    ]);
  });
});

describe("resolveConfig: config file", () => {
  it("loads config/evals.config.ts importing defineConfig from jury, with paths relative to it", async () => {
    const root = createFixtureProject({
      "config/profiles/m.jsonl": '{"model_id": "mock/from-config"}',
      "config/profiles/j.yaml": "- model_id: mock/judge",
      "config/my-reporter.ts": "export default {};\n",
      "config/evals.config.ts": `import { defineConfig } from "jury";
export default defineConfig({
  include: ["evals/**/*.eval.jsonl"],
  models: "profiles/m.jsonl",
  judges: "./profiles/j.yaml",
  jury: { threshold: 4, quorum: 1, metrics: ["tone"] },
  run: { concurrency: 3, threads: false },
  reporters: ["default", ["junit", { outputFile: "../reports/j.xml" }], "json", "./my-reporter.ts"],
  outputDir: "../out",
});
`,
    });
    const { config } = await resolveConfig({ root });
    expect(config.configFile).toBe(join(root, "config/evals.config.ts"));
    expect(config.include).toEqual(["evals/**/*.eval.jsonl"]);
    expect(config.modelsFile).toBe(join(root, "config/profiles/m.jsonl"));
    expect(config.models.map((m) => [m.key, m.source.file])).toEqual([
      ["mock/from-config", "config/profiles/m.jsonl"],
    ]);
    expect(config.judges.map((m) => m.key)).toEqual(["mock/judge"]);
    expect(config.jury).toEqual({ threshold: 4, aggregate: "mean", quorum: 1, metrics: ["tone"] });
    expect(config.run).toMatchObject({ concurrency: 3, threads: false, invocations: 1 });
    expect(config.outputDir).toBe(join(root, "out"));
    expect(config.reporters).toEqual([
      { name: "default" },
      { name: "junit", outputFile: join(root, "reports/j.xml") },
      { name: "json", outputFile: join(root, "out/report.json") },
      { name: "./config/my-reporter.ts" },
    ]);
  });

  it("prefers ./evals.config.* over ./config/evals.config.*, and --config over both", async () => {
    const root = createFixtureProject({
      ...PROFILES,
      "evals.config.yaml": "jury:\n  threshold: 2\n",
      "config/evals.config.yaml": "jury:\n  threshold: 4\n",
      "ci/evals.yaml": "jury:\n  threshold: 5\n",
    });
    expect((await resolveConfig({ root })).config.jury.threshold).toBe(2);
    const explicit = (await resolveConfig({ root, config: "ci/evals.yaml" })).config;
    expect([explicit.configFile, explicit.jury.threshold]).toEqual([join(root, "ci/evals.yaml"), 5]);
  });

  it("takes the command line over the config, and the config over the defaults", async () => {
    const root = createFixtureProject({
      ...PROFILES,
      "other/m.jsonl": '{"model_id": "mock/cli"}',
      "config/evals.config.yaml": [
        "jury: { threshold: 4, aggregate: median, metrics: [tone] }",
        "run: { invocations: 2, concurrency: 6, stream: false, bail: 3 }",
        "gate: { minPassRate: 0.8 }",
        "outputDir: out",
      ].join("\n"),
    });
    const fromFile = (await resolveConfig({ root })).config;
    expect(fromFile.jury).toEqual({ threshold: 4, aggregate: "median", metrics: ["tone"] });
    expect(fromFile.run).toMatchObject({
      invocations: 2,
      concurrency: 6,
      stream: false,
      bail: 3,
      experiments: 1,
    });
    expect(fromFile.gate.minPassRate).toBe(0.8);
    expect(fromFile.outputDir).toBe(join(root, "config/out"));

    const cli = (
      await resolveConfig({
        root,
        models: "other/m.jsonl",
        threshold: 2.5,
        aggregate: "majority",
        quorum: 2,
        metrics: ["clarity"],
        invocations: 5,
        experiments: 2,
        temperatureVariations: 1,
        stream: true,
        bail: 0,
        timeoutMs: 1000,
        minPassRate: 0.5,
        outputDir: "cli-out",
      })
    ).config;
    expect(cli.models.map((m) => m.key)).toEqual(["mock/cli"]);
    expect(cli.jury).toEqual({ threshold: 2.5, aggregate: "majority", quorum: 2, metrics: ["clarity"] });
    expect(cli.run).toMatchObject({
      invocations: 5,
      experiments: 2,
      temperatureVariations: 1,
      concurrency: 6,
      stream: true,
      bail: 0,
      timeoutMs: 1000,
    });
    expect(cli.gate.minPassRate).toBe(0.5);
    expect(cli.outputDir).toBe(join(root, "cli-out"));
  });
});

describe("resolveConfig: reporters", () => {
  const root = createFixtureProject({
    ...PROFILES,
    "evals.config.yaml": "reporters:\n  - default\n  - [junit, { outputFile: reports/junit.xml }]\n",
  });

  it("takes the config's list, with outputFile relative to the config file", async () => {
    expect((await resolveConfig({ root })).config.reporters).toEqual([
      { name: "default" },
      { name: "junit", outputFile: join(root, "reports/junit.xml") },
    ]);
  });

  it("attaches --outputFile.<name> to a listed reporter, relative to the root", async () => {
    const { config } = await resolveConfig({ root, outputFile: { junit: "ci/junit.xml" } });
    expect(config.reporters).toEqual([
      { name: "default" },
      { name: "junit", outputFile: join(root, "ci/junit.xml") },
    ]);
  });

  it("adds no reporter for an --outputFile.<name> that is not listed", async () => {
    const { config } = await resolveConfig({ root, outputFile: { json: "r.json" } });
    expect(config.reporters.map((r) => r.name)).toEqual(["default", "junit"]);
  });

  it("replaces the config's list with --reporter, keeping --outputFile for the reporters added", async () => {
    const { config } = await resolveConfig({
      root,
      reporters: ["json", "junit"],
      outputFile: { json: "r.json" },
    });
    expect(config.reporters).toEqual([
      { name: "json", outputFile: join(root, "r.json") },
      { name: "junit", outputFile: join(root, "outputs/junit.xml") },
    ]);
  });
});

describe("resolveConfig: problems", () => {
  it("reports the config's and both profile files' problems at once", async () => {
    const root = createFixtureProject({
      "config/models_profiles.jsonl": '{"model_id": "bedrock/x"}\n',
      "config/judge_profiles.jsonl": "{bad\n",
      "evals.config.yaml": "jury:\n  threshold: 9\nrun:\n  concurency: 3\n",
    });
    expect(await problemsOf({ root })).toEqual([
      "evals.config.yaml:2: jury.threshold: must be a number from 1 to 5 (got 9)",
      "evals.config.yaml:4: run.concurency: unknown option (known: concurrency, workers, threads, invocations, experiments, temperatureVariations, stream, timeoutMs, bail, maxConcurrencyPerModel, caseTimeoutMs, workerMemoryMb, promptOptimization, experimentWaitMs, invocationSleepMs, latencyOnly, vision, retry)",
      'config/models_profiles.jsonl:1: region: required for bedrock/ models: add "region": "us-east-1" (or the region to call)',
      expect.stringMatching(/^config\/judge_profiles\.jsonl:1: invalid JSON /),
    ]);
  });

  it("still reads the profile files an invalid config names", async () => {
    const root = createFixtureProject({
      "p/m.jsonl": '{"model_id": "openai/gpt-4o", "service_tier": "fast"}\n',
      "p/j.jsonl": '{"model_id": "mock/j"}\n',
      "evals.config.yaml": "models: p/m.jsonl\njudges: p/j.jsonl\noutputdir: out\n",
    });
    expect(await problemsOf({ root })).toEqual([
      "evals.config.yaml:3: outputdir: unknown option (known: include, exclude, models, judges, priceUnit, jury, run, gate, reporters, outputDir, cache)",
      'p/m.jsonl:1: service_tier: must be one of default, priority, flex (got "fast")',
    ]);
  });

  it("names the missing judge file and the fix", async () => {
    const root = createFixtureProject({
      "config/models_profiles.jsonl": PROFILES["config/models_profiles.jsonl"],
    });
    expect(await problemsOf({ root })).toEqual([
      'config/judge_profiles.jsonl: no judge profile file: create it with one judge per line, e.g. {"model_id": "bedrock/us.amazon.nova-premier-v1:0", "region": "us-east-2"}, or point --judges (or judges in the config) at one',
    ]);
    expect(await problemsOf({ root, judges: "j.jsonl", models: "m.jsonl" })).toEqual([
      "m.jsonl: model profile file not found (set by --models); check the path",
      "j.jsonl: judge profile file not found (set by --judges); check the path",
    ]);
  });

  it("names the config key that pointed at a missing profile file", async () => {
    const root = createFixtureProject({ ...PROFILES, "config/evals.config.yaml": "judges: judges.jsonl\n" });
    expect(await problemsOf({ root })).toEqual([
      "config/judges.jsonl: judge profile file not found (set by judges in config/evals.config.yaml); check the path",
    ]);
  });

  it("reports an empty judge file", async () => {
    const root = createFixtureProject({ ...PROFILES, "config/judge_profiles.jsonl": "\n" });
    expect(await problemsOf({ root })).toEqual([
      'config/judge_profiles.jsonl: no profiles: add one per line, e.g. {"model_id": "openai/gpt-4o", "input_cost_per_1k": 0.0025}',
    ]);
  });

  it("rejects a quorum above the number of judges", async () => {
    const root = createFixtureProject({ ...PROFILES, "evals.config.yaml": "jury:\n  quorum: 3\n" });
    expect(await problemsOf({ root })).toEqual([
      "evals.config.yaml:2: jury.quorum: quorum 3 is more than the 2 judge(s) in config/judge_profiles.jsonl; lower it or add judges",
    ]);
    await expect(resolveConfig({ root, quorum: 4 })).rejects.toThrow(
      "--quorum 4 is more than the 2 judge(s) in config/judge_profiles.jsonl",
    );
    expect((await resolveConfig({ root, quorum: 2 })).config.jury.quorum).toBe(2);
  });
});

describe("resolveConfig: command-line ranges", () => {
  const root = createFixtureProject(PROFILES);
  const cases: [StartOptions, string][] = [
    [{ threshold: 0.5 }, "--threshold must be between 1 and 5 (got 0.5)"],
    [{ threshold: 6 }, "--threshold must be between 1 and 5 (got 6)"],
    [{ threshold: Number.NaN }, "--threshold must be between 1 and 5 (got NaN)"],
    [{ minPassRate: 1.5 }, "--min-pass-rate must be between 0 and 1 (got 1.5)"],
    [{ minPassRate: -0.1 }, "--min-pass-rate must be between 0 and 1 (got -0.1)"],
    [{ concurrency: 0 }, "--concurrency must be a positive integer (got 0)"],
    [{ workers: 1.5 }, "--workers must be a positive integer (got 1.5)"],
    [{ invocations: -1 }, "--invocations must be a positive integer (got -1)"],
    [{ experiments: 0 }, "--experiments must be a positive integer (got 0)"],
    [{ temperatureVariations: -1 }, "--temperature-variations must be an integer ≥ 0 (got -1)"],
    [{ temperatureVariations: 0.5 }, "--temperature-variations must be an integer ≥ 0 (got 0.5)"],
    [{ quorum: 0 }, "--quorum must be a positive integer (got 0)"],
    [{ bail: -1 }, "--bail must be an integer ≥ 0 (got -1)"],
    [{ timeoutMs: 0 }, "--timeout must be a positive integer (got 0)"],
    [{ aggregate: "mode" as "mean" }, '--aggregate must be mean, median or majority (got "mode")'],
  ];
  it.each(cases)("%o → %s", async (options, message) => {
    const err = await resolveConfig({ root, ...options }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).message).toBe(message);
  });

  it("accepts the edges of each range", async () => {
    const { config } = await resolveConfig({
      root,
      threshold: 5,
      minPassRate: 0,
      temperatureVariations: 0,
      bail: 0,
    });
    expect([config.jury.threshold, config.gate.minPassRate, config.run.temperatureVariations]).toEqual([
      5, 0, 0,
    ]);
  });
});

describe("resolveConfig: workers", () => {
  it("never runs more workers than cases in flight, and says so when asked for more", async () => {
    const root = createFixtureProject(PROFILES);
    const clamped = await resolveConfig({ root, concurrency: 2, workers: 4 });
    expect(clamped.config.run.workers).toBe(2);
    expect(clamped.warnings.map(formatProblem)).toEqual([
      "--workers: 4 workers for 2 cases in flight: using 2 workers",
    ]);
    const quiet = await resolveConfig({ root, concurrency: 1 });
    expect([quiet.config.run.workers, quiet.warnings]).toEqual([1, []]);
  });

  it("runs half the cores' threads (1–4) when every model is live, min(4, cores) when one is mock/", async () => {
    const live = {
      "config/models_profiles.jsonl":
        '{"model_id": "openai-compatible/m", "base_url": "http://127.0.0.1:9/v1"}\n',
      "config/judge_profiles.jsonl":
        '{"model_id": "openai/gpt-4o-mini"}\n{"model_id": "anthropic/claude-haiku-4-5"}\n',
    };
    const half = Math.max(1, Math.min(4, Math.floor(availableParallelism() / 2)));
    const all = Math.min(4, availableParallelism());
    const workersOf = async (files: Record<string, string>, options: Partial<StartOptions> = {}) =>
      (await resolveConfig({ root: createFixtureProject(files), concurrency: 32, ...options })).config.run
        .workers;
    expect(await workersOf(live)).toBe(half);
    // One mock/ judge among live models: its cases are CPU work in the threads.
    expect(
      await workersOf({
        ...live,
        "config/judge_profiles.jsonl": '{"model_id": "openai/gpt-4o-mini"}\n{"model_id": "mock/j"}\n',
      }),
    ).toBe(all);
    expect(await workersOf(PROFILES)).toBe(all);
    // Asked for, by flag or config, the count is the one asked for.
    expect(await workersOf(live, { workers: 3 })).toBe(3);
    expect(await workersOf({ ...live, "evals.config.yaml": "run:\n  workers: 2\n" })).toBe(2);
  });

  it("names the config key when the config asks for too many", async () => {
    const root = createFixtureProject({
      ...PROFILES,
      "evals.config.yaml": "run:\n  concurrency: 2\n  workers: 3\n",
    });
    const { config, warnings } = await resolveConfig({ root });
    expect(config.run.workers).toBe(2);
    expect(warnings.map(formatProblem)).toEqual([
      "evals.config.yaml: run.workers: 3 workers for 2 cases in flight: using 2 workers",
    ]);
  });
});
