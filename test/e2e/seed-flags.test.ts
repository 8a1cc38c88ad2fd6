// Issue 18 points 1–3: the seed's flags still refused (--latency_only_mode, --stream_evaluation), its profile file
// lookup (runs/), and its defaults when a run is started with its flags (and its per-scenario metrics rule).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bmpToPng } from "../../src/providers/bmp-to-png.ts";
import { type Simulator, startSimulator } from "../../src/simulator/server.ts";
import type { RunReportWithResults as RunReport } from "../../src/types.ts";
import { pixels, writeBmp } from "../support/bitmaps.ts";
import { createFixtureProject } from "../support/fixture-project.ts";
import { runCli } from "../support/run-cli.ts";

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ ttftMs: 5, tokensPerS: 0, seed: "seed-flags" });
});
afterAll(() => sim.close());

const OPENAI = { OPENAI_API_KEY: "sk-simulated" };
const line = (o: object) => JSON.stringify(o);
const scenario = (prompt: string, extra: object = {}) =>
  line({
    text_prompt: prompt,
    task: { task_type: "Summarization", task_criteria: "Be brief." },
    golden_answer: "A short answer.",
    ...extra,
  });
const onlyRun = (root: string) => {
  const runs = readdirSync(join(root, "outputs", "runs"));
  expect(runs).toHaveLength(1);
  return join(root, "outputs", "runs", runs[0] as string);
};
const runReport = (root: string) =>
  JSON.parse(readFileSync(join(onlyRun(root), "run.json"), "utf8")) as RunReport;
const notes = (stderr: string) => stderr.split("\n").filter((l) => l.startsWith("note: "));
/** Mock judges score a simulated answer as they like: the gate is not what these tests are about. */
const NO_GATE = ["--min-pass-rate", "0"];
/** The seed's flags that keep a run short: one invocation, one experiment, no sleeps (its defaults: 2, 2, 3 s). */
const QUICK = [
  ...NO_GATE,
  "--invocations_per_scenario",
  "1",
  "--experiment_counts",
  "1",
  "--sleep_between_invocations",
  "0",
];

describe("--latency_only_mode and --stream_evaluation (point 1)", () => {
  it("a latency-only, non-streamed run: no jury, no judge file needed, TTFT is the whole call", async () => {
    const root = createFixtureProject({
      "runs/models.jsonl": line({ model_id: "openai/gpt-4o-mini", base_url: `${sim.url}/v1` }),
      "runs/input.jsonl": [scenario("One."), scenario("Two.")].join("\n"),
    });
    const r = await runCli(
      root,
      [
        "input.jsonl",
        "--model_file_name",
        "models.jsonl",
        "--latency_only_mode",
        "True",
        "--stream_evaluation",
        "false",
        ...QUICK,
      ],
      OPENAI,
    );
    expect(r.stderr).not.toMatch(/Unknown option|Error|at .*\.ts/);
    expect(r.code).toBe(0);
    expect(notes(r.stderr)).toEqual(
      expect.arrayContaining([
        "note: 360-eval flag --latency_only_mode True → --latency-only",
        "note: 360-eval flag --stream_evaluation false → --no-stream",
      ]),
    );
    const report = runReport(root);
    expect(report.config.run).toMatchObject({ latencyOnly: true, stream: false });
    expect(report.results).toHaveLength(2);
    for (const res of report.results) {
      expect(res.jury?.verdicts ?? []).toEqual([]);
      expect(res.metrics?.streamed).toBe(false);
      // Unstreamed, the first token arrives with the last (DESIGN §7): no decode throughput is claimed.
      expect(res.metrics?.ttftMs).toBe(res.metrics?.ttlbMs);
      expect(res.metrics?.otps).toBeUndefined();
    }
  }, 60_000);

  it("a latency-only run reads no judge file: the empty one the seed's dashboard leaves is no problem", async () => {
    const root = createFixtureProject({
      "runs/models_profiles.jsonl": line({ model_id: "mock/fast" }),
      "runs/judge_profiles.jsonl": "",
      "runs/input.jsonl": scenario("One."),
    });
    const args = ["input.jsonl", "--model_file_name", "models_profiles.jsonl", ...QUICK];
    const judged = await runCli(root, [...args, "--judge_file_name", "judge_profiles.jsonl"]);
    expect(judged.code).toBe(2);
    expect(judged.stderr).toContain("runs/judge_profiles.jsonl: no profiles");
    const r = await runCli(root, [
      ...args,
      "--judge_file_name",
      "judge_profiles.jsonl",
      "--latency_only_mode",
      "true",
    ]);
    expect(r.code).toBe(0);
    expect(runReport(root).config.judges).toEqual([]);
  }, 60_000);

  it("--stream_evaluation true and --latency_only_mode false keep our defaults: streamed and judged", async () => {
    const root = createFixtureProject({
      "config/models_profiles.jsonl": line({ model_id: "openai/gpt-4o-mini", base_url: `${sim.url}/v1` }),
      "config/judge_profiles.jsonl": line({ model_id: "mock/judge" }),
      "runs/input.jsonl": scenario("One."),
    });
    const r = await runCli(
      root,
      ["input.jsonl", "--latency_only_mode", "false", "--stream_evaluation", "TRUE", ...QUICK],
      OPENAI,
    );
    expect(r.code).toBe(0);
    const report = runReport(root);
    expect(report.config.run).toMatchObject({ latencyOnly: false, stream: true });
    expect(report.results[0]?.metrics?.streamed).toBe(true);
    expect(report.results[0]?.jury?.verdicts).toHaveLength(1);
  }, 60_000);

  it('a value the seed would silently read as false ("1") is refused: exit 2, nothing run', async () => {
    const root = createFixtureProject({ "runs/input.jsonl": scenario("One.") });
    const r = await runCli(root, ["input.jsonl", "--stream_evaluation", "1"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      '--stream_evaluation must be true or false (got "1"); 360-eval reads anything but "true" as false',
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(root, "outputs"))).toBe(false);
  });
});

