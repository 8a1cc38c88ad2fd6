// JSON Schema validation as a worker thread meets it: every case brings its own copy of its scenario's schema
// (tasks cross threads by structured clone), often with an `$id`.
import { createRequire } from "node:module";
import { afterEach, describe, expect, it, vi } from "vitest";
import { schemaErrors, schemaProblem, validateJsonText } from "../../src/json-schema.ts";

// The module json-schema.ts loads (a CommonJS require), so its class is the one spied on.
const { Ajv } = createRequire(import.meta.url)("ajv") as typeof import("ajv");

const CITY = {
  $id: "https://example.com/city.json",
  type: "object",
  properties: { city: { type: "string" }, population: { type: "integer", minimum: 0 } },
  required: ["city"],
  additionalProperties: false,
};

afterEach(() => vi.restoreAllMocks());

describe("json-schema", () => {
  it("validates each copy of a schema with an $id (ajv refused the second: 'already exists')", () => {
    for (let i = 0; i < 3; i++) {
      expect(validateJsonText(structuredClone(CITY), '{"city": "Paris"}')).toEqual({
        valid: true,
        errors: [],
      });
      expect(validateJsonText(structuredClone(CITY), '{"city": 3}')).toEqual({
        valid: false,
        errors: ["/city: must be string"],
      });
    }
    expect(schemaProblem(structuredClone(CITY))).toBeUndefined();
  });

  it("holds two different schemas of the same $id to their own rules", () => {
    const strict = { ...CITY, required: ["city", "population"] };
    expect(schemaErrors(structuredClone(strict), { city: "Paris" })).toEqual([
      "(root): must have required property 'population'",
    ]);
    expect(schemaErrors(structuredClone(CITY), { city: "Paris" })).toEqual([]);
  });

  it("compiles a schema once, however many copies of it come (ajv generates code for each compile)", () => {
    const schema = { ...CITY, $id: "https://example.com/once.json", description: "compiled once" };
    const compile = vi.spyOn(Ajv.prototype, "compile");
    for (let i = 0; i < 20; i++) validateJsonText(structuredClone(schema), '{"city": "Oslo"}');
    expect(compile).toHaveBeenCalledTimes(1);
  });
});
