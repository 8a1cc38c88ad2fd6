import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadYamlConfig } from "../../../src/config/load.ts";
import { validateUserConfig } from "../../../src/config/schema.ts";
import { formatProblem } from "../../../src/errors.ts";

const FIXTURES = join(import.meta.dirname, "..", "..", "..", "fixtures", "config");
const check = (value: unknown) => validateUserConfig(value, "evals.config.ts").problems.map(formatProblem);

describe("validateUserConfig", () => {
  it("accepts every option of a complete config", () => {
    const rel = "fixtures/config/evals.config.yaml";
    const { value, locate } = loadYamlConfig(readFileSync(join(FIXTURES, "evals.config.yaml"), "utf8"), rel);
    const r = validateUserConfig(value, rel, locate);
    expect(r.problems).toEqual([]);
    expect(r.config).toEqual({
      include: ["evals/**/*.eval.{jsonl,ts}"],
      exclude: ["**/node_modules/**", "**/outputs/**"],
      models: "../profiles/models.yaml",
      judges: "../profiles/judges.yml",
      jury: { threshold: 3.5, aggregate: "median", quorum: 1, metrics: ["brand voice"] },
      run: {
        concurrency: 4,
        workers: 2,
        threads: false,
        invocations: 2,
        experiments: 3,
        temperatureVariations: 1,
        stream: false,
        timeoutMs: 30000,
        bail: 5,
      },
      gate: { minPassRate: 0.9 },
      reporters: ["default", ["junit", { outputFile: "reports/junit.xml" }]],
      outputDir: "out",
    });
  });

  it("accepts an empty config", () => {
    expect(check({})).toEqual([]);
  });

  it("names the YAML line, the dotted path and the rule of every problem", () => {
    const rel = "fixtures/config/invalid.config.yaml";
    const { value, locate } = loadYamlConfig(
      readFileSync(join(FIXTURES, "invalid.config.yaml"), "utf8"),
      rel,
    );
    expect(validateUserConfig(value, rel, locate).problems.map(formatProblem)).toEqual([
      `${rel}:2: jury.threshold: must be a number from 1 to 5 (got 9)`,
      `${rel}:3: jury.aggregate: must be mean, median or majority (got "mode")`,
      `${rel}:5: run.concurency: unknown option (known: concurrency, workers, threads, invocations, experiments, temperatureVariations, stream, timeoutMs, bail, maxConcurrencyPerModel, caseTimeoutMs, workerMemoryMb, promptOptimization, experimentWaitMs, invocationSleepMs, latencyOnly, vision, retry)`,
      `${rel}:6: run.workers: must be a positive integer (got 0)`,
      `${rel}:8: reporters.0: must be a reporter name or [name, { outputFile: "..." }] (got 42)`,
    ]);
  });

  it("has no line for a TS config", () => {
    expect(check({ run: { concurrency: 2.5 }, gate: { minPassRate: 2 } })).toEqual([
      "evals.config.ts: run.concurrency: must be a positive integer (got 2.5)",
      "evals.config.ts: gate.minPassRate: must be a fraction from 0 to 1, e.g. 0.9 for 90% (got 2)",
    ]);
  });

  it("rejects unknown top-level options and wrong types", () => {
    expect(
      check({
        modles: "m.jsonl",
        include: "evals/**",
        jury: 3,
        run: { stream: "yes" },
        reporters: [["junit", { file: "x" }]],
      }),
    ).toEqual([
      'evals.config.ts: include: must be a list of strings (got "evals/**")',
      "evals.config.ts: jury: must be an object (got 3)",
      'evals.config.ts: run.stream: must be true or false (got "yes")',
      "evals.config.ts: reporters.0.1.file: unknown option (known: outputFile)",
      "evals.config.ts: modles: unknown option (known: include, exclude, models, judges, priceUnit, jury, run, gate, reporters, outputDir, cache)",
    ]);
  });

  it("rejects a config that is not an object", () => {
    expect(check([1])).toEqual([
      "evals.config.ts: must be an object: export default defineConfig({ ... }) (got a list)",
    ]);
    expect(check(null)).toEqual([
      "evals.config.ts: must be an object: export default defineConfig({ ... }) (got null)",
    ]);
  });
});
