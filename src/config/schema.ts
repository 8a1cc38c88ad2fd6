import { z } from "zod";
import type { Problem } from "../errors.ts";
import type { UserConfig } from "../types.ts";

const positiveInt = z.number().int().positive();

/** The shape of `evals.config.*` (see `UserConfig`); unknown keys are errors, so typos don't pass silently. */
export const userConfigSchema = z.strictObject({
  include: z.array(z.string()).optional(),
  exclude: z.array(z.string()).optional(),
  models: z.string().optional(),
  judges: z.string().optional(),
  jury: z
    .strictObject({
      threshold: z.number().min(1).max(5).optional(),
      aggregate: z.enum(["mean", "median", "majority"]).optional(),
      quorum: positiveInt.optional(),
      metrics: z.array(z.string()).optional(),
    })
    .optional(),
  run: z
    .strictObject({
      concurrency: positiveInt.optional(),
      workers: positiveInt.optional(),
      threads: z.boolean().optional(),
      invocations: positiveInt.optional(),
      experiments: positiveInt.optional(),
      temperatureVariations: z.number().int().min(0).optional(),
      stream: z.boolean().optional(),
      timeoutMs: positiveInt.optional(),
      bail: z.number().int().min(0).optional(),
    })
    .optional(),
  gate: z.strictObject({ minPassRate: z.number().min(0).max(1).optional() }).optional(),
  reporters: z
    .array(
      z.union([z.string(), z.tuple([z.string(), z.strictObject({ outputFile: z.string().optional() })])]),
    )
    .optional(),
  outputDir: z.string().optional(),
});

/** Validates a loaded config object; problems name the file and the dotted path. */
export function validateUserConfig(
  value: unknown,
  file: string,
): { config?: UserConfig; problems: Problem[] } {
  const parsed = userConfigSchema.safeParse(value);
  if (parsed.success) return { config: parsed.data as UserConfig, problems: [] };
  return {
    problems: parsed.error.issues.map((issue) => ({
      file,
      path: issue.path.map(String).join(".") || "(config)",
      message: issue.message,
    })),
  };
}
