// Where a run's wall time goes, seen from the server: bench:peers' work (1 streamed target call + 3 judge calls a
// case, concurrency 32) against its peer server in this process, at 200 ms TTFT + 100 tok/s by default, for the built
// jury CLI and the bare fetch loop in turn. Prints, for each, the time from spawn to its first request, the bursts
// of requests and of finished responses (a gap of 100 ms starts a new burst: at this pace each burst is a wave's
// targets or its judges), and from the last finished response to the process's exit. A wave's loss is the gap
// between one burst of finished responses and the next burst of requests (the bare loop's is the floor).
//
//   npm run bench:waves -- [--cases 160] [--concurrency 32] [--ttft 200] [--tokens-per-s 100] [--tools jury,bare]
//                          [--jury <repo>] [--events]
//
// --events also prints every request (r) and finished response (f) with its time: a case's chain, call by call.
import { spawn } from "node:child_process";
import { subscribe } from "node:diagnostics_channel";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { REPO } from "./support/built.ts";
import { REPLY_TOKENS, startPeerServer } from "./support/peer-server.ts";
import { API_KEY, bareTool, juryTool } from "./support/peer-tools.ts";
import { printTable } from "./support/table.ts";

const { values: args } = parseArgs({
  options: {
    cases: { type: "string", default: "160" },
    concurrency: { type: "string", default: "32" },
    ttft: { type: "string", default: "200" },
    "tokens-per-s": { type: "string", default: "100" },
    tools: { type: "string", default: "jury,bare" },
    jury: { type: "string", default: REPO },
    events: { type: "boolean", default: false },
  },
});
const cases = Number(args.cases);
const server = await startPeerServer({
  ttftMs: Number(args.ttft),
  tokensPerS: Number(args["tokens-per-s"]),
  ...REPLY_TOKENS,
});

/** The server's events of the run under way, in ms since its spawn. */
let events: { at: number; kind: "request" | "finished" }[] = [];
let t0 = 0;
subscribe("http.server.request.start", () => events.push({ at: performance.now() - t0, kind: "request" }));
subscribe("http.server.response.finish", () => events.push({ at: performance.now() - t0, kind: "finished" }));

/** `from–to ms (count)` for each run of times with gaps under 100 ms. */
function bursts(times: number[]): string {
  const out: string[] = [];
  let first = times[0] ?? 0;
  let last = first;
  let count = 0;
  for (const t of [...times, Number.POSITIVE_INFINITY]) {
    if (t - last > 100) {
      out.push(`${first.toFixed(0)}–${last.toFixed(0)} (${count})`);
      [first, count] = [t, 0];
    }
    last = t;
    count++;
  }
  return out.join(", ");
}

for (const name of args.tools.split(",")) {
  const tool = name === "jury" ? juryTool(args.jury) : bareTool;
  const dir = mkdtempSync(join(tmpdir(), "jury-bench-waves-"));
  try {
    const run = await tool.prepare(dir, cases, Number(args.concurrency), server.url);
    events = [];
    const load = loadavg()[0]?.toFixed(1);
    t0 = performance.now();
    const child = spawn(process.execPath, run.argv, {
      cwd: run.cwd,
      env: { ...process.env, ...run.env, OPENAI_API_KEY: API_KEY },
      stdio: "ignore",
    });
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    const exit = performance.now() - t0;
    const requests = events.filter((e) => e.kind === "request").map((e) => e.at);
    const finished = events.filter((e) => e.kind === "finished").map((e) => e.at);
    const rows: [string, string][] = [
      [`${tool.name}: ${cases} cases, exit code`, `${code}, load ${load}`],
      [`${tool.name}: wall`, `${exit.toFixed(0)} ms`],
      [`${tool.name}: first request`, `${requests[0]?.toFixed(0)} ms`],
      [`${tool.name}: request bursts`, bursts(requests)],
      [`${tool.name}: finished bursts`, bursts(finished)],
      [`${tool.name}: last response → exit`, `${(exit - (finished.at(-1) ?? 0)).toFixed(0)} ms`],
    ];
    if (args.events)
      rows.push([`${tool.name}: events`, events.map((e) => `${e.kind[0]}${e.at.toFixed(1)}`).join(" ")]);
    printTable(rows);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
await server.close();
