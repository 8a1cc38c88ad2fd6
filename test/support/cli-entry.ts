// Runs the CLI from source, so tests never exercise a stale dist/. `.ci/run` covers bin/evals.js on the build.
import { main } from "../../src/cli/index.ts";

process.exitCode = await main(process.argv.slice(2));
