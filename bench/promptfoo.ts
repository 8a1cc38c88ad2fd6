// Side by side with promptfoo: the same S scenarios against the same simulator (own process; OpenAI-compatible,
// TTFT ttftMs, `tokens`-token answers at tokensPerS), one judge-style rubric check each, the same concurrency:
//   jury      — `evals` (our CLI) with an `openai-compatible/` model and 1 `openai-compatible/` judge at the simulator.
//   promptfoo — `promptfoo eval` with an `openai:chat` provider at the simulator and an `llm-rubric` assertion whose
//               grader is pointed at the simulator too (its reply length capped to our judge's, so both tools wait
//               the same simulated latency per call).
// Each tool runs `rounds` times, alternately, as a CLI child process; prints the median wall time and peak RSS
// (process.resourceUsage().maxRSS at exit, through a preloaded module) of each and the ratios.
// promptfoo is installed into a cache dir under the OS temp dir (support/npm-prefix.ts, shared with bench:peers;
// npm install --prefix; reused when already there), never a project dependency, pinned to the newest release
// whose engines admit Node 20.19 (0.121.x needs ^20.20, 0.122+ Node 22.22). Its telemetry, update check, sharing, remote generation, cache and log files are off.
//
// BENCH_VERBOSE=1 passes both tools' output through (to stderr).
//
//   node --import tsx --conditions jury-source bench/promptfoo.ts [scenarios=1000] [concurrency=64] [rounds=3] [ttftMs=100] [tokens=200] [tokensPerS=400]
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createFixtureProject } from "../test/support/fixture-project.ts";
import { outputOf } from "./support/child.ts";
import { installPackages } from "./support/npm-prefix.ts";
import {
  PROMPTFOO_VERSION,
  promptfooArgs,
  promptfooConfig,
  promptfooEntry,
  promptfooEnv,
  promptfooProvider,
  promptfooSummary,
} from "./support/promptfoo-project.ts";
import { simScenarios } from "./support/sim-scenarios.ts";
import { spawnSimulator } from "./support/spawn-simulator.ts";
import { median, megabytes, printTable, seconds } from "./support/table.ts";

const [scenarios = 1000, concurrency = 64, rounds = 3, ttftMs = 100, tokens = 200, tokensPerS = 400] =
  process.argv.slice(2).map(Number);
const REPO = fileURLToPath(new URL("..", import.meta.url));
const RSS_HOOK = new URL("./support/report-max-rss.mjs", import.meta.url).href;
const TSX = import.meta.resolve("tsx");
const API_KEY = "sk-bench-not-a-real-key";

// ─── promptfoo, installed into a temp dir (kept: bench:peers shares it) ──────────

const installed = installPackages([`promptfoo@${PROMPTFOO_VERSION}`]);
if (!installed.ok) throw new Error(installed.reason);
const install = installed.note;
const pfEntry = promptfooEntry(installed.dir);
const work = mkdtempSync(join(tmpdir(), "jury-bench-pf-"));
const pfEnv = promptfooEnv(work);
const version = spawnSync(process.execPath, [pfEntry, "--version"], {
  encoding: "utf8",
  env: { ...process.env, ...pfEnv },
});
if (version.status !== 0 || version.stdout.trim() !== PROMPTFOO_VERSION)
  throw new Error(`promptfoo ${PROMPTFOO_VERSION} does not run here: ${version.stderr || version.stdout}`);

// ─── the scenarios, the simulator, both projects ───────────────────────────────

const sim = await spawnSimulator({ ttftMs, tokensPerS, seed: "bench" });
const { cases, verdictTokens } = simScenarios(scenarios, tokens);
const rubric = "The response answers the question.";

const ours = createFixtureProject({
  "config/models_profiles.jsonl": JSON.stringify({
    model_id: "openai-compatible/sim",
    base_url: `${sim.url}/v1`,
  }),
  "config/judge_profiles.jsonl": JSON.stringify({
    model_id: "openai-compatible/judge",
    base_url: `${sim.url}/v1`,
  }),
  "evals/bench.eval.jsonl": cases
    .map(({ prompt, answer }) =>
      JSON.stringify({
        text_prompt: prompt,
        expected_output_tokens: tokens,
        task: { task_type: "Bench", task_criteria: rubric },
        golden_answer: answer,
      }),
    )
    .join("\n"),
});
const pfConfig = join(work, "promptfooconfig.yaml");
// The grader's prompt starts with a verdict, which the simulator's reply (it quotes the prompt) carries.
writeFileSync(
  pfConfig,
  promptfooConfig({
    target: promptfooProvider(`${sim.url}/v1`, "sim", tokens),
    graders: [promptfooProvider(`${sim.url}/v1`, "judge", verdictTokens)],
    prompts: cases.map(({ prompt }) => prompt),
    rubric,
  }),
);

