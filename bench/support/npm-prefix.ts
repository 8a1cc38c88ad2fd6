import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Where a bench's third-party tools are installed: one dir per set of pinned packages, kept across runs. */
export const PEERS_CACHE = join(tmpdir(), "jury-bench-peers");

export type Installed = { ok: true; dir: string; note: string } | { ok: false; dir: string; reason: string };

/**
 * Installs `packages` (each `name@version`) with `npm install --prefix` into a dir of PEERS_CACHE named after them
 * (never into the project), or reuses that dir when an earlier run completed the same install. A failed install
 * (e.g. the registry unreachable) is reported, not thrown, so a bench can go on without that tool.
 */
export function installPackages(packages: readonly string[]): Installed {
  const dir = join(PEERS_CACHE, packages.join("+").replaceAll("/", "_"));
  const marker = join(dir, ".installed");
  if (existsSync(marker) && readFileSync(marker, "utf8") === packages.join("\n"))
    return { ok: true, dir, note: `cached in ${dir}` };
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "package.json"), '{ "private": true }\n');
  const t0 = performance.now();
  process.stderr.write(`bench: npm install ${packages.join(" ")} into ${dir}…\n`);
  const npm = spawnSync(
    "npm",
    ["install", "--prefix", dir, "--no-audit", "--no-fund", "--loglevel=error", ...packages],
    { stdio: ["ignore", "inherit", "pipe"], encoding: "utf8", timeout: 15 * 60_000 },
  );
  if (npm.status !== 0)
    return {
      ok: false,
      dir,
      reason: `npm install ${packages.join(" ")} failed (exit ${npm.status ?? npm.signal}; registry unreachable?): ${npm.stderr.trim().split("\n").slice(-3).join(" ")}`,
    };
  writeFileSync(marker, packages.join("\n"));
  return {
    ok: true,
    dir,
    note: `installed in ${((performance.now() - t0) / 1000).toFixed(0)} s into ${dir}`,
  };
}
