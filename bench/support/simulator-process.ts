// Runs the simulator in a process of its own (a real LLM server does not share the runner's event loop) and
// prints its URLs as the first stdout line (JSON: url, h2cUrl). Options as JSON in argv[2]. Used by benches through spawnSimulator().
import { startSimulator } from "../../src/simulator/server.ts";

const sim = await startSimulator(JSON.parse(process.argv[2] ?? "{}"));
process.stdout.write(`${JSON.stringify({ url: sim.url, h2cUrl: sim.h2cUrl })}\n`);
process.on("SIGTERM", () => void sim.close().then(() => process.exit(0)));
