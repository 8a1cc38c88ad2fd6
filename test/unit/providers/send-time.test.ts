import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { type SendClock, withSendClock } from "../../../src/providers/send-time.ts";

describe("withSendClock", () => {
  it("records when each fetch's request reached the socket, per call, across concurrent calls", async () => {
    const server = createServer((_req, res) => setTimeout(() => res.end("ok"), 20));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      const before = performance.now();
      const clocks: SendClock[] = [{}, {}, {}];
      await Promise.all(clocks.map((clock) => withSendClock(clock, async () => (await fetch(url)).text())));
      for (const clock of clocks) {
        expect(clock.sentAt).toBeGreaterThanOrEqual(before);
        expect(clock.sentAt).toBeLessThan(performance.now());
      }
    } finally {
      server.close();
    }
  });
});
