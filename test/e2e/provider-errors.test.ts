// Each provider's own error shapes (issue 16 item 6), served by the simulator as the provider documents them
// (src/simulator/error-shapes.ts) and met by the real SDKs through the real CLI: retried or not, how many
// attempts, the wait the server asked for honoured, the kind recorded and the message the user sees.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ErrorShape } from "../../src/simulator/error-shapes.ts";
import { type Simulator, startSimulator } from "../../src/simulator/server.ts";
import type { CaseResult, RunReport } from "../../src/types.ts";
import { createFixtureProject } from "../support/fixture-project.ts";
import { type CliResult, runCli } from "../support/run-cli.ts";
import { resultsOf } from "../support/run-results.ts";

/** What the server asks to wait (retry-after-ms, RetryInfo.retryDelay); retry-after in seconds rounds it up to 1 s. */
const HINT_MS = 300;
const PARTIAL = "Partial answer that";

interface Row {
  /** `provider/model`: the model name selects the shape (`err-<shape>`, `-x1`: on the first request only). */
  model: string;
  retried: boolean;
  attempts: number;
  /** The retry came at least this long after the first request (the server's hint). */
  waitMs?: number;
  /** The failure recorded on an errored case: its kind, the provider's code and what the message says. */
  kind?: string;
  code?: string;
  message?: string;
}

const ROWS: Row[] = [
  // OpenAI / Azure
  { model: "openai/gpt-err-429-ms-x1", retried: true, attempts: 2, waitMs: HINT_MS },
  { model: "openai/gpt-err-429-s-x1", retried: true, attempts: 2, waitMs: 1000 },
  { model: "openai/gpt-err-stream-error-x1", retried: true, attempts: 2 },
  {
    model: "openai/gpt-err-context-length",
    retried: false,
    attempts: 1,
    kind: "invalid_request",
    code: "context_length_exceeded",
    message: "maximum context length is 128000 tokens. However, your messages resulted in 130532 tokens",
  },
  {
    model: "azure/dep-err-content-filter",
    retried: false,
    attempts: 1,
    kind: "refused",
    code: "content_filter",
    message: "azure/dep-err-content-filter: refused by the provider's content filter (violence: medium)",
  },
  {
    model: "azure/dep-err-filtered-stream",
    retried: false,
    attempts: 1,
    kind: "refused",
    code: "content_filter",
    message: "the answer was blocked by the provider's content filter (finish reason content_filter)",
  },
  // Bedrock
  { model: "bedrock/sim.err-throttling-x1", retried: true, attempts: 2 },
  { model: "bedrock/sim.err-unavailable-x1", retried: true, attempts: 2 },
  { model: "bedrock/sim.err-model-timeout-x1", retried: true, attempts: 2 },
  { model: "bedrock/sim.err-not-ready-x1", retried: true, attempts: 2 },
  { model: "bedrock/sim.err-stream-throttling-x1", retried: true, attempts: 2 },
  { model: "bedrock/sim.err-stream-unavailable-x1", retried: true, attempts: 2 },
  { model: "bedrock/sim.err-stream-model-error-x1", retried: true, attempts: 2 },
  {
    model: "bedrock/sim.err-input-too-long",
    retried: false,
    attempts: 1,
    kind: "invalid_request",
    code: "ValidationException",
    message: "bedrock/sim.err-input-too-long@us-east-1: Input is too long for requested model.",
  },
  {
    model: "bedrock/sim.err-access-denied",
    retried: false,
    attempts: 1,
    kind: "auth",
    code: "AccessDeniedException",
    message: "You don't have access to the model with the specified model ID.",
  },
  {
    model: "bedrock/sim.err-guardrail",
    retried: false,
    attempts: 1,
    kind: "refused",
    code: "guardrail_intervened",
    message: "the answer was blocked by a Bedrock guardrail (finish reason guardrail_intervened)",
  },
  // Gemini
  { model: "gemini/gemini-err-resource-exhausted-x1", retried: true, attempts: 2, waitMs: HINT_MS },
  {
    model: "gemini/gemini-err-safety",
    retried: false,
    attempts: 1,
    kind: "refused",
    code: "SAFETY",
    message: "the answer was blocked by Gemini's safety filters (finish reason SAFETY)",
  },
  {
    model: "gemini/gemini-err-recitation",
    retried: false,
    attempts: 1,
    kind: "refused",
    code: "RECITATION",
    message: "blocked by Gemini's recitation check (the answer repeated a source) (finish reason RECITATION)",
  },
  // Anthropic
  { model: "anthropic/claude-err-overloaded-x1", retried: true, attempts: 2 },
  { model: "anthropic/claude-err-rate-limit-x1", retried: true, attempts: 2, waitMs: 1000 },
  { model: "anthropic/claude-err-stream-overloaded-x1", retried: true, attempts: 2 },
  { model: "anthropic/claude-err-api-error-x1", retried: true, attempts: 2 },
  {
    model: "anthropic/claude-err-prompt-too-long",
    retried: false,
    attempts: 1,
    kind: "invalid_request",
    code: "invalid_request_error",
    message: "prompt is too long: 215304 tokens > 200000 maximum",
  },
  {
    model: "anthropic/claude-err-authentication",
    retried: false,
    attempts: 1,
    kind: "auth",
    code: "authentication_error",
    message: "anthropic/claude-err-authentication: 401 invalid x-api-key",
  },
  {
    model: "anthropic/claude-err-permission",
    retried: false,
    attempts: 1,
    kind: "auth",
    code: "permission_error",
    message: "Your API key does not have permission to use the specified resource.",
  },
  {
    model: "anthropic/claude-err-not-found",
    retried: false,
    attempts: 1,
    kind: "invalid_request",
    code: "not_found_error",
    message: "model: claude-err-not-found",
  },
  {
    model: "anthropic/claude-err-refusal",
    retried: false,
    attempts: 1,
    kind: "refused",
    code: "refusal",
    message: "the answer was blocked by Anthropic's safety classifiers (finish reason refusal)",
  },
];