describe("--model_file_name / --judge_file_name are looked up in runs/ like the seed (point 2)", () => {
  const project = () =>
    createFixtureProject({
      "config/models_profiles.jsonl": line({ model_id: "mock/from-config" }),
      "config/judge_profiles.jsonl": line({ model_id: "mock/judge-from-config" }),
      "runs/models_profiles.jsonl": line({ model_id: "mock/from-runs" }),
      "runs/judge_profiles.jsonl": line({ model_id: "mock/judge-from-runs" }),
      "runs/input.jsonl": scenario("One."),
    });

  it("runs/ wins when both runs/ and config/ have the file, and the console says which file was used", async () => {
    const root = project();
    const r = await runCli(root, [
      "input.jsonl",
      "--model_file_name",
      "models_profiles.jsonl",
      "--judge_file_name",
      "judge_profiles.jsonl",
      ...QUICK,
    ]);
    expect(r.code).toBe(0);
    expect(notes(r.stderr)).toEqual(
      expect.arrayContaining([
        "note: 360-eval flag --model_file_name → --models runs/models_profiles.jsonl (in runs/, where 360-eval looks)",
        "note: 360-eval flag --judge_file_name → --judges runs/judge_profiles.jsonl (in runs/, where 360-eval looks)",
      ]),
    );
    const report = runReport(root);
    expect(report.config.models.map((m) => m.key)).toEqual(["mock/from-runs"]);
    expect(report.config.judges.map((m) => m.key)).toEqual(["mock/judge-from-runs"]);
  }, 60_000);

  it("a file only in config/ is still found, and the note says it was not in runs/", async () => {
    const root = createFixtureProject({
      "config/models_profiles.jsonl": line({ model_id: "mock/from-config" }),
      "config/judge_profiles.jsonl": line({ model_id: "mock/judge" }),
      "runs/input.jsonl": scenario("One."),
    });
    const r = await runCli(root, ["input.jsonl", "--model_file_name", "models_profiles.jsonl", ...QUICK]);
    expect(r.code).toBe(0);
    expect(notes(r.stderr)).toContain(
      "note: 360-eval flag --model_file_name → --models config/models_profiles.jsonl (not in runs/, where 360-eval looks; found at config/models_profiles.jsonl)",
    );
    expect(runReport(root).config.models.map((m) => m.key)).toEqual(["mock/from-config"]);
  }, 60_000);

  it("a name found nowhere: exit 2 naming every place looked at, no stack, nothing written", async () => {
    const root = project();
    const r = await runCli(root, ["input.jsonl", "--judge_file_name", "judges-typo.jsonl"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      "--judge_file_name judges-typo.jsonl: no such file in runs/ (where 360-eval looks: runs/judges-typo.jsonl), nor at judges-typo.jsonl or config/judges-typo.jsonl",
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(root, "outputs"))).toBe(false);
  });
});

