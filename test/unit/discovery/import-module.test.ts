import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it, vi } from "vitest";
import { loadConfigFile } from "../../../src/config/load.ts";
import { importModule } from "../../../src/discovery/import-module.ts";
import { createFixtureProject } from "../../support/fixture-project.ts";

// A JavaScript package (as jury itself and the provider SDKs are once installed) and a workspace package whose
// entry is TypeScript.
const PACKAGES = {
  "node_modules/fake-sdk/package.json": '{ "name": "fake-sdk", "type": "module", "main": "index.js" }\n',
  "node_modules/fake-sdk/index.js": "export const client = { made: Symbol('client') };\n",
  "node_modules/ws-lib/package.json": '{ "name": "ws-lib", "main": "src/index.ts" }\n',
  "node_modules/ws-lib/src/index.ts": "export const twice = (n: number): number => n * 2;\n",
};

describe("importModule", () => {
  it("loads a TS config's packages with Node itself, once, never through a TypeScript loader", async () => {
    const root = createFixtureProject({
      ...PACKAGES,
      "evals.config.ts": `import { defineConfig } from "jury";
import { client } from "fake-sdk";
import { twice } from "ws-lib";
export const sdk = client;
export default defineConfig({ run: { concurrency: twice(2) } });
`,
    });
    const config = join(root, "evals.config.ts");
    const first = await importModule(config);
    const second = await importModule(config);
    const native = (await import(pathToFileURL(join(root, "node_modules/fake-sdk/index.js")).href)) as {
      client: unknown;
    };
    // The same module instance as a plain import: not a copy made by loader hooks (tsx's tsImport gave each call
    // a namespace of its own, through which every package of the graph was loaded again).
    expect(first.sdk).toBe(native.client);
    expect(second.sdk).toBe(native.client);
    // A package whose entry is TypeScript (a workspace's sources) is compiled into the bundle.
    expect((await loadConfigFile(config, "evals.config.ts")).value).toEqual({ run: { concurrency: 4 } });
  });

  it("gives a file that require()s a package or a built-in (a CommonJS project's) a real require", async () => {
    const root = createFixtureProject({
      ...PACKAGES,
      "node_modules/cjs-lib/package.json": '{ "name": "cjs-lib", "main": "index.js" }\n',
      "node_modules/cjs-lib/index.js": "module.exports = { kind: typeof module };\n",
      "evals/r.eval.ts": `const lib = require("cjs-lib");
const { join } = require("node:path");
export const kind: string = lib.kind;
export const joined: string = join("a", "b");
`,
    });
    const mod = await importModule(join(root, "evals/r.eval.ts"));
    expect(mod).toMatchObject({ kind: "object", joined: "a/b" });
  });

  it("runs the file again on each import (watch mode), with each file's own import.meta.url and __dirname", async () => {
    const root = createFixtureProject({
      "evals/lib/where.ts":
        "export const url: string = import.meta.url;\nexport const dir: string = __dirname;\n",
      "evals/count.eval.ts": `import { url, dir } from "./lib/where.ts";
const g = globalThis as { importModuleRuns?: number };
g.importModuleRuns = (g.importModuleRuns ?? 0) + 1;
export const runs = g.importModuleRuns;
export const here = import.meta.url;
export { url, dir };
`,
    });
    const file = join(root, "evals/count.eval.ts");
    const first = await importModule(file);
    const second = await importModule(file);
    expect(Number(second.runs) - Number(first.runs)).toBe(1);
    expect(first.here).toBe(pathToFileURL(file).href);
    expect(first.url).toBe(pathToFileURL(join(root, "evals/lib/where.ts")).href);
    expect(first.dir).toBe(join(root, "evals/lib"));
  });

  it("reuses the bundle until a file it was built from changes", async () => {
    const root = createFixtureProject({
      "evals/lib/value.ts": "export const value: number = 1;\n",
      "evals/reuse-bundle.eval.ts": 'export { value } from "./lib/value.ts";\n',
    });
    const file = join(root, "evals/reuse-bundle.eval.ts");
    // The cache dir is shared with every other test file: the eval file's name is one no other test uses.
    const cache = join(tmpdir(), `jury-modules-${process.getuid?.() ?? 0}`);
    const bundles = () =>
      readdirSync(cache)
        .filter((f) => f.startsWith("reuse-bundle.eval.ts-"))
        .map((f) => [f, statSync(join(cache, f)).mtimeMs]);
    expect((await importModule(file)).value).toBe(1);
    const built = bundles();
    expect(built).toHaveLength(2); // the bundle and its manifest
    expect((await importModule(file)).value).toBe(1);
    expect(bundles()).toEqual(built);
    // Same size, same second: the content says it changed.
    writeFileSync(join(root, "evals/lib/value.ts"), "export const value: number = 2;\n");
    expect((await importModule(file)).value).toBe(2);
  });

  it("never runs a bundle from a cache dir others may write to: it bundles privately, and leaves nothing", async () => {
    // A TMPDIR of this test's own: the cache dir's mode changes here, and other test files share the real one.
    const tmp = mkdtempSync(join(tmpdir(), "jury-tmpdir-"));
    vi.stubEnv("TMPDIR", tmp);
    try {
      const root = createFixtureProject({ "evals/planted.eval.ts": "export const value: number = 1;\n" });
      const file = join(root, "evals/planted.eval.ts");
      expect((await importModule(file)).value).toBe(1);
      const cache = join(tmp, `jury-modules-${process.getuid?.() ?? 0}`);
      expect(statSync(cache).mode & 0o777).toBe(0o700);
      // Someone who can write there plants a bundle under the name the next import looks for.
      const bundle = readdirSync(cache).find((f) => f.endsWith(".mjs")) as string;
      writeFileSync(join(cache, bundle), 'export const value = "planted";\n');
      chmodSync(cache, 0o777);
      expect((await importModule(file)).value).toBe(1);
      expect(readdirSync(tmp).filter((f) => f.startsWith("jury-module-"))).toEqual([]);
    } finally {
      vi.unstubAllEnvs();
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it("maps a throw to the user's TypeScript file and line; an unresolved import is Node's error", async () => {
    const root = createFixtureProject({
      "evals/lib/fail.ts":
        "type Row = { prompt: string };\nexport function rows(): Row[] {\n  throw new RangeError('no rows');\n}\n",
      "evals/throws.eval.ts": 'import { rows } from "./lib/fail.ts";\n\nrows();\n',
      "evals/missing.eval.ts": 'import x from "./gone.ts";\nexport default x;\n',
    });
    const err = await importModule(join(root, "evals/throws.eval.ts")).catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(RangeError);
    expect((err as Error).stack).toContain(`${join(root, "evals/lib/fail.ts")}:3:9`);
    const missing = await importModule(join(root, "evals/missing.eval.ts")).catch((e: unknown) => e as Error);
    expect(missing).toMatchObject({
      code: "ERR_MODULE_NOT_FOUND",
      message: `Cannot find module './gone.ts' imported from ${join(root, "evals/missing.eval.ts")}`,
    });
  });
});