let sim: Simulator;
let run: CliResult;
const byModel = new Map<string, CaseResult>();

beforeAll(async () => {
  sim = await startSimulator({ ttftMs: 5, tokensPerS: 0, retryAfterMs: HINT_MS, seed: "error-shapes" });
  const profile = (model: string) => ({
    model_id: model,
    base_url: model.startsWith("openai/") ? `${sim.url}/v1` : sim.url,
    ...(model.startsWith("bedrock/") ? { region: "us-east-1" } : {}),
  });
  const root = createFixtureProject({
    "config/models_profiles.jsonl": ROWS.map((r) => JSON.stringify(profile(r.model))).join("\n"),
    "config/judge_profiles.jsonl": JSON.stringify({ model_id: "mock/j" }),
    "evals/shapes.eval.jsonl": JSON.stringify({
      text_prompt: "Say hello.",
      task: { task_type: "Greeting", task_criteria: "friendly" },
      golden_answer: "Hello there!",
    }),
    // Backoff far below the servers' hints, so a wait ≥ the hint is the hint's doing.
    "evals.config.yaml": "run:\n  retry:\n    baseMs: 1\n    capMs: 5\n    maxAttempts: 3\n",
  });
  run = await runCli(root, ["--no-preflight", "--concurrency", String(ROWS.length), "--min-pass-rate", "0"], {
    OPENAI_API_KEY: "sk-simulated-openai-key-000",
    AZURE_OPENAI_API_KEY: "simulated-azure-key-000",
    GEMINI_API_KEY: "simulated-gemini-key-000",
    ANTHROPIC_API_KEY: "sk-ant-simulated-anthropic-key-000",
    AWS_ACCESS_KEY_ID: "AKIASIMULATED0000000",
    AWS_SECRET_ACCESS_KEY: "simulated-secret-key-0000000000",
    AWS_REGION: "us-east-1",
  });
  const { runDir, lines } = resultsOf(root);
  const report = JSON.parse(readFileSync(join(runDir, "run.json"), "utf8")) as RunReport;
  // A Bedrock key carries its region: `bedrock/<id>@us-east-1`.
  const modelOf = new Map(report.cases.map((c) => [c.id, c.model.replace(/@.*$/, "")]));
  for (const r of lines) byModel.set(modelOf.get(r.caseId) as string, r);
}, 60_000);
afterAll(async () => {
  await sim.close();
});

