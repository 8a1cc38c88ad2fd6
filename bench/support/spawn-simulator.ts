import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import type { SimulatorOptions, SimulatorStats } from "../../src/simulator/server.ts";

export interface SimulatorProcess {
  url: string;
  /** HTTP/2 straight to the simulator's h2c server, without the preface-sniffing hop of `url`. */
  h2cUrl: string;
  stats(): Promise<SimulatorStats>;
  /** CPU time of the simulator's process so far (every thread), as process.cpuUsage() gives it (µs). */
  cpuUsage(): Promise<NodeJS.CpuUsage>;
  close(): Promise<void>;
}

/** Starts the simulator in a child process and resolves once it listens. */
export async function spawnSimulator(options: SimulatorOptions): Promise<SimulatorProcess> {
  const script = fileURLToPath(new URL("./simulator-process.ts", import.meta.url));
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "--conditions", "jury-source", script, JSON.stringify(options)],
    { stdio: ["ignore", "pipe", "inherit", "ipc"] },
  );
  child.channel?.unref();
  const [line] = (await once(child.stdout as NodeJS.ReadableStream, "data")) as [Buffer];
  const { url, h2cUrl } = JSON.parse(line.toString()) as { url: string; h2cUrl: string };
  return {
    url,
    h2cUrl,
    stats: async () => (await (await fetch(`${url}/stats`)).json()) as SimulatorStats,
    cpuUsage: async () => {
      child.channel?.ref();
      try {
        const reply = once(child, "message") as Promise<[NodeJS.CpuUsage]>;
        child.send("cpu");
        return (await reply)[0];
      } finally {
        child.channel?.unref();
      }
    },
    close: async () => {
      child.kill("SIGTERM");
      await once(child, "exit");
    },
  };
}
