import { ConfigError, type Problem } from "../errors.ts";
import type { ModelProfile } from "../types.ts";

/**
 * Refuses, before anything runs, a run that would call a profile through an endpoint jury has no client for:
 * 360-eval's newer profiles may name `"endpoint": "bedrock_mantle"` (Bedrock's OpenAI-compatible Responses
 * endpoint), and calling the model another way instead would measure something else. A `ConfigError` (exit 2)
 * naming each such profile's file, line and field.
 */
export function assertCallableEndpoints(profiles: Iterable<ModelProfile>): void {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  for (const p of profiles) {
    const at = `${p.source.file}:${p.source.line}`;
    if (!p.endpoint || seen.has(at)) continue;
    seen.add(at);
    problems.push({
      file: p.source.file,
      line: p.source.line,
      path: "endpoint",
      message:
        `jury cannot call ${p.key} through "${p.endpoint}" (Bedrock's OpenAI-compatible Responses endpoint, ` +
        'BEDROCK_API_KEY): remove "endpoint" to call it through the Bedrock Runtime API, or leave it out of the run',
    });
  }
  if (problems.length) throw new ConfigError(problems);
}