describe("providers' own error shapes, through the real SDKs and CLI", () => {
  it("runs every row's case", () => {
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect([...byModel.keys()].sort()).toEqual(ROWS.map((r) => r.model).sort());
  });

  it.each(ROWS.map((r) => [r.model.replace(/^.*err-/, ""), r] as const))("%s", (_shape, row) => {
    const result = byModel.get(row.model);
    expect(result, row.model).toBeDefined();
    const m = result?.metrics;
    expect(m?.attempts).toBe(row.attempts);
    expect(m?.retries).toBe(row.attempts - 1);
    // The simulator served the shape once: to the first attempt, or to the only one.
    const shape = row.model.replace(/^.*err-/, "").replace(/-x1$/, "") as ErrorShape;
    expect(sim.stats.errorShapes?.[shape]).toBe(1);
    if (row.retried) {
      // The retry succeeded, from scratch: nothing of the failed attempt's partial answer is kept.
      expect(result?.state).not.toBe("errored");
      expect(result?.error).toBeUndefined();
      expect(result?.output).not.toContain(PARTIAL);
      expect(result?.output).toContain("Simulated answer from");
    } else {
      expect(result?.state).toBe("errored");
      expect(result?.error).toMatchObject({
        name: "ProviderError",
        classification: "api_failure",
        kind: row.kind,
        code: row.code,
      });
      expect(result?.error?.message).toContain(row.message);
      expect(result?.error?.message).not.toContain("simulated-");
      // The console names the case's failure in the same words.
      expect(run.stdout).toContain(row.message);
    }
    if (row.waitMs !== undefined) {
      expect((m?.lastRequestAt ?? 0) - (m?.firstRequestAt ?? 0)).toBeGreaterThanOrEqual(row.waitMs - 5);
      expect(m?.backoffMs).toBeGreaterThanOrEqual(row.waitMs);
      // retry-after-ms (300) is read before retry-after (1 s): the wait is the former.
      expect(m?.backoffMs).toBeLessThan(row.waitMs + 500);
    }
  });
});

describe("a judge whose verdict the provider blocks", () => {
  it("abstains as refused, naming the finish reason, after one attempt; its probe counts as reachable", async () => {
    const root = createFixtureProject({
      "config/models_profiles.jsonl": JSON.stringify({ model_id: "mock/m" }),
      "config/judge_profiles.jsonl": [
        { model_id: "mock/j1" },
        { model_id: "mock/j2" },
        { model_id: "gemini/judge-err-safety", base_url: sim.url },
      ]
        .map((j) => JSON.stringify(j))
        .join("\n"),
      "evals/one.eval.jsonl": JSON.stringify({
        text_prompt: "Say hello.",
        task: { task_type: "Greeting", task_criteria: "friendly" },
        golden_answer: "Hello there!",
      }),
    });
    const before = sim.stats.errorShapes?.safety ?? 0;
    const res = await runCli(root, ["--min-pass-rate", "0"], { GEMINI_API_KEY: "simulated-gemini-key-000" });
    expect(res.code).toBe(0);
    expect(res.stdout).not.toContain("not reachable");
    const [result] = resultsOf(root).lines;
    expect(result?.jury?.verdicts.find((v) => v.judge === "gemini/judge-err-safety")).toMatchObject({
      status: "abstained",
      reason: "refused",
      detail: expect.stringContaining("blocked by Gemini's safety filters (finish reason SAFETY)"),
    });
    // The probe, then the judge's one attempt: a refusal is not retried.
    expect((sim.stats.errorShapes?.safety ?? 0) - before).toBe(2);
  });
});
