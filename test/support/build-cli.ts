// Vitest globalSetup of the e2e and browser projects: builds dist/ (the CLI, `tsc -p tsconfig.build.json`) when it
// is missing or older than the sources, and its vendor bundles (scripts/vendor-bundles.ts) when one is missing or
// was made from another installed version, so tests of the built binary (signals, kill -9) never run a stale build,
// nor do the CLI's worker threads, which load dist/ in the tests (JURY_BUILT_WORKERS, vitest.config.ts). Only those
// tests start a process; everything else runs the CLI in process from the sources.
import { execFileSync } from "node:child_process";
import { existsSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { bundleVendored, vendorBundlesStale } from "../../scripts/vendor-bundles.ts";
import { listTree } from "./list-tree.ts";

const REPO = fileURLToPath(new URL("../..", import.meta.url));
// Written after each build here (incremental tsc rewrites only the files that changed).
const STAMP = join(REPO, "dist", ".built-for-tests");

/** The newest modification time of a .ts file under `dir`. */
function newest(dir: string): number {
  let max = 0;
  for (const entry of listTree(dir)) {
    if (entry.isFile() && entry.name.endsWith(".ts"))
      max = Math.max(max, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return max;
}

export default function setup(): void {
  if (vendorBundlesStale()) bundleVendored();
  // `npm run build` (CI does it before the tests) rewrites every file; this setup's incremental build, the changed ones.
  const builtAt = Math.max(
    ...[STAMP, join(REPO, "dist", "src", "cli", "index.js")].map((f) =>
      existsSync(f) ? statSync(f).mtimeMs : 0,
    ),
  );
  if (builtAt > Math.max(newest(join(REPO, "src")), newest(join(REPO, "reporters")))) return;
  const started = performance.now();
  execFileSync(
    process.execPath,
    [
      join(REPO, "node_modules", "typescript", "bin", "tsc"),
      "-p",
      "tsconfig.build.json",
      "--incremental",
      "--tsBuildInfoFile",
      "dist/.tsbuildinfo",
    ],
    { cwd: REPO, stdio: "inherit" },
  );
  writeFileSync(STAMP, "");
  console.log(`built dist/ for the built-CLI tests in ${Math.round(performance.now() - started)} ms`);
}
