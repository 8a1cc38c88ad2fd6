import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { findConfigFile, loadConfigFile, loadYamlConfig } from "../../../src/config/load.ts";
import { formatProblem, InputError, UsageError } from "../../../src/errors.ts";
import { createFixtureProject } from "../../support/fixture-project.ts";
import { tempDir } from "../../support/temp-dir.ts";

function tempProject(files: Record<string, string>): string {
  const root = tempDir("jury-config-");
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

async function loadError(abs: string, rel: string): Promise<string[]> {
  const err = await loadConfigFile(abs, rel).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(InputError);
  return (err as InputError).problems.map(formatProblem);
}

describe("findConfigFile", () => {
  it("looks in the root, then in config/, in the order ts, mts, js, mjs, yaml, yml", () => {
    const all = [
      "evals.config.ts",
      "evals.config.mts",
      "evals.config.js",
      "evals.config.mjs",
      "evals.config.yaml",
      "evals.config.yml",
    ];
    for (const [i, name] of all.entries()) {
      const root = tempProject(Object.fromEntries(all.slice(i).map((n) => [n, ""])));
      expect(findConfigFile(root)).toBe(join(root, name));
    }
    const both = tempProject({ "evals.config.yml": "", "config/evals.config.ts": "" });
    expect(findConfigFile(both)).toBe(join(both, "evals.config.yml"));
    const nested = tempProject({ "config/evals.config.yaml": "", "config/evals.config.mjs": "" });
    expect(findConfigFile(nested)).toBe(join(nested, "config", "evals.config.mjs"));
  });

  it("returns undefined when there is none", () => {
    expect(findConfigFile(tempProject({ "evals.config.json": "{}" }))).toBeUndefined();
  });

  it("takes --config relative to the root, over any other", () => {
    const root = tempProject({ "evals.config.ts": "", "ci/evals.yaml": "" });
    expect(findConfigFile(root, "ci/evals.yaml")).toBe(join(root, "ci", "evals.yaml"));
  });

  it("rejects a --config that does not exist", () => {
    const root = tempProject({ "evals.config.ts": "" });
    expect(() => findConfigFile(root, "nope.yaml")).toThrow(UsageError);
    expect(() => findConfigFile(root, "nope.yaml")).toThrow("config file not found: nope.yaml");
    expect(() => findConfigFile(root, ".")).toThrow("config file not found: .");
  });
});

describe("loadConfigFile", () => {
  it("loads a TS config importing defineConfig from jury", async () => {
    const root = createFixtureProject({
      "evals.config.ts": `import { defineConfig } from "jury";
const threshold: number = 4;
export default defineConfig({ jury: { threshold }, outputDir: "out" });
`,
    });
    const { value, locate } = await loadConfigFile(join(root, "evals.config.ts"), "evals.config.ts");
    expect(value).toEqual({ jury: { threshold: 4 }, outputDir: "out" });
    expect(locate).toBeUndefined();
  });

  it("loads an ESM project's .mts config whose default export is an async function", async () => {
    const root = createFixtureProject({
      "package.json": '{ "type": "module" }',
      "evals.config.mts": "export default async () => ({ run: { concurrency: 2 } });\n",
    });
    const { value } = await loadConfigFile(join(root, "evals.config.mts"), "evals.config.mts");
    expect(value).toEqual({ run: { concurrency: 2 } });
  });

  it("loads a plain .mjs config", async () => {
    const root = tempProject({ "evals.config.mjs": "export default { outputDir: 'o' };\n" });
    expect((await loadConfigFile(join(root, "evals.config.mjs"), "evals.config.mjs")).value).toEqual({
      outputDir: "o",
    });
  });

  it("reports a syntax error at its line", async () => {
    const root = tempProject({ "evals.config.ts": "export default {\n  jury: { threshold: 3 ,, },\n};\n" });
    expect(await loadError(join(root, "evals.config.ts"), "evals.config.ts")).toEqual([
      expect.stringMatching(/^evals\.config\.ts:2: syntax error: .+$/),
    ]);
  });

  it("reports a failing import with the cause and no stack", async () => {
    const root = tempProject({ "evals.config.ts": 'import x from "./missing.ts";\nexport default x;\n' });
    const [line, ...rest] = await loadError(join(root, "evals.config.ts"), "evals.config.ts");
    expect(rest).toEqual([]);
    expect(line).toMatch(
      /^evals\.config\.ts: cannot load the config: .*Cannot find module '\.\/missing\.ts'/,
    );
    expect(line).not.toMatch(/ at |Require stack|namespace=/);
  });

  it("reports a config that throws, and one without a default export", async () => {
    const root = tempProject({
      "throws.mjs": 'throw new Error("no API key");\n',
      "fn-throws.mjs": 'export default () => { throw new Error("bad env"); };\n',
      "named.mjs": "export const config = {};\n",
    });
    expect(await loadError(join(root, "throws.mjs"), "throws.mjs")).toEqual([
      "throws.mjs: cannot load the config: no API key",
    ]);
    expect(await loadError(join(root, "fn-throws.mjs"), "fn-throws.mjs")).toEqual([
      "fn-throws.mjs: the config function threw: bad env",
    ]);
    expect(await loadError(join(root, "named.mjs"), "named.mjs")).toEqual([
      "named.mjs: no default export; use export default defineConfig({ ... })",
    ]);
  });

  it("loads YAML as data", async () => {
    const root = tempProject({
      "evals.config.yaml": "jury:\n  threshold: 4\nreporters: [default, [junit, {outputFile: j.xml}]]\n",
    });
    const { value } = await loadConfigFile(join(root, "evals.config.yaml"), "evals.config.yaml");
    expect(value).toEqual({
      jury: { threshold: 4 },
      reporters: ["default", ["junit", { outputFile: "j.xml" }]],
    });
  });
});

describe("loadYamlConfig", () => {
  it("treats an empty file as an empty config", () => {
    expect(loadYamlConfig("# nothing yet\n", "c.yaml").value).toEqual({});
  });

  it("locates keys, list items, and the nearest existing parent of a missing key", () => {
    const { locate } = loadYamlConfig(
      "# c\njury:\n  threshold: 9\nreporters:\n  - default\n  - 42\n",
      "c.yaml",
    );
    expect(locate?.(["jury"])).toBe(2);
    expect(locate?.(["jury", "threshold"])).toBe(3);
    expect(locate?.(["reporters", 1])).toBe(6);
    expect(locate?.(["jury", "quorum"])).toBe(2);
    expect(locate?.(["nothing"])).toBeUndefined();
  });

  it("reports a YAML syntax error at its line", () => {
    const thrown = (text: string) => {
      try {
        loadYamlConfig(text, "c.yaml");
      } catch (err) {
        return err;
      }
      throw new Error("expected an InputError");
    };
    const err = thrown("jury:\n  threshold: 3\n  threshold: 4\n");
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).problems).toEqual([
      { file: "c.yaml", line: 3, message: expect.stringMatching(/^invalid YAML: Map keys must be unique/) },
    ]);
  });
});
