import type { PlannedCase } from "../plan/expand.ts";
import { withoutNodeVersionWarning } from "../providers/aws-node-support.ts";
import { awsCredentials } from "../providers/credentials.ts";
import { classifyHttpError } from "../providers/errors.ts";
import { withRetry } from "../providers/retry.ts";
import type {
  ModelProfile,
  PromptOptimizationEntry,
  PromptOptimizationLog,
  PromptOptimizationMode,
  RetrySettings,
} from "../types.ts";
import { optimizationTarget } from "./model-map.ts";

type AgentRuntime = typeof import("@aws-sdk/client-bedrock-agent-runtime");
type Client = InstanceType<AgentRuntime["BedrockAgentRuntimeClient"]>;

interface Optimized {
  text: string;
  analysis?: string;
}

const EXCERPT = 200;
const excerpt = (s: string) => (s.length > EXCERPT ? `${s.slice(0, EXCERPT - 1)}…` : s);

/**
 * Step 5 of a run (DESIGN §1): the cases with every `optimized` case given its optimized prompt from Bedrock
 * OptimizePrompt (new cases; the input is untouched), and the log.
 * One call per distinct (prompt, target model) — not per temperature, invocation, tier or experiment. A model
 * with no target (not Bedrock, unsupported family or region) or a failed call keeps the original prompt; the
 * log says which and why.
 */
export async function optimizePrompts(
  cases: readonly PlannedCase[],
  mode: PromptOptimizationMode,
  settings: { retry: RetrySettings; timeoutMs: number; signal?: AbortSignal },
): Promise<{ cases: PlannedCase[]; log: PromptOptimizationLog }> {
  const entries = new Map<string, PromptOptimizationEntry>();
  const clients = new Map<string, Client>();
  let sdk: AgentRuntime | undefined;

  const call = async (profile: ModelProfile, target: string, text: string): Promise<Optimized> => {
    sdk ??= await import("@aws-sdk/client-bedrock-agent-runtime");
    const region = profile.region ?? "us-east-1";
    const credentials = awsCredentials();
    const clientKey = `${region}|${profile.baseUrl ?? ""}|${credentials?.accessKeyId ?? ""}`;
    let client = clients.get(clientKey);
    if (!client) {
      const { BedrockAgentRuntimeClient } = sdk;
      client = withoutNodeVersionWarning(
        () =>
          new BedrockAgentRuntimeClient({
            region,
            maxAttempts: 1,
            ...(profile.baseUrl ? { endpoint: profile.baseUrl } : {}),
            ...(credentials ? { credentials } : {}),
          }),
      );
      clients.set(clientKey, client);
    }
    const { OptimizePromptCommand } = sdk;
    const c = client;
    return withRetry(
      async () => {
        const signal = AbortSignal.any([
          AbortSignal.timeout(settings.timeoutMs),
          ...(settings.signal ? [settings.signal] : []),
        ]);
        try {
          const res = await c.send(
            new OptimizePromptCommand({ input: { textPrompt: { text } }, targetModelId: target }),
            { abortSignal: signal },
          );
          let optimized: string | undefined;
          let analysis: string | undefined;
          for await (const ev of res.optimizedPrompt ?? []) {
            if (ev.analyzePromptEvent?.message) analysis = ev.analyzePromptEvent.message;
            const t = ev.optimizedPromptEvent?.optimizedPrompt?.textPrompt?.text;
            if (t !== undefined) optimized = t;
          }
          if (!optimized) throw new Error("OptimizePrompt returned no optimized prompt");
          return { text: optimized, ...(analysis === undefined ? {} : { analysis }) };
        } catch (err) {
          throw classifyHttpError(err, profile);
        }
      },
      settings.retry,
      { attempts: 0, retries: 0, backoffMs: 0 },
      settings.signal,
    );
  };

  const jobs = new Map<string, { model: ModelProfile; target: string; prompt: string }>();
  // By index: a plan's cases are made when read, a new object each time.
  const uses: { index: number; entry: PromptOptimizationEntry; callKey?: string }[] = [];
  for (const [index, planned] of cases.entries()) {
    if (planned.record.variant !== "optimized") continue;
    const { model, scenario } = planned.task;
    const found = optimizationTarget(model);
    const entryKey = `${model.key}\0${scenario.prompt}`;
    let entry = entries.get(entryKey);
    if (!entry) {
      entry = {
        model: model.key,
        ...("target" in found ? { target: found.target } : {}),
        status: "skipped",
        ...("skip" in found ? { reason: found.skip } : {}),
        promptExcerpt: excerpt(scenario.prompt),
        cases: 0,
      };
      entries.set(entryKey, entry);
    }
    entry.cases++;
    if (!("target" in found)) {
      uses.push({ index, entry });
      continue;
    }
    const callKey = `${found.target}\0${model.region ?? ""}\0${model.baseUrl ?? ""}\0${scenario.prompt}`;
    if (!jobs.has(callKey)) jobs.set(callKey, { model, target: found.target, prompt: scenario.prompt });
    uses.push({ index, entry, callKey });
  }

  // Two calls at a time: OptimizePrompt's quota is a few requests per second.
  const results = new Map<string, Optimized | Error>();
  const keys = [...jobs.keys()];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(2, keys.length) }, async () => {
      while (next < keys.length) {
        const key = keys[next++] as string;
        const job = jobs.get(key) as { model: ModelProfile; target: string; prompt: string };
        results.set(
          key,
          await call(job.model, job.target, job.prompt).catch((err: unknown) =>
            err instanceof Error ? err : new Error(String(err)),
          ),
        );
      }
    }),
  );

  const prompts = new Map<number, string>();
  for (const { index, entry, callKey } of uses) {
    const result = callKey === undefined ? undefined : results.get(callKey);
    if (result instanceof Error) {
      entry.status = "error";
      entry.reason = `${result.message} (the original prompt is used)`;
    } else if (result) {
      prompts.set(index, result.text);
      entry.status = "optimized";
      entry.optimizedExcerpt = excerpt(result.text);
      if (result.analysis !== undefined) entry.analysis = result.analysis;
    }
  }
  return {
    cases: cases.map((c, index) => {
      const prompt = prompts.get(index);
      return prompt === undefined
        ? c
        : { ...c, task: { ...c.task, scenario: { ...c.task.scenario, prompt } } };
    }),
    log: { mode, calls: jobs.size, entries: [...entries.values()] },
  };
}
