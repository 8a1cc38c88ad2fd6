import { type ChildProcessByStdio, spawn } from "node:child_process";
import type { Readable } from "node:stream";
import { fileURLToPath } from "node:url";

const TSX = import.meta.resolve("tsx");

/** What a bench child printed on its `BENCH_RESULT <json>` line, and its wall time seen from the parent. */
export interface ChildResult<T> {
  result: T;
  wallMs: number;
}

/**
 * Runs a bench script (a path relative to bench/) in a child Node with tsx and the `jury-source` condition, and resolves
 * with the JSON it printed on a `BENCH_RESULT` line. `nodeFlags` go before the script (e.g. `--cpu-prof`). Rejects
 * when the child exits non-zero or prints no result. The child's stderr passes through.
 */
export function runBenchChild<T>(
  script: string,
  args: readonly string[],
  options: { nodeFlags?: readonly string[]; env?: Record<string, string> } = {},
): Promise<ChildResult<T>> {
  const path = fileURLToPath(new URL(`../${script}`, import.meta.url));
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    [...(options.nodeFlags ?? []), "--conditions", "jury-source", "--import", TSX, path, ...args],
    { stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, ...options.env, BENCH_CHILD: "1" } },
  );
  let out = "";
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (s: string) => {
    out += s;
  });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      const wallMs = performance.now() - t0;
      const line = out.split("\n").find((l) => l.startsWith("BENCH_RESULT "));
      if (code !== 0 || !line) {
        reject(new Error(`${script} ${args.join(" ")} exited ${code}:\n${out.slice(-2000)}`));
        return;
      }
      resolve({ result: JSON.parse(line.slice("BENCH_RESULT ".length)) as T, wallMs });
    });
  });
}

/** Prints a bench child's result for runBenchChild (one line, JSON). */
export function reportToParent(result: unknown): void {
  console.log(`BENCH_RESULT ${JSON.stringify(result)}`);
}

/** Live heap and array buffers after a full GC (a bench child runs with --expose-gc). */
export function live(): number {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/** Everything a child writes to stdout and stderr, interleaved as it comes, and its exit code once it closes. */
export function outputOf(
  child: ChildProcessByStdio<null, Readable, Readable>,
): Promise<{ code: number | null; out: string }> {
  let out = "";
  const add = (s: string) => {
    out += s;
  };
  child.stdout.setEncoding("utf8").on("data", add);
  child.stderr.setEncoding("utf8").on("data", add);
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, out })));
}
