// The CLI from TypeScript sources; started by bin/evals.js when there is no build.
import { exitOnEarlySignal } from "./early-signal.js";

exitOnEarlySignal();
const { main } = await import("../src/cli/index.ts");
process.exitCode = await main(process.argv.slice(2));
