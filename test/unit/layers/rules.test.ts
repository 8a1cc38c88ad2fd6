import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import type { IViolation } from "dependency-cruiser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cruiseWithProjectRules, REPO } from "./cruise.ts";

/** A tree with one deliberate breach of each layer rule, in the project's folder layout. */
const BAD_TREE: Record<string, string> = {
  // A cycle closed through a dynamic import, as the reporter registry once closed reporters ↔ runner.
  "src/plan/a.ts": 'import { b } from "./b.ts";\nexport const a = () => b;\n',
  "src/plan/b.ts": 'export const b = async () => (await import("./a.ts")).a;\n',
  "src/runner/run.ts": "export const run = 1;\n",
  "reporters/bad.ts": 'import { run } from "../src/runner/run.ts";\nexport const bad = run;\n',
  "src/gate/gate.ts": "export const gate = 1;\n",
  "src/metrics/summary.ts": 'import { gate } from "../gate/gate.ts";\nexport const summary = gate;\n',
  "src/metrics/read.ts": 'import { readFileSync } from "node:fs";\nexport const read = readFileSync;\n',
  "src/gate/sdk.ts": 'import OpenAI from "openai";\nexport const sdk = OpenAI;\n',
  "src/checks.ts": 'import { summary } from "./metrics/summary.ts";\nexport const checks = summary;\n',
  "src/index.ts": 'export { checks } from "./checks.ts";\nexport type * from "./types.ts";\n',
  "src/types.ts": 'import { a } from "./plan/a.ts";\nexport type A = typeof a;\n',
  "src/providers/mock.ts": "export const mock = 1;\n",
  "src/simulator/server.ts": 'import { mock } from "../providers/mock.ts";\nexport const server = mock;\n',
  "src/store/cache.ts": 'import { main } from "../cli/index.ts";\nexport const cache = main;\n',
  "src/cli/index.ts": "export const main = 1;\n",
  "bin/evals.js": 'import "../src/cli/index.ts";\n',
};

/** `rule: from → to`, or for a cycle the whole loop, dynamic imports marked; npm packages by node_modules path. */
function describeViolation(v: IViolation): string {
  if (v.cycle) {
    const loop = v.cycle.map(
      (c) => `${c.name}${c.dependencyTypes.includes("dynamic-import") ? " (dynamic)" : ""}`,
    );
    return `${v.rule.name}: ${[v.from, ...loop].join(" → ")}`;
  }
  return `${v.rule.name}: ${v.from} → ${v.to.replace(/^.*\/node_modules\//, "node_modules/")}`;
}

let tree: string;
beforeAll(() => {
  tree = mkdtempSync(join(tmpdir(), "jury-layers-"));
  writeFileSync(join(tree, "tsconfig.json"), JSON.stringify({ extends: join(REPO, "tsconfig.json") }));
  symlinkSync(join(REPO, "node_modules"), join(tree, "node_modules"), "dir");
  for (const [path, content] of Object.entries(BAD_TREE)) {
    mkdirSync(dirname(join(tree, path)), { recursive: true });
    writeFileSync(join(tree, path), content);
  }
});
afterAll(() => rmSync(tree, { recursive: true, force: true }));

describe("the layer rules (.dependency-cruiser.cjs)", () => {
  it("report each deliberate breach, and nothing else", async () => {
    const result = await cruiseWithProjectRules(tree, ["src", "reporters", "bin"]);
    const found = result.summary.violations.map(describeViolation).sort();
    expect(found).toEqual([
      "cli-is-the-top-layer: src/store/cache.ts → src/cli/index.ts",
      "gate-builds-on-metrics: src/metrics/summary.ts → src/gate/gate.ts",
      "jury-entry-loads-no-runner: src/index.ts → src/metrics/summary.ts",
      "no-circular: src/plan/a.ts → src/plan/b.ts → src/plan/a.ts (dynamic)",
      "pure-loads-no-io: src/gate/sdk.ts → node_modules/openai/index.mjs",
      "pure-loads-no-io: src/metrics/read.ts → fs",
      "reporters-not-runner: reporters/bad.ts → src/runner/run.ts",
      "runner-is-the-top-layer: reporters/bad.ts → src/runner/run.ts",
      "simulator-is-a-leaf: src/simulator/server.ts → src/providers/mock.ts",
      "types-import-nothing-at-runtime: src/types.ts → src/plan/a.ts",
    ]);
  });

  it("find no violation in this repository", async () => {
    const result = await cruiseWithProjectRules(REPO, ["src", "reporters", "bin"]);
    expect(result.summary.violations).toEqual([]);
    // The cruise saw the whole tree, not an empty selection.
    expect(result.summary.totalCruised).toBeGreaterThan(100);
  });

  it("fail `npm run lint` on the bad tree, naming the rule", async () => {
    const script = (
      JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { scripts: { lint: string } }
    ).scripts.lint;
    const depcruise = script
      .split("&&")
      .map((s) => s.trim())
      .find((s) => s.startsWith("depcruise "));
    expect(depcruise).toBeDefined();
    const args = (depcruise as string).split(/\s+/).slice(1);
    const configAt = args.indexOf("--config") + 1;
    args[configAt] = join(REPO, args[configAt] as string);
    const bin = join(REPO, "node_modules/dependency-cruiser/bin/dependency-cruise.mjs");
    const failed = await promisify(execFile)(process.execPath, [bin, ...args], {
      cwd: tree,
    }).then(
      () => undefined,
      (err: { code?: number; stdout?: string }) => err,
    );
    expect(failed?.code).toBeGreaterThan(0);
    expect(failed?.stdout).toContain("error reporters-not-runner: reporters/bad.ts → src/runner/run.ts");
  });
});