describe("a run started with seed flags takes the seed's defaults (point 3)", () => {
  const png = bmpToPng(
    writeBmp(
      pixels(2, 2, () => [200, 10, 10, 255]),
      { bpp: 24 },
    ),
  );

  it("2 invocations 3 s apart, 2 experiments, 4 in flight, images off, an HTML report: said in one line", async () => {
    const root = createFixtureProject({
      "config/models_profiles.jsonl": line({ model_id: "openai/gpt-4o-mini", base_url: `${sim.url}/v1` }),
      "config/judge_profiles.jsonl": line({ model_id: "mock/judge" }),
      "runs/input.jsonl": scenario("Describe it.", { url_image: "red.png" }),
      "runs/red.png": png,
    });
    const r = await runCli(root, ["input.jsonl", "--experiment_name", "Seedy", ...NO_GATE], OPENAI);
    expect(r.code).toBe(0);
    const defaults = notes(r.stderr).filter((l) => l.includes("360-eval defaults"));
    expect(defaults).toEqual([
      "note: 360-eval defaults for its flags not given: --parallel_calls 4, --invocations_per_scenario 2, " +
        "--sleep_between_invocations 3, --experiment_counts 2, --vision_enabled false, --report true " +
        "→ --concurrency 4 --invocations 2 --invocation-sleep-ms 3000 --experiments 2 --no-vision --reporter html --reporter csv",
    ]);
    const report = runReport(root);
    expect(report.config.run).toMatchObject({
      concurrency: 4,
      invocations: 2,
      experiments: 2,
      invocationSleepMs: 3000,
      vision: false,
    });
    expect(report.results).toHaveLength(4);
    // No image reached the model (the simulator describes every image it receives).
    for (const res of report.results) expect(res.output).not.toContain("[image");
    // Each second invocation started at least 3 s after the first one's request.
    for (const experiment of [1, 2]) {
      const at = (invocation: number) => {
        const c = report.cases.find((x) => x.experiment === experiment && x.invocation === invocation);
        const res = report.results.find((x) => x.caseId === c?.id);
        return Date.parse(res?.metrics?.startedAt ?? "");
      };
      expect(at(2) - at(1)).toBeGreaterThanOrEqual(3000);
    }
    expect(existsSync(join(root, "outputs", "report.html"))).toBe(true);
  }, 90_000);

  it("a seed flag or our own flag given keeps its value; our flags alone take no seed default", async () => {
    const root = createFixtureProject({
      "config/models_profiles.jsonl": line({ model_id: "openai/gpt-4o-mini", base_url: `${sim.url}/v1` }),
      "config/judge_profiles.jsonl": line({ model_id: "mock/judge" }),
      "runs/input.jsonl": scenario("Describe it.", { url_image: "red.png" }),
      "runs/red.png": png,
    });
    const r = await runCli(
      root,
      [
        "input.jsonl",
        "--vision_enabled",
        "true",
        "--invocations",
        "1",
        "--experiments",
        "1",
        "--reporter",
        "json",
        ...NO_GATE,
      ],
      OPENAI,
    );
    expect(r.code).toBe(0);
    expect(notes(r.stderr)).toContain(
      "note: 360-eval defaults for its flags not given: --parallel_calls 4, --sleep_between_invocations 3 " +
        "→ --concurrency 4 --invocation-sleep-ms 3000",
    );
    const report = runReport(root);
    expect(report.config.run).toMatchObject({ invocations: 1, experiments: 1, vision: true });
    expect(report.results[0]?.output).toContain("[image image/png");
    expect(existsSync(join(root, "outputs", "report.html"))).toBe(false);

    const ours = await runCli(root, ["input.jsonl", ...NO_GATE], OPENAI);
    expect(ours.code).toBe(0);
    expect(ours.stderr).not.toContain("360-eval");
  }, 90_000);

  it("in a seed-format file a scenario's user_defined_metrics replace the global list; with a $eval header they add", async () => {
    const root = createFixtureProject({
      "config/models_profiles.jsonl": line({ model_id: "mock/m", mock: { quality: 1 } }),
      "config/judge_profiles.jsonl": line({ model_id: "mock/judge" }),
      "evals/seed.eval.jsonl": [
        scenario("Own metrics.", { id: "own", user_defined_metrics: "brand voice" }),
        scenario("No metrics.", { id: "none" }),
      ].join("\n"),
      "evals/ours.eval.jsonl": [
        line({ $eval: { name: "ours" } }),
        scenario("Own metrics.", { id: "own", user_defined_metrics: "brand voice" }),
      ].join("\n"),
    });
    const r = await runCli(root, ["--user_defined_metrics", "clarity", ...QUICK]);
    expect(r.code).toBe(0);
    const report = runReport(root);
    const dims = (file: string, key: string) => {
      const c = report.cases.find((x) => x.file === file && x.scenarioKey === key);
      const res = report.results.find((x) => x.caseId === c?.id);
      return res?.jury?.dimensions.map((d) => d.key).slice(6);
    };
    expect(dims("evals/seed.eval.jsonl", "own")).toEqual(["brand_voice"]);
    expect(dims("evals/seed.eval.jsonl", "none")).toEqual(["clarity"]);
    expect(dims("evals/ours.eval.jsonl", "own")).toEqual(["clarity", "brand_voice"]);
  }, 60_000);
});
