// Which Bedrock models Amazon Bedrock's OptimizePrompt supports, and where (AWS docs, "Optimize a prompt").
// Pure: no I/O.
import type { ModelProfile } from "../types.ts";

/** Regions that offer prompt optimization. */
export const OPTIMIZE_REGIONS: readonly string[] = [
  "us-east-1",
  "us-west-2",
  "ap-south-1",
  "ap-southeast-2",
  "ca-central-1",
  "eu-central-1",
  "eu-west-1",
  "eu-west-2",
  "eu-west-3",
  "sa-east-1",
];

/** Target model ids OptimizePrompt accepts. */
export const OPTIMIZE_TARGETS: readonly string[] = [
  "amazon.nova-lite-v1:0",
  "amazon.nova-micro-v1:0",
  "amazon.nova-premier-v1:0",
  "amazon.nova-pro-v1:0",
  "amazon.titan-text-premier-v1:0",
  "anthropic.claude-3-haiku-20240307-v1:0",
  "anthropic.claude-3-opus-20240229-v1:0",
  "anthropic.claude-3-sonnet-20240229-v1:0",
  "anthropic.claude-3-5-haiku-20241022-v1:0",
  "anthropic.claude-3-5-sonnet-20240620-v1:0",
  "anthropic.claude-3-5-sonnet-20241022-v2:0",
  "anthropic.claude-3-7-sonnet-20250219-v1:0",
  "anthropic.claude-opus-4-20250514-v1:0",
  "anthropic.claude-sonnet-4-20250514-v1:0",
  "deepseek.r1-v1:0",
  "meta.llama3-70b-instruct-v1:0",
  "meta.llama3-1-70b-instruct-v1:0",
  "meta.llama3-2-11b-instruct-v1:0",
  "meta.llama3-3-70b-instruct-v1:0",
  "meta.llama4-maverick-17b-instruct-v1:0",
  "meta.llama4-scout-17b-instruct-v1:0",
  "mistral.mistral-large-2402-v1:0",
  "mistral.mistral-large-2407-v1:0",
];

/**
 * A newer model of a supported family is optimized for the nearest supported member: the prompt style a family
 * responds to changes little between versions. First match wins.
 */
const FAMILY_TARGETS: readonly [RegExp, string][] = [
  [/^amazon\.nova.*micro/, "amazon.nova-micro-v1:0"],
  [/^amazon\.nova.*lite/, "amazon.nova-lite-v1:0"],
  [/^amazon\.nova.*premier/, "amazon.nova-premier-v1:0"],
  [/^amazon\.nova/, "amazon.nova-pro-v1:0"],
  [/^anthropic\.claude.*haiku/, "anthropic.claude-3-5-haiku-20241022-v1:0"],
  [/^anthropic\.claude.*opus/, "anthropic.claude-opus-4-20250514-v1:0"],
  [/^anthropic\.claude/, "anthropic.claude-sonnet-4-20250514-v1:0"],
  [/^meta\.llama4.*scout/, "meta.llama4-scout-17b-instruct-v1:0"],
  [/^meta\.llama4/, "meta.llama4-maverick-17b-instruct-v1:0"],
  [/^meta\.llama/, "meta.llama3-3-70b-instruct-v1:0"],
  [/^mistral\.mistral-large/, "mistral.mistral-large-2407-v1:0"],
  [/^deepseek\./, "deepseek.r1-v1:0"],
];

/** Cross-region inference profile prefixes (`us.`, `eu.`, `global.` …) in front of a base model id. */
const GEO_PREFIX = /^(us|eu|apac|global|us-gov|jp|au|ca)\./;

/**
 * The OptimizePrompt target for a model profile, or why it has none: only Bedrock models, in a region that
 * offers prompt optimization, of a supported family.
 */
export function optimizationTarget(
  profile: Pick<ModelProfile, "provider" | "model" | "region">,
): { target: string } | { skip: string } {
  if (profile.provider !== "bedrock")
    return { skip: "not a Bedrock model: prompt optimization is a Bedrock feature" };
  const region = profile.region ?? "us-east-1";
  if (!OPTIMIZE_REGIONS.includes(region))
    return {
      skip: `prompt optimization is not offered in ${region} (it is in ${OPTIMIZE_REGIONS.join(", ")})`,
    };
  if (profile.model.startsWith("arn:"))
    return { skip: "an ARN names no model family: use the model or inference profile id to optimize for it" };
  const base = profile.model.replace(GEO_PREFIX, "");
  if (OPTIMIZE_TARGETS.includes(base)) return { target: base };
  const family = FAMILY_TARGETS.find(([re]) => re.test(base));
  if (family) return { target: family[1] };
  return { skip: `OptimizePrompt supports no model of the family of ${base}` };
}
