import { startEvals } from "../../runner/start.ts";
import type { StartOptions } from "../../types.ts";
import type { CliIo } from "../io.ts";

/**
 * `evals [filters]`: runs, and maps the outcome to the exit code. The first Ctrl-C (or SIGTERM) stops starting
 * cases, abandons in-flight ones, and still writes results and reports (exit 130); a second one exits at once —
 * results.jsonl stays whole, since every line was written in one synchronous call.
 */
export async function runCommand(options: StartOptions, io: CliIo): Promise<number> {
  const controller = new AbortController();
  let signals = 0;
  const onSignal = () => {
    signals++;
    if (signals === 1) {
      io.stderr.write(
        "\nInterrupted: finishing up (results so far are kept). Press Ctrl-C again to exit now.\n",
      );
      controller.abort();
    } else process.exit(130);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    const { exitCode } = await startEvals({
      ...options,
      root: options.root ?? io.cwd,
      stdout: io.stdout,
      stderr: io.stderr,
      signal: controller.signal,
    });
    return exitCode;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}
