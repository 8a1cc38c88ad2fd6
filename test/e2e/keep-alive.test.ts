// The OpenAI, Azure and Anthropic SDKs call through sdk-fetch.ts (undici's request API on a keep-alive pool per
// thread): the real SDKs against the simulator, behind a TCP relay that counts the connections they open.
import { once } from "node:events";
import { createServer as createHttpServer } from "node:http";
import { type AddressInfo, connect, createServer, type Server, type Socket } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { measureStream } from "../../src/providers/measure-stream.ts";
import { getProvider } from "../../src/providers/registry.ts";
import { closeHttpAgent, sdkFetch } from "../../src/providers/sdk-fetch.ts";
import { offerSendClock, type SendClock } from "../../src/providers/send-time.ts";
import { type Simulator, startSimulator } from "../../src/simulator/server.ts";
import type { GenerateRequest, ModelProfile, ProviderName } from "../../src/types.ts";
import { abortAtFirstText } from "../support/abort-at-first-text.ts";
import { simulatedProfile, stubProviderCredentials } from "../support/simulated-credentials.ts";

let sim: Simulator;
let relay: Server;
let relayUrl: string;
/** Client connections the relay accepted, open or closed. */
const sockets: Socket[] = [];

beforeAll(async () => {
  // 40 tokens/s: a 200-token answer takes seconds, long enough to be cut mid-way.
  sim = await startSimulator({ ttftMs: 0, tokensPerS: 40, seed: "keep-alive" });
  const target = new URL(sim.url);
  relay = createServer((client) => {
    sockets.push(client);
    const upstream = connect(Number(target.port), target.hostname);
    client.pipe(upstream).pipe(client);
    client.on("error", () => upstream.destroy());
    upstream.on("error", () => client.destroy());
    client.on("close", () => upstream.destroy());
  });
  relay.listen(0, "127.0.0.1");
  await once(relay, "listening");
  relayUrl = `http://127.0.0.1:${(relay.address() as AddressInfo).port}`;
  stubProviderCredentials();
});
afterEach(async () => {
  await closeHttpAgent();
  await allClosed(sockets);
  sockets.length = 0;
});
afterAll(async () => {
  vi.unstubAllEnvs();
  relay.close();
  await sim.close();
});

/**
 * Waits for each connection's `close` event (the test's timeout bounds it). Not `once`: it rejects on an `error`
 * emitted first (a peer that ended the socket), after which `close` still comes.
 */
async function allClosed(list: readonly Socket[]): Promise<void> {
  await Promise.all(list.map((s) => (s.closed ? undefined : new Promise((r) => s.once("close", r)))));
}

const PROFILES: [ProviderName, string][] = [
  ["openai-compatible", "llama3.2"],
  ["azure", "my-deployment"],
  ["anthropic", "claude-sonnet-4-5"],
];
const profileOf = (provider: ProviderName, model: string): ModelProfile =>
  simulatedProfile(relayUrl, provider, model, provider === "azure" ? { baseUrl: relayUrl } : {});

async function call(p: ModelProfile, extra: Partial<GenerateRequest> = {}) {
  const provider = await getProvider(p.provider);
  return measureStream(
    provider.stream(p, {
      messages: [{ role: "user", content: "hi" }],
      temperature: 0,
      maxTokens: 5,
      seed: "s",
      ...extra,
    }),
    () => 0,
  );
}

describe.each(PROFILES)("%s through the thread's keep-alive pool", (provider, model) => {
  it("reuses its connections for the calls of a thread, streamed or not, until the pool is closed", async () => {
    const p = profileOf(provider, model);
    // One after the other: a call may start before the previous one's socket is back in the pool, hence 2.
    for (let i = 0; i < 4; i++) expect((await call(p)).text).not.toBe("");
    for (let i = 0; i < 4; i++) expect((await call(p, { stream: false })).text).not.toBe("");
    expect(sockets.length).toBeLessThanOrEqual(2);
    // Three calls at a time, four times: 12 calls over at most 2 connections per call in flight.
    for (let i = 0; i < 4; i++) await Promise.all([1, 2, 3].map(() => call(p, { stream: i % 2 === 0 })));
    expect(sockets.length).toBeLessThanOrEqual(6);
    expect(sockets.some((s) => s.closed)).toBe(false);
    await closeHttpAgent();
    await allClosed(sockets);
  });

  it("takes the send clock measureStream offers and has it stamped when its request reached the socket", async () => {
    const p = profileOf(provider, model);
    for (const stream of [true, false]) {
      const clock: SendClock = {};
      const events = (await getProvider(p.provider)).stream(p, {
        messages: [{ role: "user", content: "hi" }],
        temperature: 0,
        maxTokens: 5,
        seed: "s",
        stream,
      });
      const iterator = events[Symbol.asyncIterator]();
      const before = performance.now();
      let step = await offerSendClock(clock, () => iterator.next());
      while (!step.done) step = await iterator.next();
      expect(clock.sentAt).toBeGreaterThan(before);
    }
  });

  it("cuts a stream mid-way on abort: the call fails at once and its connection is closed", async () => {
    const { consumed, texts } = await abortAtFirstText(profileOf(provider, model), 200);
    // Anthropic's SDK throws the abort; OpenAI's ends the stream, which a cut stream is (as with fetch).
    await expect(consumed).rejects.toMatchObject({
      name: provider === "anthropic" ? "AbortError" : "ProviderError",
    });
    expect(texts()).toBe(1);
    expect(sockets.length).toBeGreaterThan(0);
    await allClosed(sockets.slice(0, 1));
  });
});

it("an unreachable server is a transient error naming the profile, as with fetch", async () => {
  const closed = createServer();
  closed.listen(0, "127.0.0.1");
  await once(closed, "listening");
  const port = (closed.address() as AddressInfo).port;
  closed.close();
  await once(closed, "close");
  const p = simulatedProfile(`http://127.0.0.1:${port}`, "openai-compatible", "llama3.2");
  await expect(call(p)).rejects.toMatchObject({
    name: "ProviderError",
    kind: "transient",
    message: "openai-compatible/llama3.2: Connection error.",
  });
});

it("follows a redirect as fetch does (a base_url moved elsewhere)", async () => {
  const moved = createHttpServer((req, res) => {
    res.writeHead(308, { location: `${sim.url}${req.url}` });
    res.end();
  });
  moved.listen(0, "127.0.0.1");
  await once(moved, "listening");
  try {
    const url = `http://127.0.0.1:${(moved.address() as AddressInfo).port}`;
    const p = simulatedProfile(url, "openai-compatible", "llama3.2");
    expect((await call(p)).text).toMatch(/^Simulated answer from llama3.2/);
    expect((await call(p, { stream: false })).text).toMatch(/^Simulated answer from llama3.2/);
  } finally {
    moved.close();
  }
});

it("reports when each request reached the socket to the send clock it was given, as fetch does", async () => {
  const clocks: SendClock[] = [{}, {}, {}];
  const before = performance.now();
  await Promise.all(
    clocks.map(async (sendClock) => {
      const res = await sdkFetch(`${sim.url}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model: "m", messages: [{ role: "user", content: "hi" }], max_tokens: 3 }),
        sendClock,
      });
      return res.json();
    }),
  );
  for (const clock of clocks) expect(clock.sentAt).toBeGreaterThan(before);
});
