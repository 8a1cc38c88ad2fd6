import { describe, expect, it } from "vitest";
import { loadErrorProblems } from "../../../src/discovery/load-error.ts";

const ROOT = "/project/";
const AT = { absFile: `${ROOT}evals/x.eval.ts`, file: "evals/x.eval.ts" };
const sources: Record<string, string> = {
  [`${ROOT}evals/x.eval.ts`]:
    'import { defineEval } from "jury";\nconst é = "ü" )\nimport x from "./gone";\n',
};
const read = (abs: string) => sources[abs];

describe("loadErrorProblems", () => {
  it("esbuild's structured errors: one problem each, the byte column as a 1-based character column", () => {
    const err = Object.assign(new Error("Transform failed with 1 error:\n…"), {
      errors: [
        {
          text: 'Expected ";" but found ")"',
          // `const é = "ü" )`: the ")" is at byte 17, character 15 (é and ü are two bytes each).
          location: { file: AT.absFile, line: 2, column: 17, lineText: 'const é = "ü" )' },
        },
      ],
    });
    expect(loadErrorProblems(err, AT, read)).toEqual([
      {
        file: "evals/x.eval.ts",
        line: 2,
        column: 16,
        message: `Expected ";" but found ")"\n    const é = "ü" )\n    ${" ".repeat(15)}^`,
      },
    ]);
  });

  it("esbuild's errors from tsx's loader thread, parsed from the message; a file outside the project keeps its path", () => {
    const err = new Error(
      'Transform failed with 2 errors:\n/project/evals/x.eval.ts:2:16: ERROR: Expected ";" but found ")"\n/elsewhere/lib.ts:1:0: ERROR: Unexpected end of file',
    );
    expect(loadErrorProblems(err, AT, read).map((p) => [p.file, p.line, p.column])).toEqual([
      ["evals/x.eval.ts", 2, 15],
      ["/elsewhere/lib.ts", 1, 1],
    ]);
  });

  it("a missing module (CommonJS): at the import that names it, without tsx's namespace", () => {
    const err = Object.assign(
      new Error(`Cannot find module './gone'\nRequire stack:\n- ${AT.absFile}?namespace=1d2f-33`),
      { code: "MODULE_NOT_FOUND" },
    );
    expect(loadErrorProblems(err, AT, read)).toEqual([
      {
        file: "evals/x.eval.ts",
        line: 3,
        column: 16,
        message: `cannot load this eval file: Cannot find module './gone'\n    import x from "./gone";\n    ${" ".repeat(15)}^`,
      },
    ]);
  });

  it("a missing module (ESM, resolved path): the specifier as written", () => {
    const err = Object.assign(
      new Error(`Cannot find module '/project/evals/gone' imported from ${AT.absFile}`),
      { code: "ERR_MODULE_NOT_FOUND" },
    );
    expect(loadErrorProblems(err, AT, read)[0]).toMatchObject({
      line: 3,
      message: expect.stringMatching(/^cannot load this eval file: Cannot find module '\.\/gone'\n/),
    });
  });

  it("a throw: at its first frame in the project, skipping node_modules and Node's internals", () => {
    const err = new RangeError("too many rows");
    err.stack = [
      "RangeError: too many rows",
      "    at check (/project/node_modules/some-lib/index.js:10:5)",
      `    at load (file://${AT.absFile}?namespace=9:2:7)`,
      "    at ModuleJob.run (node:internal/modules/esm/module_job:325:25)",
    ].join("\n");
    expect(loadErrorProblems(err, AT, read)).toEqual([
      {
        file: "evals/x.eval.ts",
        line: 2,
        column: 7,
        message: `cannot load this eval file: RangeError: too many rows\n    const é = "ü" )\n    ${" ".repeat(6)}^`,
      },
    ]);
  });

  it("no line anywhere in the project: the file and the message's first line", () => {
    const err = new Error("boom\nmore detail");
    err.stack = "Error: boom\n    at data:text/javascript,abc?filePath=%2Fproject:2:17";
    expect(loadErrorProblems(err, AT, read)).toEqual([
      { file: "evals/x.eval.ts", message: "cannot load this eval file: boom" },
    ]);
    expect(loadErrorProblems("a string", AT, read)).toEqual([
      { file: "evals/x.eval.ts", message: "cannot load this eval file: a string" },
    ]);
  });
});
