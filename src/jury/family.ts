import type { ModelProfile } from "../types.ts";

const VENDORS = [
  "anthropic",
  "amazon",
  "meta",
  "mistral",
  "cohere",
  "ai21",
  "deepseek",
  "qwen",
  "moonshot",
  "openai",
  "google",
  "writer",
];

/**
 * The vendor family of a model, to flag a judge scoring its own family (self-preference bias).
 * Bedrock ids carry the vendor after an optional geo prefix (`us.anthropic.claude…`); `mock/` models are
 * each their own family.
 */
export function modelFamily(profile: Pick<ModelProfile, "provider" | "model">): string {
  if (profile.provider === "mock") return `mock:${profile.model}`;
  if (profile.provider === "openai" || profile.provider === "azure") return "openai";
  if (profile.provider === "gemini") return "google";
  if (profile.provider === "anthropic") return "anthropic";
  const id = profile.model.toLowerCase();
  return VENDORS.find((v) => id.split(/[./:-]/).includes(v)) ?? id.split(/[./:]/)[0] ?? id;
}
