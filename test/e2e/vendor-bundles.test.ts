// The one-file bundles of dist/vendor (scripts/vendor-bundles.ts, made by this project's global setup): each exports
// what its package exports, and the code built into dist/ loads the bundle, not the package.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { COMMONJS } from "../../scripts/vendor-bundles.ts";
import { VENDORED, type Vendored } from "../../src/vendor.ts";

const DIST = fileURLToPath(new URL("../../dist/", import.meta.url));

/** The names a module exports; a CommonJS package's are those of its `module.exports` (its default export). */
const exportsOf = (module: Record<string, unknown>, commonjs: boolean) =>
  Object.keys(commonjs ? (module.default as object) : module).sort();

describe("vendor bundles", () => {
  for (const name of Object.keys(VENDORED) as Vendored[]) {
    it(`${name}: the bundle exports what the package does`, async () => {
      const bundle = (await import(pathToFileURL(join(DIST, "vendor", VENDORED[name])).href)) as Record<
        string,
        unknown
      >;
      const installed = (await import(name)) as Record<string, unknown>;
      const commonjs = COMMONJS.has(name);
      expect(exportsOf(bundle, commonjs)).toEqual(
        exportsOf(installed, commonjs).filter((k) => k !== "default"),
      );
      expect(exportsOf(bundle, commonjs).length).toBeGreaterThan(0);
    });
  }

  it("the built code imports each bundle through vendored(), never the package", async () => {
    const { vendored } = (await import(pathToFileURL(join(DIST, "src", "vendor.js")).href)) as {
      vendored(name: Vendored): string;
    };
    for (const name of Object.keys(VENDORED) as Vendored[])
      expect(vendored(name)).toBe(pathToFileURL(join(DIST, "vendor", VENDORED[name])).href);
    const built = readFileSync(join(DIST, "src", "providers", "openai.js"), "utf8");
    expect(built).toContain('vendored("openai")');
    expect(built).not.toMatch(/import\("openai"\)|from "openai"/);
  });
});
