// Runs the simulator in a process of its own (a real LLM server does not share the runner's event loop) and
// prints its URLs as the first stdout line (JSON: url, h2cUrl). Options as JSON in argv[2]. Used by benches through
// spawnSimulator(), which asks over the IPC channel for the process's CPU time (`"cpu"` → process.cpuUsage()): the
// simulator's own cost, apart from its clients'.
import { startSimulator } from "../../src/simulator/server.ts";

const sim = await startSimulator(JSON.parse(process.argv[2] ?? "{}"));
process.stdout.write(`${JSON.stringify({ url: sim.url, h2cUrl: sim.h2cUrl })}\n`);
process.on("message", (m) => {
  if (m === "cpu") process.send?.(process.cpuUsage());
});
process.channel?.unref();
process.on("SIGTERM", () => void sim.close().then(() => process.exit(0)));
