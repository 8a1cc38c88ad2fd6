#!/usr/bin/env node
// Runs the built CLI. In a source checkout without dist/ (`npm run build` not yet run), runs the TypeScript
// sources in a child Node with tsx and the `jury-source` export condition, so eval files importing "jury" get the
// same sources.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { constants } from "node:os";
import { basename } from "node:path";
import { fileURLToPath } from "node:url";
import { exitOnEarlySignal } from "./early-signal.js";

exitOnEarlySignal();
// The bin the user ran (node_modules/.bin/jury, or bin/jury.js through a Windows shim) names the program in
// --help and hints.
const program = basename(process.argv[1] ?? "").startsWith("jury") ? "jury" : "evals";
const built = new URL("../dist/src/cli/index.js", import.meta.url);
if (existsSync(fileURLToPath(built))) {
  // Node 22+: the CLI's modules compiled once, not on every command (a no-op on Node 20). Only a speed-up: a dist/
  // built before it existed runs without it.
  await import(new URL("../dist/src/compile-cache.js", import.meta.url).href).then(
    (m) => m.enableCompileCache(),
    () => undefined,
  );
  const { main } = await import(built.href);
  process.exitCode = await main(process.argv.slice(2), { program });
} else {
  // Ctrl-C reaches the child too (one process group), which decides how it ends: its exit code says so.
  process.on("SIGINT", () => {});
  const entry = fileURLToPath(new URL("./evals-source.mjs", import.meta.url));
  const tsx = import.meta.resolve("tsx");
  const child = spawnSync(
    process.execPath,
    ["--conditions", "jury-source", "--import", tsx, entry, ...process.argv.slice(2)],
    { stdio: "inherit" },
  );
  // A child ended by a signal exits as a shell reports it: 128 + the signal's number (130 for Ctrl-C).
  process.exitCode = child.status ?? (child.signal ? 128 + constants.signals[child.signal] : 1);
}
