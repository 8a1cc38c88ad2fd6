import { join } from "node:path";

/** The promptfoo release the benches pin: the newest whose engines admit Node 20.19 (0.121.x needs ^20.20). */
export const PROMPTFOO_VERSION = process.env.BENCH_PROMPTFOO_VERSION ?? "0.120.19";

/** The CLI entry of promptfoo installed under `dir` (an npm prefix). */
export const promptfooEntry = (dir: string): string =>
  join(dir, "node_modules/promptfoo/dist/src/entrypoint.js");

/** promptfoo's telemetry, update check, sharing, remote generation, cache and log files off; its home under `work`. */
export function promptfooEnv(work: string): Record<string, string> {
  return {
    PROMPTFOO_DISABLE_TELEMETRY: "1",
    PROMPTFOO_DISABLE_UPDATE: "1",
    PROMPTFOO_DISABLE_SHARING: "1",
    PROMPTFOO_DISABLE_REMOTE_GENERATION: "1",
    PROMPTFOO_DISABLE_REDTEAM_REMOTE_GENERATION: "1",
    PROMPTFOO_CACHE_ENABLED: "false",
    // Its log files off: 0.120.19's file logger can throw "write after end" at exit (exit 1 after a complete run).
    PROMPTFOO_DISABLE_DEBUG_LOG: "1",
    PROMPTFOO_DISABLE_ERROR_LOG: "1",
    // Its database, logs and config in the temp dir, not ~/.promptfoo.
    PROMPTFOO_CONFIG_DIR: join(work, "promptfoo-home"),
    PROMPTFOO_LOG_DIR: join(work, "promptfoo-home/logs"),
  };
}

/** An `openai:chat` provider at an OpenAI-compatible server (`baseUrl` ends in /v1). */
export const promptfooProvider = (baseUrl: string, model: string, maxTokens: number) => ({
  id: `openai:chat:${model}`,
  config: { apiBaseUrl: baseUrl, apiKey: "sk-bench-not-a-real-key", max_tokens: maxTokens },
});

/**
 * A promptfoo config (JSON, which is YAML): one test per prompt against `target`, each with one `llm-rubric`
 * assertion per grader (graded by that provider). The rubric prompt asks for promptfoo's `{reason, pass, score}`.
 */
export function promptfooConfig(options: {
  target: object;
  graders: readonly object[];
  prompts: readonly string[];
  rubric: string;
}): string {
  const rubricPrompt = JSON.stringify([
    { role: "system", content: "You grade an output against a rubric. Reply with JSON only." },
    {
      role: "user",
      content:
        'Reply like {"reason": "ok", "pass": true, "score": 1}. <Output>{{ output }}</Output> <Rubric>{{ rubric }}</Rubric>',
    },
  ]);
  return JSON.stringify(
    {
      description: "jury bench",
      prompts: ["{{prompt}}"],
      providers: [options.target],
      defaultTest: { options: { rubricPrompt } },
      tests: options.prompts.map((prompt) => ({
        vars: { prompt },
        assert: options.graders.map((provider) => ({ type: "llm-rubric", value: options.rubric, provider })),
      })),
    },
    null,
    1,
  );
}

/** `promptfoo eval` on `config` at `concurrency`, without cache, table, progress bar or sharing. */
export const promptfooArgs = (entry: string, config: string, concurrency: number): string[] => [
  entry,
  "eval",
  "-c",
  config,
  "-j",
  String(concurrency),
  "--no-cache",
  "--no-table",
  "--no-progress-bar",
  "--no-share",
];

/** promptfoo's `Results: …` line. */
export const promptfooSummary = (out: string): string =>
  /^Results:.*$/m.exec(out)?.[0].trim() ?? "(no summary line)";
