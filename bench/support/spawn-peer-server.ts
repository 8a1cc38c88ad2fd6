import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import type { PeerServerStats, PeerServerTiming } from "./peer-server.ts";

const TSX = import.meta.resolve("tsx");

export interface PeerServerProcess {
  /** Base URL, without `/v1`. */
  url: string;
  pid: number;
  /** Sets the timing of the calls that follow. */
  configure(timing: Partial<PeerServerTiming>): Promise<void>;
  /** The calls counted since the last reset. */
  stats(): Promise<PeerServerStats>;
  reset(): Promise<void>;
  close(): Promise<void>;
}

/** Starts the peer server in a child process and resolves once it listens. */
export async function spawnPeerServer(timing: PeerServerTiming): Promise<PeerServerProcess> {
  const script = fileURLToPath(new URL("./peer-server-main.ts", import.meta.url));
  const child = spawn(process.execPath, ["--import", TSX, script, JSON.stringify(timing)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const [line] = (await once(child.stdout, "data")) as [Buffer];
  const url = line.toString().trim();
  const post = async (path: string, body?: unknown) => {
    const res = await fetch(`${url}${path}`, { method: "POST", body: JSON.stringify(body ?? {}) });
    await res.arrayBuffer();
  };
  return {
    url,
    pid: child.pid ?? 0,
    configure: (t) => post("/config", t),
    stats: async () => (await (await fetch(`${url}/stats`)).json()) as PeerServerStats,
    reset: () => post("/stats/reset"),
    close: async () => {
      child.kill("SIGTERM");
      await once(child, "exit");
    },
  };
}
