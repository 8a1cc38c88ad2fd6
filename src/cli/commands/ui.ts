import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { resolveConfig } from "../../config/resolve.ts";
import { FlagError } from "../../errors.ts";
import { createUiServer } from "../../ui/server.ts";
import { type CliIo, untilSignal } from "../io.ts";

export interface UiFlags {
  port?: number;
  host?: string;
  open?: boolean;
  config?: string;
  outputDir?: string;
  concurrency?: number;
}

/** `evals ui`: serves the dashboard of the project in the current directory until Ctrl-C. */
export async function uiCommand(flags: UiFlags, io: CliIo): Promise<number> {
  const root = io.cwd;
  if (flags.port !== undefined && !(Number.isInteger(flags.port) && flags.port >= 0 && flags.port < 65536))
    throw new FlagError(`--port must be an integer from 0 to 65535 (got ${flags.port})`);
  if (flags.concurrency !== undefined && !(Number.isInteger(flags.concurrency) && flags.concurrency >= 1))
    throw new FlagError(`--concurrency must be a positive integer (got ${flags.concurrency})`);
  // The output dir comes from the config; a project whose profiles do not load yet still gets its dashboard.
  let outputDir = flags.outputDir ? resolve(root, flags.outputDir) : resolve(root, "outputs");
  if (!flags.outputDir) {
    try {
      const { config } = await resolveConfig(
        { root, ...(flags.config ? { config: flags.config } : {}) },
        { profiles: "none" },
      );
      outputDir = resolve(root, config.outputDir);
    } catch {
      // keep the default
    }
  }
  const host = flags.host ?? "127.0.0.1";
  const server = await createUiServer({
    root,
    outputDir,
    host,
    port: flags.port ?? 4173,
    ...(flags.concurrency ? { concurrency: flags.concurrency } : {}),
  });
  io.stdout.write(`jury dashboard on ${server.url}  (Ctrl-C to stop)\n`);
  if (!["127.0.0.1", "localhost", "::1"].includes(host))
    io.stderr.write(
      `warning: listening on ${host}: anyone who can reach it can read your runs and start evaluations\n`,
    );
  if (flags.open) openBrowser(server.url, io);
  await untilSignal();
  await server.close();
  return 0;
}

function openBrowser(url: string, io: CliIo): void {
  const cmd = process.platform === "darwin" ? "open" : process.platform === "win32" ? "explorer" : "xdg-open";
  const child = spawn(cmd, [url], { stdio: "ignore", detached: true });
  child.on("error", () => io.stderr.write(`warning: could not open a browser; visit ${url}\n`));
  child.unref();
}
