// The published package, as a user gets it: `npm pack` of the built dist/ (fresh: see build-cli.ts), installed
// into a new project without the network, then its bins run there. Child processes: npm and the bins are the
// subject.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, posix } from "node:path";
import { fileURLToPath } from "node:url";
import { stripVTControlCharacters } from "node:util";
import { describe, expect, it } from "vitest";
import { tempDir } from "../support/temp-dir.ts";

const REPO = fileURLToPath(new URL("../..", import.meta.url));
const PKG = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as {
  name: string;
  version: string;
  license: string;
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  bin: Record<string, string>;
  engines: Record<string, string>;
  exports: Record<string, string | Record<string, string>>;
};

interface Done {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `command args` in `cwd` to the end; colours off, as CI would log it. */
function run(command: string, args: string[], cwd: string): Promise<Done> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { cwd, env: { ...process.env, CI: "true", NO_COLOR: "1", GITHUB_ACTIONS: "" }, maxBuffer: 64 << 20 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
        resolve({ code, stdout: stripVTControlCharacters(stdout), stderr: stripVTControlCharacters(stderr) });
      },
    );
  });
}

/** `npm pack --json` of the repo's current dist/ (its prepack build skipped: the dist is fresh) into `dir`. */
async function pack(args: string[]): Promise<{ filename: string; files: { path: string }[] }> {
  const packed = await run("npm", ["pack", "--json", "--ignore-scripts", ...args], REPO);
  expect(packed.stderr.replace(/^npm warn .*\n/gm, "")).toBe("");
  expect(packed.code).toBe(0);
  return (JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[])[0] as {
    filename: string;
    files: { path: string }[];
  };
}

/**
 * A project that depends on the tarball, with a lockfile pinning every dependency of jury to the version and
 * integrity of the repo's package-lock.json: `npm ci --offline` then needs from the npm cache exactly what the
 * repo's own `npm ci` put there (CI runs it first), and never resolves a version range against the registry.
 */
function writeProject(root: string, tarball: string): void {
  const lock = JSON.parse(readFileSync(join(REPO, "package-lock.json"), "utf8")) as {
    packages: Record<string, { dev?: boolean; devOptional?: boolean }>;
  };
  const spec = `file:${tarball}`;
  const jury = {
    version: PKG.version,
    resolved: spec,
    integrity: `sha512-${createHash("sha512")
      .update(readFileSync(join(root, tarball)))
      .digest("base64")}`,
    license: PKG.license,
    dependencies: PKG.dependencies,
    bin: PKG.bin,
    engines: PKG.engines,
  };
  const packages: Record<string, unknown> = {
    "": { name: "new-project", dependencies: { jury: spec } },
    "node_modules/jury": jury,
  };
  // The repo's production tree, where npm hoisted it: the same paths under the new project.
  for (const [path, entry] of Object.entries(lock.packages))
    if (path.startsWith("node_modules/") && !entry.dev && !entry.devOptional) packages[path] = entry;
  const pkg = { name: "new-project", private: true, dependencies: { jury: spec } };
  writeFileSync(join(root, "package.json"), `${JSON.stringify(pkg, null, 2)}\n`);
  writeFileSync(
    join(root, "package-lock.json"),
    `${JSON.stringify({ name: "new-project", lockfileVersion: 3, requires: true, packages }, null, 2)}\n`,
  );
}

describe("the published package", () => {
  it("ships no source map without its sources, and no prepare script (it would run in consumers)", async () => {
    expect(PKG.scripts.prepare).toBeUndefined();
    expect(PKG.scripts.prepack).toBe("npm run build");
    const { files } = await pack(["--dry-run"]);
    const shipped = new Set(files.map((f) => f.path));
    // What package.json points a consumer at is in the package (the `jury-source` condition is this repo's own).
    const targets = [
      ...Object.values(PKG.bin),
      ...Object.values(PKG.exports).flatMap((e) =>
        typeof e === "string" ? [e] : [e.types, e.default].filter((t) => t !== undefined),
      ),
    ].map((t) => posix.normalize(t as string));
    expect(targets).toContain("bin/jury.js");
    expect(targets.filter((t) => !shipped.has(t))).toEqual([]);
    const missing: string[] = [];
    for (const path of shipped) {
      if (!path.endsWith(".map")) continue;
      const map = JSON.parse(readFileSync(join(REPO, path), "utf8")) as { sources: string[] };
      for (const source of map.sources) {
        const target = posix.normalize(posix.join(posix.dirname(path), source));
        if (!shipped.has(target)) missing.push(`${path} → ${target}`);
      }
    }
    expect(missing).toEqual([]);
  }, 60_000);

  it("packed and installed offline in a new project: npx jury init && npx jury exit 0", async () => {
    const dir = tempDir("jury-pack-");
    const { filename } = await pack(["--pack-destination", dir]);
    const root = join(dir, "new-project");
    mkdirSync(root);
    writeProject(root, posix.join("..", filename));

    const install = await run(
      "npm",
      ["ci", "--offline", "--ignore-scripts", "--no-audit", "--no-fund"],
      root,
    );
    expect(install.stderr.replace(/^npm warn .*\n/gm, "")).toBe("");
    expect(install.code).toBe(0);

    const help = await run("npx", ["--offline", "jury", "--help"], root);
    expect(help.stdout.split("\n")[0]).toBe(`jury/${PKG.version}`);
    expect(help.stdout).toContain("  $ jury [...filters]");
    expect((await run("npx", ["--offline", "evals", "--help"], root)).stdout.split("\n")[0]).toBe(
      `evals/${PKG.version}`,
    );

    const init = await run("npx", ["--offline", "jury", "init"], root);
    expect(init.stderr).toBe("");
    expect(init.code).toBe(0);
    // jury is installed here: the typed config, which imports "jury".
    expect(init.stdout).toContain("  created  evals.config.ts\n");
    expect(init.stdout).toContain("  npx jury                     run evals/first.eval.jsonl");

    const evals = await run("npx", ["--offline", "jury"], root);
    expect(evals.stderr).toBe("");
    expect(evals.stdout).toMatch(/Cases {2}6 passed \(6\)/);
    expect(evals.stdout).toMatch(/Gate {2}✓ passed/);
    expect(evals.code).toBe(0);
  }, 180_000);
});
