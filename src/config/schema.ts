import type { ZodType } from "zod";
import type { Problem } from "../errors.ts";
import type { UserConfig } from "../types.ts";
import { vendored } from "../vendor.ts";

// Its one-file bundle when built (src/vendor.ts): every run with a config loads this module before its pool starts.
const { z } = (await import(vendored("zod"))) as typeof import("zod");

/** A number rule whose every failure reads as one sentence: `must be <rule>`. */
function num(rule: string, range: { min?: number; max?: number; int?: boolean; positive?: boolean }) {
  const error = `must be ${rule}`;
  let s = z.number({ error });
  if (range.int) s = s.int({ error });
  if (range.positive) s = s.positive({ error });
  if (range.min !== undefined) s = s.min(range.min, { error });
  if (range.max !== undefined) s = s.max(range.max, { error });
  return s.optional();
}

const positiveInt = () => num("a positive integer", { int: true, positive: true });
const text = () => z.string({ error: "must be a string" }).optional();
const bool = () => z.boolean({ error: "must be true or false" }).optional();
const strings = () =>
  z.array(z.string({ error: "must be a string" }), { error: "must be a list of strings" }).optional();

/** The shape of `evals.config.*` (see `UserConfig`); unknown keys are errors, so typos don't pass silently. */
export const userConfigSchema = z.strictObject(
  {
    include: strings(),
    exclude: strings(),
    models: text(),
    judges: text(),
    priceUnit: z.enum(["per_1k", "per_million"], { error: 'must be "per_1k" or "per_million"' }).optional(),
    jury: z
      .strictObject(
        {
          threshold: num("a number from 1 to 5", { min: 1, max: 5 }),
          aggregate: z
            .enum(["mean", "median", "majority"], { error: "must be mean, median or majority" })
            .optional(),
          quorum: positiveInt(),
          metrics: strings(),
        },
        { error: "must be an object" },
      )
      .optional(),
    run: z
      .strictObject(
        {
          concurrency: positiveInt(),
          workers: positiveInt(),
          threads: bool(),
          invocations: positiveInt(),
          experiments: positiveInt(),
          temperatureVariations: num("an integer ≥ 0", { int: true, min: 0 }),
          stream: bool(),
          timeoutMs: positiveInt(),
          bail: num("an integer ≥ 0", { int: true, min: 0 }),
          maxConcurrencyPerModel: num("an integer ≥ 0", { int: true, min: 0 }),
          caseTimeoutMs: num("an integer ≥ 0", { int: true, min: 0 }),
          workerMemoryMb: positiveInt(),
          promptOptimization: z
            .enum(["none", "optimize_only", "evaluate_both"], {
              error: "must be none, optimize_only or evaluate_both",
            })
            .optional(),
          experimentWaitMs: num("a number ≥ 0 (ms)", { min: 0 }),
          invocationSleepMs: num("a number ≥ 0 (ms)", { min: 0 }),
          latencyOnly: bool(),
          vision: bool(),
          retry: z
            .strictObject(
              {
                maxAttempts: positiveInt(),
                baseMs: num("a number ≥ 0", { min: 0 }),
                capMs: num("a number ≥ 0", { min: 0 }),
                maxTotalMs: num("a number ≥ 0", { min: 0 }),
              },
              { error: "must be an object" },
            )
            .optional(),
        },
        { error: "must be an object" },
      )
      .optional(),
    gate: z
      .strictObject(
        {
          minPassRate: num("a fraction from 0 to 1, e.g. 0.9 for 90%", { min: 0, max: 1 }),
          minPassRatePerEval: num("a fraction from 0 to 1", { min: 0, max: 1 }),
          minPassRatePerModel: num("a fraction from 0 to 1", { min: 0, max: 1 }),
          maxCost: num("a number ≥ 0 (USD)", { min: 0 }),
          maxP95TtftMs: num("a number ≥ 0 (ms)", { min: 0 }),
          baseline: z.string({ error: "must be a path to a run dir or run.json" }).optional(),
          significance: num("a number between 0 and 1, e.g. 0.05", { min: 0, max: 1 }),
          maxRegression: num("a fraction from 0 to 1", { min: 0, max: 1 }),
          maxScoreDrop: num("a number ≥ 0 (jury points)", { min: 0 }),
          trialPass: positiveInt(),
        },
        { error: "must be an object" },
      )
      .optional(),
    reporters: z
      .array(
        z.union(
          [
            z.string(),
            z.tuple([z.string(), z.strictObject({ outputFile: text() }, { error: "must be an object" })]),
          ],
          { error: 'must be a reporter name or [name, { outputFile: "..." }]' },
        ),
        { error: "must be a list of reporters" },
      )
      .optional(),
    outputDir: text(),
    cache: z.enum(["off", "on", "replay"], { error: 'must be "off", "on" or "replay"' }).optional(),
  },
  { error: "must be an object: export default defineConfig({ ... })" },
);

