// A thread's warm-up calls: against the simulator the main thread shares (`shareWarmUpServer`), or, when that one
// could not start, against a simulator of the thread's own. The real OpenAI SDK, over HTTP on loopback.
import { execFile } from "node:child_process";
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { getProvider } from "../../../src/providers/registry.ts";
import { shareWarmUpServer, warmUp, warmUpAgainst } from "../../../src/providers/warm-up.ts";
import type { ModelProfile, ProviderName } from "../../../src/types.ts";
import { profile } from "../../support/plan.ts";

// The warm-up runs once per provider kind and thread: each test warms a kind of its own. Its SDK is pointed at the
// warm-up's simulator, never at the profile's base URL.
const live = (provider: ProviderName): ModelProfile =>
  profile(`${provider}/m`, { provider, baseUrl: "http://127.0.0.1:9/v1" });

/** The origins of the HTTP requests undici makes while `work` runs. */
async function originsOf(work: () => Promise<void>): Promise<string[]> {
  const origins: string[] = [];
  const onCreate = (message: unknown) =>
    origins.push(String((message as { request: { origin: string } }).request.origin));
  subscribe("undici:request:create", onCreate);
  try {
    await work();
  } finally {
    unsubscribe("undici:request:create", onCreate);
  }
  return origins;
}

afterEach(() => warmUpAgainst(undefined));

describe("the warm-up's server", () => {
  it("is the shared one once it listens: every warm-up call goes there, and it closes", async () => {
    const published = new Int32Array(new SharedArrayBuffer(4));
    const shared = shareWarmUpServer(published);
    try {
      // Told before the server listens (-2: starting): the warm-up waits for it instead of starting its own.
      expect(Atomics.load(published, 0)).toBe(-2);
      warmUpAgainst(published);
      const openai = await getProvider("openai-compatible");
      const origins = await originsOf(() => warmUp(openai, live("openai-compatible")));
      const port = Atomics.load(published, 0);
      expect(port).toBeGreaterThan(0);
      expect(new Set(origins)).toEqual(new Set([`http://127.0.0.1:${port}`]));
      const stats = (await (await fetch(`http://127.0.0.1:${port}/stats`)).json()) as {
        requests: Record<string, number>;
      };
      expect(stats.requests).toEqual({ "openai.chat": origins.length });
      expect(origins.length).toBe(12);
    } finally {
      await shared.close();
    }
    await expect(fetch(`http://127.0.0.1:${Atomics.load(published, 0)}/stats`)).rejects.toThrow();
  });

  it.each([
    ["could not start (-1)", -1, "openai"],
    ["was never started (0)", 0, "anthropic"],
  ] as const)("is the thread's own when the shared one %s", async (_, value, kind) => {
    const published = new Int32Array(new SharedArrayBuffer(4));
    Atomics.store(published, 0, value);
    warmUpAgainst(published);
    const provider = await getProvider(kind);
    const origins = await originsOf(() => warmUp(provider, live(kind)));
    expect(origins.length).toBe(12);
    expect(new Set(origins).size).toBe(1);
    expect(origins[0]).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it("never keeps the process alive: a process that leaves it open, a client's keep-alive connection in, exits", async () => {
    // In a child process, since its exit is what is under test. Without `unref`, the server and the accepted
    // socket hold the process until the test's timeout.
    const source = new URL("../../../src/providers/warm-up.ts", import.meta.url).href;
    const script = `
      const { shareWarmUpServer } = await import(${JSON.stringify(source)});
      const port = new Int32Array(new SharedArrayBuffer(4));
      shareWarmUpServer(port);
      await Atomics.waitAsync(port, 0, -2).value; // -2 while it starts

      const res = await fetch("http://127.0.0.1:" + Atomics.load(port, 0) + "/stats");
      console.log(res.status, (await res.text()).length > 0);`;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        "--import",
        import.meta.resolve("tsx"),
        "--conditions",
        "jury-source",
        "--input-type=module",
        "-e",
        script,
      ],
      // A child that does not exit is killed, not left behind: the test then fails on the kill.
      { encoding: "utf8", timeout: 30_000, killSignal: "SIGKILL" },
    );
    expect(stdout.trim()).toBe("200 true");
  });
});
