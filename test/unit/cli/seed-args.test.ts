import { describe, expect, it } from "vitest";
import { seedProfilePath, translateSeedArgs, withSeedDefaults } from "../../../src/cli/seed-args.ts";
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
      "--reporter",
      "csv",
      "--no-vision",
      "--prompt-optimization",
      "none",
    ]);
    expect(notes).toHaveLength(15);
    expect(notes[0]).toBe("--output_dir → --output-dir benchmark_results");
    expect(notes).toContain("--sleep_between_invocations → --invocation-sleep-ms 3000");
    expect(notes).toContain("--report true → --reporter html --reporter csv");
  });

  it("takes --flag=value, leaves our own flags alone, and looks a profile name up in runs/ first", () => {
    const { argv, notes, given } = translateSeedArgs(
      ["--parallel_calls=8", "--concurrency", "2", "--model_file_name", "my/models.jsonl", "--report=false"],
      () => true,
    );
    expect(argv).toEqual([
      "--concurrency",
      "8",
      "--concurrency",
      "2",
      "--models",
      "runs/my/models.jsonl",
      "--reporter",
      "default",
      "--reporter",
      "csv",
    ]);
    expect(notes).toEqual([
      "--parallel_calls → --concurrency 8",
      "--model_file_name → --models runs/my/models.jsonl (in runs/, where 360-eval looks)",
      "--report false → --reporter csv (no HTML report)",
    ]);
    expect([...given]).toEqual(["parallel_calls", "model_file_name", "report"]);
  });

  it("translates --latency_only_mode and --stream_evaluation, in any case of true and false", () => {
    const t = (...args: string[]) => translateSeedArgs(args, () => false);
    expect(t("--latency_only_mode", "true").argv).toEqual(["--latency-only"]);
    expect(t("--latency_only_mode=True").argv).toEqual(["--latency-only"]);
    expect(t("--latency_only_mode", "FALSE").argv).toEqual([]);
    expect(t("--stream_evaluation", "False").argv).toEqual(["--no-stream"]);
    expect(t("--stream_evaluation", "true").argv).toEqual([]);
    expect(t("--latency_only_mode", "true", "--stream_evaluation", "false").notes).toEqual([
      "--latency_only_mode true → --latency-only",
      "--stream_evaluation false → --no-stream",
    ]);
    expect(t("--latency_only_mode", "false", "--stream_evaluation", "true").notes).toEqual([
      "--latency_only_mode false → (judged by the jury)",
      "--stream_evaluation true → (streamed)",
    ]);
    // The seed reads "1" as false (x.lower() == 'true'): refused rather than read either way.
    expect(() => t("--latency_only_mode", "1")).toThrow(
      '--latency_only_mode must be true or false (got "1"); 360-eval reads anything but "true" as false',
    );
  });

  it("resolves a profile name like the seed (runs/), then as a path, then in config/; none: names every place", () => {
    const only =
      (...paths: string[]) =>
      (p: string) =>
        paths.includes(p);
    const f = "--judge_file_name";
    expect(seedProfilePath(f, "j.jsonl", only("runs/j.jsonl", "config/j.jsonl")).path).toBe("runs/j.jsonl");
    expect(seedProfilePath(f, "./j.jsonl", only("runs/j.jsonl")).path).toBe("runs/j.jsonl");
    expect(seedProfilePath(f, "j.jsonl", only("j.jsonl", "config/j.jsonl"))).toEqual({
      path: "j.jsonl",
      why: "not in runs/, where 360-eval looks; found at j.jsonl",
    });
    expect(seedProfilePath(f, "j.jsonl", only("config/j.jsonl")).path).toBe("config/j.jsonl");
    expect(seedProfilePath(f, "/abs/j.jsonl", only("/abs/j.jsonl")).path).toBe("/abs/j.jsonl");
    expect(() => seedProfilePath(f, "j.jsonl", only())).toThrow(
      "--judge_file_name j.jsonl: no such file in runs/ (where 360-eval looks: runs/j.jsonl), nor at j.jsonl or config/j.jsonl",
    );
    expect(() => seedProfilePath(f, "/abs/j.jsonl", only())).toThrow(
      "--judge_file_name /abs/j.jsonl: no such file",
    );
  });

  it("a judge file found nowhere is no error in a latency-only run, which reads none (as in the seed)", () => {
    const latency = translateSeedArgs(
      ["--judge_file_name", "j.jsonl", "--latency_only_mode", "true"],
      () => false,
    );
    expect(latency.argv).toEqual(["--latency-only"]);
    expect(latency.notes).toEqual([
      "--latency_only_mode true → --latency-only",
      "--judge_file_name j.jsonl → (not found, and not read: a latency-only run has no jury)",
    ]);
    expect(translateSeedArgs(["--latency-only", "--judge_file_name", "j.jsonl"], () => false).argv).toEqual([
      "--latency-only",
    ]);
    expect(() => translateSeedArgs(["--judge_file_name", "j.jsonl"], () => false)).toThrow(
      "--judge_file_name j.jsonl: no such file in runs/",
    );
    expect(() =>
      translateSeedArgs(["--model_file_name", "m.jsonl", "--latency_only_mode", "true"], () => false),
    ).toThrow("--model_file_name m.jsonl: no such file in runs/");
  });

  it("fills the seed's defaults that differ from ours when seed flags are used, unless either name set them", () => {
    expect(withSeedDefaults({ filters: [] }, new Set())).toEqual({ options: { filters: [] } });
    const all = withSeedDefaults({ filters: [] }, new Set(["output_dir"]));
    expect(all.options).toEqual({
      filters: [],
      concurrency: 4,
      invocations: 2,
      invocationSleepMs: 3000,
      experiments: 2,
      vision: false,
      reporters: ["default", "html", "csv"],
    });
    expect(all.note).toBe(
      "360-eval defaults for its flags not given: --parallel_calls 4, --invocations_per_scenario 2, " +
        "--sleep_between_invocations 3, --experiment_counts 2, --vision_enabled false, --report true " +
        "→ --concurrency 4 --invocations 2 --invocation-sleep-ms 3000 --experiments 2 --no-vision --reporter html --reporter csv",
    );
    const some = withSeedDefaults(
      { filters: [], invocations: 5, reporters: ["json"] },
      new Set(["vision_enabled", "sleep_between_invocations", "parallel_calls"]),
    );
    expect(some.options).toEqual({ filters: [], invocations: 5, reporters: ["json"], experiments: 2 });
    expect(some.note).toBe(
      "360-eval defaults for its flags not given: --experiment_counts 2 → --experiments 2",
    );
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
