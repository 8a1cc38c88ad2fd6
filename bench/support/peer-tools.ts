// The tools bench:peers runs side by side, each as a command in a project dir of its own, on the same work: `cases`
// scenarios, each 1 target call (model `target`) and 3 judge calls (models `judge-0`…`judge-2`) at the peer server,
// `concurrency` cases in flight.
import { mkdirSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { STANDARD_DIMENSIONS } from "../../src/discovery/metric-keys.ts";
import { buildJudgePrompt } from "../../src/jury/prompt.ts";
import { installPackages } from "./npm-prefix.ts";
import {
  PROMPTFOO_VERSION,
  promptfooArgs,
  promptfooConfig,
  promptfooEntry,
  promptfooEnv,
  promptfooProvider,
  promptfooSummary,
} from "./promptfoo-project.ts";

export const JUDGES = 3;
export const API_KEY = "sk-bench-not-a-real-key";
const RUBRIC = "The response answers the question.";
const GOLDEN = "Paris.";
const TARGET_MAX_TOKENS = 64;
const JUDGE_MAX_TOKENS = 256;
const prompt = (i: number | string) => `Question ${i}: what is the capital of France?`;
const judgeModels = Array.from({ length: JUDGES }, (_, j) => `judge-${j}`);

/** What a tool's run needs: its command (argv[0] is run with this Node), where, with what env, and how to read it. */
export interface PreparedRun {
  argv: string[];
  cwd: string;
  env: Record<string, string>;
  /** Cases passed and in all, read from the tool's output; `summary` its own summary line. */
  outcome(out: string): { passed: number; summary: string };
}

export interface PeerTool {
  name: string;
  /** Version(s) and where it comes from. */
  label: string;
  /** Writes the tool's project for `cases` into `dir` (empty, removed by the caller). */
  prepare(dir: string, cases: number, concurrency: number, serverUrl: string): PreparedRun;
}

export type Unavailable = { name: string; reason: string };

/** jury as users run it: its built CLI (`node bin/evals.js` of `repo`), `openai-compatible/` model and judges. */
export function juryTool(repo: string): PeerTool {
  const bin = join(repo, "bin/evals.js");
  return {
    name: "jury",
    label: `built CLI ${bin}`,
    prepare(dir, cases, concurrency, serverUrl) {
      const profile = (model: string) =>
        JSON.stringify({ model_id: `openai-compatible/${model}`, base_url: `${serverUrl}/v1` });
      const lines: string[] = [];
      for (let i = 0; i < cases; i++)
        lines.push(
          JSON.stringify({
            text_prompt: prompt(i),
            expected_output_tokens: TARGET_MAX_TOKENS,
            task: { task_type: "Bench", task_criteria: RUBRIC },
            golden_answer: GOLDEN,
          }),
        );
      write(dir, {
        "config/models_profiles.jsonl": profile("target"),
        "config/judge_profiles.jsonl": judgeModels.map(profile).join("\n"),
        "evals/bench.eval.jsonl": lines.join("\n"),
      });
      return {
        argv: [bin, "--concurrency", String(concurrency)],
        cwd: dir,
        env: { NO_COLOR: "1" },
        outcome(out) {
          const line = /^\s*Cases\s+(.*)$/m.exec(out)?.[1]?.trim() ?? "(no summary line)";
          return { passed: count(/([\d,]+) passed/.exec(line)?.[1]), summary: line };
        },
      };
    },
  };
}

/** The physical limit: the same calls from one plain Node process (support/bare-loop.mjs), no framework. */
export const bareTool: PeerTool = {
  name: "bare fetch",
  label: "bench/support/bare-loop.mjs (global fetch, no framework)",
  prepare(dir, cases, concurrency, serverUrl) {
    const target = JSON.stringify({
      model: "target",
      messages: [{ role: "user", content: prompt("@@CASE@@") }],
      max_tokens: TARGET_MAX_TOKENS,
      stream: true,
      stream_options: { include_usage: true },
    });
    // jury's own judge prompt (judge-v1, the six standard dimensions), so the bodies are the size jury sends.
    const { system, user } = buildJudgePrompt({
      taskType: "Bench",
      criteria: RUBRIC,
      prompt: prompt("@@CASE@@"),
      golden: GOLDEN,
      response: "@@RESPONSE@@",
      dimensions: STANDARD_DIMENSIONS,
    });
    const judges = judgeModels.map((model) =>
      JSON.stringify({
        model,
        messages: [
          { role: "system", content: system },
          { role: "user", content: user },
        ],
        temperature: 0,
        max_tokens: JUDGE_MAX_TOKENS,
        stream: false,
      }),
    );
    const work = join(dir, "work.json");
    writeFileSync(work, JSON.stringify({ url: serverUrl, cases, concurrency, target, judges }));
    return {
      argv: [fileURLToPath(new URL("./bare-loop.mjs", import.meta.url)), work],
      cwd: dir,
      env: {},
      outcome(out) {
        const line = /^BARE_RESULT (.*)$/m.exec(out)?.[1];
        const r = line ? (JSON.parse(line) as { passed: number; failures: number }) : undefined;
        return r
          ? { passed: r.passed, summary: `${r.passed} passed, ${r.failures} failed` }
          : { passed: 0, summary: "(no result line)" };
      },
    };
  },
};

/** promptfoo (PROMPTFOO_VERSION) from the npm cache dir: an `openai:chat` target, one `llm-rubric` per judge. */
export function promptfooTool(): PeerTool | Unavailable {
  const installed = installPackages([`promptfoo@${PROMPTFOO_VERSION}`]);
  if (!installed.ok) return { name: "promptfoo", reason: installed.reason };
  const entry = promptfooEntry(installed.dir);
  return {
    name: "promptfoo",
    label: `${PROMPTFOO_VERSION} (${installed.note})`,
    prepare(dir, cases, concurrency, serverUrl) {
      const base = `${serverUrl}/v1`;
      const config = join(dir, "promptfooconfig.yaml");
      writeFileSync(
        config,
        promptfooConfig({
          target: promptfooProvider(base, "target", TARGET_MAX_TOKENS),
          graders: judgeModels.map((m) => promptfooProvider(base, m, JUDGE_MAX_TOKENS)),
          prompts: Array.from({ length: cases }, (_, i) => prompt(i)),
          rubric: RUBRIC,
        }),
      );
      return {
        argv: promptfooArgs(entry, config, concurrency),
        cwd: dir,
        env: promptfooEnv(dir),
        outcome(out) {
          const summary = promptfooSummary(out);
          return { passed: count(/([\d,]+) passed/.exec(summary)?.[1]), summary };
        },
      };
    },
  };
}

export const EVALITE_PACKAGES = ["evalite@0.19.0", "vitest@4.1.12", "openai@6.49.0"];

/**
 * evalite (0.19, Vitest-based) from the npm cache dir: one eval whose task streams the target with the `openai` SDK
 * and whose 3 scorers each make one judge call with it (the `{reason, pass, score}` verdict's score). Its config sets
 * the concurrency (Vitest's maxConcurrency) and `--threshold 100` fails the run unless every score is 1.
 */
export function evaliteTool(): PeerTool | Unavailable {
  const installed = installPackages(EVALITE_PACKAGES);
  if (!installed.ok) return { name: "evalite", reason: installed.reason };
  const modules = join(installed.dir, "node_modules");
  return {
    name: "evalite",
    label: `${EVALITE_PACKAGES.join(", ")} (${installed.note})`,
    prepare(dir, cases, concurrency, serverUrl) {
      // Each installed package linked into the project's own node_modules (evalite keeps its database in
      // node_modules/.evalite: in the project, not in the shared install).
      mkdirSync(join(dir, "node_modules"));
      for (const name of readdirSync(modules))
        if (!name.startsWith(".")) symlinkSync(join(modules, name), join(dir, "node_modules", name), "dir");
      write(dir, {
        "package.json": '{ "private": true, "type": "module" }\n',
        "cases.json": JSON.stringify(Array.from({ length: cases }, (_, i) => prompt(i))),
        "evalite.config.ts": `import { defineConfig } from "evalite/config";
export default defineConfig({ maxConcurrency: ${concurrency}, testTimeout: 600_000, hideTable: true });
`,
        "bench.eval.ts": `import { readFileSync } from "node:fs";
import { createScorer, evalite } from "evalite";
import OpenAI from "openai";

const client = new OpenAI({ baseURL: ${JSON.stringify(`${serverUrl}/v1`)}, apiKey: ${JSON.stringify(API_KEY)}, maxRetries: 0 });
const prompts: string[] = JSON.parse(readFileSync(new URL("./cases.json", import.meta.url), "utf8"));

const judge = (model: string) =>
  createScorer<string, string, string>({
    name: model,
    scorer: async ({ input, output, expected }) => {
      const res = await client.chat.completions.create({
        model,
        max_tokens: ${JUDGE_MAX_TOKENS},
        temperature: 0,
        messages: [
          { role: "system", content: "You grade an output against a rubric. Reply with JSON only." },
          {
            role: "user",
            content: \`Reply like {"reason": "ok", "pass": true, "score": 1}. <Input>\${input}</Input> <Expected>\${expected}</Expected> <Output>\${output}</Output> <Rubric>${RUBRIC}</Rubric>\`,
          },
        ],
      });
      const verdict = JSON.parse(res.choices[0]?.message.content ?? "{}");
      return { score: verdict.pass ? verdict.score : 0, metadata: { reason: verdict.reason } };
    },
  });

evalite("bench", {
  data: () => prompts.map((input) => ({ input, expected: ${JSON.stringify(GOLDEN)} })),
  task: async (input) => {
    const stream = await client.chat.completions.create({
      model: "target",
      max_tokens: ${TARGET_MAX_TOKENS},
      messages: [{ role: "user", content: input }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? "";
    return text;
  },
  scorers: ${JSON.stringify(judgeModels)}.map(judge),
});
`,
      });
      return {
        argv: [join(modules, "evalite/dist/bin.js"), "run", "--threshold", "100"],
        cwd: dir,
        env: { NO_COLOR: "1" },
        // evalite counts no passes: a mean score of 100% (every score 1) is every case passed.
        outcome(out) {
          const score = /Score\s+(\d+)%/.exec(out)?.[1];
          const evals = count(/Evals\s+([\d,]+)/.exec(out)?.[1]);
          return { passed: score === "100" ? evals : 0, summary: `score ${score ?? "?"}%, ${evals} evals` };
        },
      };
    },
  };
}

/** A count as a tool prints it (`1,000`); 0 when it printed none. */
const count = (printed: string | undefined): number => Number(printed?.replaceAll(",", "") ?? 0);

function write(root: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    const abs = join(root, path);
    mkdirSync(join(abs, ".."), { recursive: true });
    writeFileSync(abs, content);
  }
}
