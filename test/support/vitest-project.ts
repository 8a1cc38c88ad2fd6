// Issue 19: examples/vitest run by a REAL `vitest run` child process (the process under test is Vitest), with
// jury installed in the project as a user's `npm install` would put it, so Vitest loads it as it loads any package.
import { spawn } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import buildDist from "./build-cli.ts";
import { tempDir } from "./temp-dir.ts";

const REPO = fileURLToPath(new URL("../..", import.meta.url));
export const EXAMPLE = join(REPO, "examples", "vitest");

/** A Vitest the example is run with. */
export interface VitestUnderTest {
  version: string;
  /** Its package directory. */
  dir: string;
  /** The oldest Node it runs on, [major, minor] (its package.json `engines`). */
  minNode: [number, number];
  /** What installs it when `dir` is missing. */
  install: string;
}

export const VITESTS: VitestUnderTest[] = [
  {
    version: "4.1.12",
    dir: join(REPO, "node_modules", "vitest"),
    minNode: [20, 19],
    install: "npm ci",
  },
  {
    version: "5.1.2",
    dir: join(REPO, "test", "vitest5", "node_modules", "vitest"),
    minNode: [22, 12],
    install: "npm ci --prefix test/vitest5",
  },
];

/**
 * Why `vitest` cannot run on this Node (a skip reason that says so), or undefined when it can. CI runs the suite on
 * Node 20 and 24: Vitest 5 runs on the second.
 */
export function nodeTooOld(vitest: VitestUnderTest): string | undefined {
  const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
  const [minMajor, minMinor] = vitest.minNode;
  if (major > minMajor || (major === minMajor && minor >= minMinor)) return undefined;
  return `Vitest ${vitest.version} needs Node ≥ ${minMajor}.${minMinor} (this is Node ${process.versions.node}): CI runs it on Node 24`;
}

/**
 * Whether `vitest` is installed and this Node runs it: the jury/vitest tests skip one that is not. (The examples'
 * tests skip on `nodeTooOld` alone, and `installedModules` fails for a missing Vitest with what installs it.)
 */
export function runsHere(vitest: VitestUnderTest): boolean {
  return nodeTooOld(vitest) === undefined && existsSync(vitest.dir);
}

/**
 * A `node_modules` with jury installed as a package (package.json and a fresh dist/, built here when the sources
 * are newer), `vitest` the given version and every other dependency of this repo linked. jury is a real directory,
 * not a link to this repo: Vitest externalizes it as a package, and its `import "vitest"` resolves to the Vitest
 * under test, never to the repo's own. `src` and `reporters` are linked in too, for the in-process `evals` commands
 * of the tests (they resolve "jury" with the `jury-source` condition).
 */
export function installedModules(vitest: VitestUnderTest): string {
  // Made once per test file: its temp dir is removed after the file, and the next file makes another.
  const made = installed.get(vitest);
  if (made !== undefined && existsSync(made)) return made;
  if (!existsSync(join(vitest.dir, "package.json")))
    throw new Error(`Vitest ${vitest.version} is not installed at ${vitest.dir}: run \`${vitest.install}\``);
  buildDist();
  const modules = join(tempDir(`jury-vitest${vitest.version.split(".")[0]}-modules-`), "node_modules");
  mkdirSync(modules, { recursive: true });
  for (const name of readdirSync(join(REPO, "node_modules"))) {
    if (name === "vitest" || name === "jury" || name.startsWith(".")) continue;
    symlinkSync(join(REPO, "node_modules", name), join(modules, name), "dir");
  }
  symlinkSync(vitest.dir, join(modules, "vitest"), "dir");
  const jury = join(modules, "jury");
  mkdirSync(jury);
  cpSync(join(REPO, "package.json"), join(jury, "package.json"));
  cpSync(join(REPO, "config"), join(jury, "config"), { recursive: true });
  cpSync(join(REPO, "dist"), join(jury, "dist"), {
    recursive: true,
    filter: (src) => !src.endsWith(".map") && !basename(src).startsWith("."),
  });
  for (const dir of ["src", "reporters", "bin"]) symlinkSync(join(REPO, dir), join(jury, dir), "dir");
  installed.set(vitest, modules);
  return modules;
}
const installed = new Map<VitestUnderTest, string>();

/** A copy of examples/vitest in a temp dir, its node_modules `modules` (from installedModules). */
export function exampleProject(modules: string, files: Record<string, string> = {}): string {
  const root = tempDir("jury-vitest-example-");
  cpSync(EXAMPLE, root, { recursive: true, filter: (src) => !src.includes("node_modules") });
  symlinkSync(modules, join(root, "node_modules"), "dir");
  for (const [path, content] of Object.entries(files)) writeFileSync(join(root, path), content);
  return root;
}

export interface VitestRun {
  code: number | null;
  /** stdout, SGR colour codes stripped. */
  stdout: string;
  stderr: string;
  /** What the run took, in ms. */
  ms: number;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: SGR codes start with ESC
const SGR = /\x1b\[[0-9;]*m/g;

/**
 * Runs `vitest run …args` of the project at `root` in a child process, as CI would (CI=true, no colours), without
 * this test run's own Vitest variables; `env` on top.
 */
export function runVitest(
  root: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<VitestRun> {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !k.startsWith("VITEST") && k !== "NODE_OPTIONS" && k !== "GITHUB_ACTIONS" && k !== "TEST",
    ),
  );
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [join(root, "node_modules", "vitest", "vitest.mjs"), "run", ...args],
    {
      cwd: root,
      env: { ...base, CI: "true", NO_COLOR: "1", FORCE_COLOR: "0", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => {
    stdout += d;
  });
  child.stderr.on("data", (d) => {
    stderr += d;
  });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) =>
      resolve({
        code,
        stdout: stdout.replace(SGR, ""),
        stderr: stderr.replace(SGR, ""),
        ms: Math.round(performance.now() - started),
      }),
    );
  });
}

/** One test of Vitest's `json` reporter file. */
export interface JsonTest {
  file: string;
  fullName: string;
  title: string;
  status: string;
  failureMessages: string[];
}

/** The tests of a Vitest `json` reporter file, each with the file it is in (relative to `root`). */
export function jsonTests(root: string, file: string): JsonTest[] {
  const report = JSON.parse(readFileSync(join(root, file), "utf8")) as {
    testResults: { name: string; assertionResults: Omit<JsonTest, "file">[] }[];
  };
  return report.testResults.flatMap((f) =>
    f.assertionResults.map((t) => ({ ...t, file: f.name.slice(root.length + 1) })),
  );
}
