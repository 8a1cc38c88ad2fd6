import { ProfileNotFoundError } from "../errors.ts";
import { measureStream } from "../providers/measure-stream.ts";
import { getProvider } from "../providers/registry.ts";
import type { ModelProfile } from "../types.ts";

const SYSTEM = `You edit the executive summary of an LLM evaluation report for a busy engineering lead.
Rewrite it as 3 to 6 short paragraphs of plain prose. Keep every number, model name and interval exactly as given;
never add a claim that the text does not support; say when a lead is not conclusive. No headings, no markdown.`;

/** Finds `--summary-model` among the model and judge profiles (by key or model id). */
export function findSummaryModel(name: string, profiles: readonly ModelProfile[]): ModelProfile {
  const found =
    profiles.find((p) => p.key === name) ?? profiles.find((p) => p.modelId === name || p.model === name);
  if (!found) {
    throw new ProfileNotFoundError(
      `--summary-model: no profile "${name}" among the model and judge profiles`,
      `Use one of: ${profiles
        .map((p) => p.key)
        .slice(0, 8)
        .join(", ")}`,
    );
  }
  return found;
}

/** A `summarize` function for reporters: one call to the profile, 60 s at most; rejects on any failure. */
export function createSummarizer(
  profile: ModelProfile,
): (text: string) => Promise<{ model: string; text: string }> {
  return async (text) => {
    const provider = await getProvider(profile.provider);
    await provider.prepare?.(profile);
    const call = await measureStream(
      provider.stream(profile, {
        system: SYSTEM,
        messages: [{ role: "user", content: text }],
        temperature: 0.2,
        maxTokens: 1200,
        stream: false,
        seed: "summary",
        mockGolden: text,
        signal: AbortSignal.timeout(60_000),
      }),
      () => Math.ceil(text.length / 4),
    );
    if (!call.text.trim()) throw new Error(`${profile.key} returned an empty summary`);
    return { model: profile.key, text: call.text.trim() };
  };
}
