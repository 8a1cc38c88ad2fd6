// JSON Schema validation (ajv), shared by the eval loaders (does a schema compile?), the runner (is an answer valid
// for it?) and checks.jsonSchema / output_schema. One ajv instance per draft; each schema object compiled once.
import type { Ajv, ValidateFunction } from "ajv";
import { lazyRequire } from "./lazy-require.ts";
import { parseJsonAnswer } from "./parse-json-answer.ts";

// Loaded on the first schema: most runs and most threads never compile one.
const ajv07 = lazyRequire<typeof import("ajv")>("ajv");
const ajv2020 = lazyRequire<typeof import("ajv/dist/2020.js")>("ajv/dist/2020.js");

// Lenient on what ajv's strict mode rejects but a model provider accepts (unknown keywords such as `example`,
// formats without ajv-formats): a schema that would work with the provider must load here too. A schema's `$id` is
// not registered (`addUsedSchema`): two scenarios may give the same `$id` (the same schema on every line of a file),
// which ajv refuses as "already exists" once the first is registered.
const OPTIONS = { strict: false, allErrors: true, validateFormats: false, addUsedSchema: false } as const;

/**
 * Validators by the schema's JSON text, not by object: each task reaches a worker thread as a copy, so every case
 * brings a new object of the same schema, and compiling it again cost ~9 ms a case (ajv generates code) while ajv
 * kept every copy it compiled. At most `MAX_SCHEMAS` are kept; then the cache and the ajv instances start over.
 */
const compiled = new Map<string, ValidateFunction>();
const MAX_SCHEMAS = 1_000;

const instances = new Map<"07" | "2020-12", Ajv>();

/** The ajv of a draft, made when first needed. */
function ajv(draft: "07" | "2020-12"): Ajv {
  let instance = instances.get(draft);
  if (!instance) {
    instance = draft === "2020-12" ? new (ajv2020().Ajv2020)(OPTIONS) : new (ajv07().Ajv)(OPTIONS);
    instances.set(draft, instance);
  }
  return instance;
}

/** Errors listed in a message; the rest are counted. */
const SHOWN_ERRORS = 3;

/** The schema's validator (draft 2020-12 when its `$schema` says so, else draft-07); throws for an invalid schema. */
function compile(schema: Record<string, unknown>): ValidateFunction {
  const key = JSON.stringify(schema);
  let validate = compiled.get(key);
  if (!validate) {
    if (compiled.size >= MAX_SCHEMAS) {
      compiled.clear();
      instances.clear();
    }
    const is2020 = typeof schema.$schema === "string" && schema.$schema.includes("2020-12");
    validate = ajv(is2020 ? "2020-12" : "07").compile(schema);
    compiled.set(key, validate);
  }
  return validate;
}

/** Compiles `schema` now (once): throws ajv's error ("schema is invalid: …") for an invalid one. */
export function assertSchema(schema: Record<string, unknown>): void {
  compile(schema);
}

/** Why `schema` is not a usable JSON Schema (ajv's first line), or undefined when it compiles. */
export function schemaProblem(schema: Record<string, unknown>): string | undefined {
  try {
    compile(schema);
    return undefined;
  } catch (err) {
    return (err instanceof Error ? err.message : String(err)).split("\n")[0];
  }
}

/**
 * What is wrong with `value` for `schema`, each error with its JSON pointer (`/city: must be string`, `(root)` for
 * the value itself): empty when it is valid. Throws when the schema itself is invalid.
 */
export function schemaErrors(schema: Record<string, unknown>, value: unknown): string[] {
  const validate = compile(schema);
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e) => {
    const extra =
      e.keyword === "additionalProperties"
        ? ` (${JSON.stringify((e.params as { additionalProperty: string }).additionalProperty)})`
        : "";
    return `${e.instancePath || "(root)"}: ${e.message ?? e.keyword}${extra}`;
  });
}

/** The first errors of a validation, joined for a message: `/a: must be string; /b: …; and 2 more`. */
export function schemaErrorsText(errors: readonly string[]): string {
  const shown = errors.slice(0, SHOWN_ERRORS).join("; ");
  return errors.length > SHOWN_ERRORS ? `${shown}; and ${errors.length - SHOWN_ERRORS} more` : shown;
}

/**
 * Whether an answer is JSON valid for `schema` (the whole text or its ```json fence, as checks read it):
 * `{ valid, errors }`, "not JSON" being one such error.
 */
export function validateJsonText(
  schema: Record<string, unknown>,
  text: string,
): { valid: boolean; errors: string[] } {
  const json = parseJsonAnswer(text);
  if (!json.ok) return { valid: false, errors: [`not JSON: ${json.error}`] };
  const errors = schemaErrors(schema, json.value);
  return { valid: errors.length === 0, errors };
}