/** Finds the 1-based line of a config key (YAML configs); undefined when unknown (TS configs). */
export type LocateKey = (path: readonly (string | number)[]) => number | undefined;

/**
 * Validates a loaded config object. Problems name the file, the dotted path and the rule, and the line when
 * `locate` can find it.
 */
export function validateUserConfig(
  value: unknown,
  file: string,
  locate?: LocateKey,
): { config?: UserConfig; problems: Problem[] } {
  const parsed = userConfigSchema.safeParse(value, { reportInput: true });
  if (parsed.success) return { config: parsed.data as UserConfig, problems: [] };
  const problems: Problem[] = [];
  const add = (path: (string | number)[], message: string) => {
    const line = locate?.(path);
    problems.push({
      file,
      ...(line === undefined ? {} : { line }),
      ...(path.length ? { path: path.join(".") } : {}),
      message,
    });
  };
  for (const issue of parsed.error.issues) {
    const path = issue.path.map((p) => (typeof p === "symbol" ? String(p) : p));
    if (issue.code === "unrecognized_keys") {
      const known = knownKeys(path);
      for (const key of issue.keys)
        add([...path, key], `unknown option${known.length ? ` (known: ${known.join(", ")})` : ""}`);
      continue;
    }
    const got = "input" in issue && issue.input !== undefined ? ` (got ${show(issue.input)})` : "";
    // A YAML config has no defineConfig() to point at.
    const message =
      path.length === 0 && /\.ya?ml$/i.test(file)
        ? "must be a mapping of options such as run:, jury: and reporters:"
        : issue.message;
    add(path, `${message}${got}`);
  }
  // In file order, as a reader fixes them (zod lists unknown keys after the other issues of an object).
  problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return { problems };
}

/** Keys the schema accepts at an object path, for "known: ..." lists. */
function knownKeys(path: readonly (string | number)[]): string[] {
  let candidates: ZodType[] = [userConfigSchema];
  for (const key of path) candidates = candidates.flatMap((s) => childOf(s, key));
  const object = candidates.map(unwrap).find((s) => s instanceof z.ZodObject);
  return object instanceof z.ZodObject ? Object.keys(object.shape) : [];
}

function childOf(schema: ZodType, key: string | number): ZodType[] {
  const s = unwrap(schema);
  if (s instanceof z.ZodUnion) return (s.options as ZodType[]).flatMap((o) => childOf(o, key));
  if (s instanceof z.ZodObject && typeof key === "string") {
    const child = (s.shape as Record<string, ZodType>)[key];
    return child ? [child] : [];
  }
  if (s instanceof z.ZodArray && typeof key === "number") return [s.element as ZodType];
  if (s instanceof z.ZodTuple && typeof key === "number") {
    const item = (s.def.items as ZodType[])[key];
    return item ? [item] : [];
  }
  return [];
}

function unwrap(schema: ZodType): ZodType {
  let s = schema;
  while (s instanceof z.ZodOptional) s = s.unwrap() as ZodType;
  return s;
}

function show(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (v === null || typeof v === "number" || typeof v === "boolean") return String(v);
  if (Array.isArray(v)) return "a list";
  return typeof v;
}
