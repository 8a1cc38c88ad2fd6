import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULTS } from "../../../src/config/defaults.ts";
import { discoverEvalFiles } from "../../../src/discovery/glob.ts";
import { tempDir } from "../../support/temp-dir.ts";

const FILES = [
  "evals/b.eval.jsonl",
  "evals/a.eval.jsonl",
  "evals/sub/c.eval.ts",
  "evals/notes.jsonl",
  "top.eval.jsonl",
  "node_modules/pkg/x.eval.jsonl",
  "packages/app/node_modules/y.eval.ts",
  "outputs/run-1/z.eval.jsonl",
  "dist/evals/a.eval.ts",
  ".hidden/h.eval.jsonl",
];

let root: string;
const discover = (filters: string[] = []) =>
  discoverEvalFiles(root, [...DEFAULTS.include], [...DEFAULTS.exclude], filters).then((fs) =>
    fs.map((f) => f.file),
  );

beforeAll(() => {
  root = tempDir("jury-glob-");
  for (const f of FILES) {
    mkdirSync(dirname(join(root, f)), { recursive: true });
    writeFileSync(join(root, f), "");
  }
  mkdirSync(join(root, "elsewhere"));
  writeFileSync(join(root, "elsewhere", "linked.eval.jsonl"), "");
  symlinkSync(join(root, "elsewhere"), join(root, "evals", "link"), "dir");
});

describe("discoverEvalFiles", () => {
  it("finds eval files sorted by relative path, skipping node_modules, outputs, dist, dot dirs and symlinked dirs", async () => {
    expect(await discover()).toEqual([
      "elsewhere/linked.eval.jsonl",
      "evals/a.eval.jsonl",
      "evals/b.eval.jsonl",
      "evals/sub/c.eval.ts",
      "top.eval.jsonl",
    ]);
  });

  it("returns absolute paths next to the root-relative ones", async () => {
    const [first] = await discoverEvalFiles(root, ["top.eval.jsonl"], [], []);
    expect(first).toEqual({ absFile: join(root, "top.eval.jsonl"), file: "top.eval.jsonl" });
  });

  it("keeps files whose relative path contains any filter, like Vitest", async () => {
    expect(await discover(["sub/", "top"])).toEqual(["evals/sub/c.eval.ts", "top.eval.jsonl"]);
    expect(await discover(["a.eval"])).toEqual(["evals/a.eval.jsonl"]);
    expect(await discover(["nothing-matches"])).toEqual([]);
  });

  it("normalises ./relative and absolute filters against the root", async () => {
    expect(await discover(["./evals/a.eval.jsonl"])).toEqual(["evals/a.eval.jsonl"]);
    expect(await discover([join(root, "evals", "b.eval.jsonl")])).toEqual(["evals/b.eval.jsonl"]);
    expect(await discover([join(root, "evals", "sub")])).toEqual(["evals/sub/c.eval.ts"]);
    expect(await discover(["."])).toHaveLength(5);
  });
});
