import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { importedFiles } from "../../../src/discovery/imported-files.ts";
import { tempDir } from "../../support/temp-dir.ts";

function project(files: Record<string, string>): string {
  const root = tempDir("jury-imports-");
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe("importedFiles", () => {
  it("follows relative imports transitively, as TypeScript resolves them, and other relative paths a file names", () => {
    const root = project({
      "evals/a.eval.ts": [
        'import { x } from "./lib/x.js";', // .js naming a .ts file
        'export * from "../shared";', // a directory's index
        'const rows = "./rows.jsonl";',
        'const later = () => import("./lazy.mts");',
        'import "jury";', // a package: not followed
        'import "./missing.ts";', // not there: nothing to watch
      ].join("\n"),
      "evals/lib/x.ts": 'import { y } from "./y";\nexport const x = y;',
      "evals/lib/y.ts": "export const y = 1; // a cycle back: import '../a.eval.ts'\nimport '../a.eval.ts';",
      "evals/rows.jsonl": "{}",
      "evals/lazy.mts": "export {};",
      "shared/index.ts": 'import data from "./data.json" with { type: "json" };\nexport { data };',
      "shared/data.json": "{}",
      "node_modules/pkg/index.ts": "export {};",
      "evals/b.eval.ts": 'import "../node_modules/pkg/index.ts";',
    });
    const found = (entries: string[]) =>
      [...importedFiles(entries.map((e) => join(root, e)))].map((f) => relative(root, f)).sort();
    // y.ts imports the eval file back: it is imported, so editing it may change more than itself.
    expect(found(["evals/a.eval.ts"])).toEqual([
      "evals/a.eval.ts",
      "evals/lazy.mts",
      "evals/lib/x.ts",
      "evals/lib/y.ts",
      "evals/rows.jsonl",
      "shared/data.json",
      "shared/index.ts",
    ]);
    expect(found(["evals/b.eval.ts"])).toEqual([]);
    // An entry another entry imports is reported; one nothing imports is not.
    expect(found(["evals/lazy.mts", "shared/index.ts", "shared/data.json"])).toEqual(["shared/data.json"]);
  });
});