// Our CLI: built when dist/ is current, else from the sources (tsx compiles on the fly: slower start-up).
const built = join(REPO, "dist/src/cli/index.js");
const distCurrent = existsSync(built) && newestSource(join(REPO, "src")) <= statSync(built).mtimeMs;
const evalsArgs = distCurrent
  ? [join(REPO, "bin/evals.js")]
  : ["--conditions", "jury-source", "--import", TSX, join(REPO, "bin/evals-source.mjs")];

interface Sample {
  wallMs: number;
  maxRssKb: number;
  requests: number;
  summary: string;
}

/** Runs one CLI child with the RSS hook; resolves with its wall time, peak RSS and the simulator requests it made. */
async function measure(
  args: string[],
  cwd: string,
  env: Record<string, string>,
  summarise: (out: string) => string,
): Promise<Sample> {
  const rssFile = join(work, "max-rss");
  rmSync(rssFile, { force: true });
  const before = total((await sim.stats()).requests);
  const t0 = performance.now();
  const child = spawn(process.execPath, ["--import", RSS_HOOK, ...args], {
    cwd,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...env, OPENAI_API_KEY: API_KEY, NO_COLOR: "1", BENCH_MAX_RSS_FILE: rssFile },
  });
  const { code, out } = await outputOf(child);
  const wallMs = performance.now() - t0;
  const requests = total((await sim.stats()).requests) - before;
  if (process.env.BENCH_VERBOSE) process.stderr.write(out);
  if (!existsSync(rssFile) || (code !== 0 && code !== 100))
    throw new Error(`${args.join(" ")} exited ${code}:\n${out.slice(-3000)}`);
  return { wallMs, maxRssKb: Number(readFileSync(rssFile, "utf8")), requests, summary: summarise(out) };
}

const runOurs = () =>
  measure(
    [...evalsArgs, "--concurrency", String(concurrency), "--no-preflight", "--min-pass-rate", "0"],
    ours,
    {},
    (out) => /^\s*Cases\b.*$/m.exec(out)?.[0].trim().replace(/\s+/g, " ") ?? "(no summary line)",
  );
const runPromptfoo = () =>
  measure(promptfooArgs(pfEntry, pfConfig, concurrency), work, pfEnv, promptfooSummary);

const jury: Sample[] = [];
const pf: Sample[] = [];
try {
  for (let r = 0; r < rounds; r++) {
    jury.push(await runOurs());
    pf.push(await runPromptfoo());
  }
} finally {
  await sim.close();
  rmSync(ours, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
}

const mid = (xs: Sample[], pick: (s: Sample) => number) => median(xs.map(pick));
const [jWall, pWall] = [mid(jury, (s) => s.wallMs), mid(pf, (s) => s.wallMs)];
const [jRss, pRss] = [mid(jury, (s) => s.maxRssKb), mid(pf, (s) => s.maxRssKb)];
const all = (xs: Sample[], f: (s: Sample) => string) => xs.map(f).join(", ");
printTable([
  ["machine cores", String(availableParallelism())],
  [
    "scenarios / concurrency / rounds",
    `${scenarios} / ${concurrency} / ${rounds} (alternating; medians), 1 rubric judge each`,
  ],
  [
    "simulator",
    `own process, TTFT ${ttftMs} ms, ${tokens} tokens at ${tokensPerS} tok/s; judge replies ${verdictTokens} tokens`,
  ],
  ["promptfoo", `${PROMPTFOO_VERSION} (${install})`],
  [
    "jury CLI",
    distCurrent ? "built (node bin/evals.js)" : "from sources (tsx; dist/ missing or older than src/)",
  ],
  ["jury: simulator requests per run", all(jury, (s) => String(s.requests))],
  ["promptfoo: simulator requests per run", all(pf, (s) => String(s.requests))],
  ["jury: result", jury[0]?.summary ?? "–"],
  ["promptfoo: result", pf[0]?.summary ?? "–"],
  ["jury: wall time (median; runs)", `${seconds(jWall)}; ${all(jury, (s) => seconds(s.wallMs))}`],
  ["promptfoo: wall time (median; runs)", `${seconds(pWall)}; ${all(pf, (s) => seconds(s.wallMs))}`],
  ["jury: peak RSS (median)", `${megabytes(jRss)}; ${all(jury, (s) => megabytes(s.maxRssKb))}`],
  ["promptfoo: peak RSS (median)", `${megabytes(pRss)}; ${all(pf, (s) => megabytes(s.maxRssKb))}`],
  ["wall time ratio promptfoo ÷ jury", (pWall / jWall).toFixed(2)],
  ["peak RSS ratio promptfoo ÷ jury", (pRss / jRss).toFixed(2)],
]);

function total(requests: Record<string, number>): number {
  return Object.values(requests).reduce((a, b) => a + b, 0);
}

function newestSource(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(
      newest,
      e.isDirectory() ? newestSource(p) : e.name.endsWith(".ts") ? statSync(p).mtimeMs : 0,
    );
  }
  return newest;
}
