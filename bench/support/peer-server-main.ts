// Runs the peer server (peer-server.ts) in a process of its own and prints its URL as the first stdout line.
// Timing as JSON in argv[2]. Started by spawnPeerServer().
import { type PeerServerTiming, startPeerServer } from "./peer-server.ts";

const server = await startPeerServer(JSON.parse(process.argv[2] ?? "{}") as PeerServerTiming);
process.stdout.write(`${server.url}\n`);
process.on("SIGTERM", () => void server.close().then(() => process.exit(0)));
