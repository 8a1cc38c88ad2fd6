import { describe, expect, it } from "vitest";
import { translateSeedArgs } from "../../../src/cli/seed-args.ts";
import { SEED_ADVANCED_USAGE } from "../../support/seed-command.ts";

describe("translateSeedArgs", () => {
  const inConfig = (p: string) => p.startsWith("config/");

  it("maps the seed's Advanced-usage command line onto our flags, one note per flag", () => {
    const seed = [...SEED_ADVANCED_USAGE];
    const { argv, notes } = translateSeedArgs(seed, inConfig);
    expect(argv).toEqual([
      "input_file.jsonl",
      "--output-dir",
      "benchmark_results",
      "--concurrency",
      "4",
      "--invocations",
      "2",
      "--invocation-sleep-ms",
      "3000",
      "--experiments",
      "2",
      "--name",
      "My-Benchmark",
      "--experiment-wait-ms",
      "0",
      "--temperature-variations",
      "2",
      "--metrics",
      "business writing style, brand adherence",
      "--models",
      "config/models_profiles.jsonl",
      "--judges",
      "config/judge_profiles.jsonl",
      "--threshold",
      "3",
      "--reporter",
      "default",
      "--reporter",
      "html",
      "--no-vision",
      "--prompt-optimization",
      "none",
    ]);
    expect(notes).toHaveLength(15);
    expect(notes[0]).toBe("--output_dir → --output-dir benchmark_results");
    expect(notes).toContain("--sleep_between_invocations → --invocation-sleep-ms 3000");
    expect(notes).toContain("--report true → --reporter html");
  });

  it("takes --flag=value, leaves our own flags alone, and keeps profile paths that exist as given", () => {
    const { argv, notes } = translateSeedArgs(
      ["--parallel_calls=8", "--concurrency", "2", "--model_file_name", "my/models.jsonl", "--report=false"],
      () => true,
    );
    expect(argv).toEqual(["--concurrency", "8", "--concurrency", "2", "--models", "my/models.jsonl"]);
    expect(notes).toEqual([
      "--parallel_calls → --concurrency 8",
      "--model_file_name → --models my/models.jsonl",
      "--report false → (no HTML report)",
    ]);
  });

  it("rejects a seed flag without a value, a bad boolean and non-numeric seconds, naming our flag", () => {
    expect(() => translateSeedArgs(["--parallel_calls"], inConfig)).toThrow(
      "--parallel_calls needs a value (the seed's flag; ours is --concurrency)",
    );
    expect(() => translateSeedArgs(["--report", "maybe"], inConfig)).toThrow(
      '--report must be true or false (got "maybe")',
    );
    expect(() => translateSeedArgs(["--experiment_wait_time", "soon"], inConfig)).toThrow(
      '--experiment_wait_time must be a number of seconds (got "soon")',
    );
  });
});
