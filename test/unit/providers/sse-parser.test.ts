import { APIError } from "openai";
import { Stream } from "openai/core/streaming";
import { describe, expect, it } from "vitest";
import { SseParser, sseJson } from "../../../src/providers/sse-parser.ts";

/** A body that yields `bytes` cut at `cuts` (offsets), as a socket may deliver them. */
async function* pieces(bytes: Buffer, cuts: number[]): AsyncGenerator<Uint8Array> {
  let start = 0;
  for (const end of [...cuts, bytes.length]) {
    yield bytes.subarray(start, end);
    start = end;
  }
}

/** What the OpenAI SDK's own Stream yields for the same body, the reference sseJson matches. */
async function sdkValues(body: AsyncIterable<Uint8Array>): Promise<unknown[]> {
  const response = { body, headers: new Headers() } as unknown as Response;
  const out: unknown[] = [];
  for await (const value of Stream.fromSSEResponse(response, new AbortController())) out.push(value);
  return out;
}

async function ourValues(body: AsyncIterable<Uint8Array>): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const value of sseJson(body, (e) => new Error(String(e)))) out.push(value);
  return out;
}

// Every line ending, a comment, a field without a colon, an event name, data over two lines, no space after a
// colon, a multi-byte character, an event with neither data nor name, data after [DONE], an unterminated last event.
const TRICKY = Buffer.from(
  'data: {"n":1,"t":"héllo €"}\n\n' +
    ": a comment\r\n" +
    "retry: 10\r\n" +
    'data:{"n":2}\r\n\r\n' +
    'event: message\rdata: {"n":\rdata: 3}\r\r' +
    "id\n\n" +
    'event: ping\ndata: {"n":4}\n\n' +
    "data: [DONE]\n\n" +
    'data: {"n":5}\n\n' +
    'data: {"n":6}',
  "utf8",
);

describe("SseParser", () => {
  it("yields each event once complete, whatever the chunking: fields, line endings, multi-byte text", () => {
    const expected = [
      { event: null, data: '{"n":1,"t":"héllo €"}' },
      { event: null, data: '{"n":2}' },
      { event: "message", data: '{"n":\n3}' },
      { event: "ping", data: '{"n":4}' },
      { event: null, data: "[DONE]" },
      { event: null, data: '{"n":5}' },
    ];
    // Whole, then cut at every offset (inside the € and between a \r and its \n among them).
    expect(new SseParser().push(TRICKY)).toEqual(expected);
    for (let at = 1; at < TRICKY.length; at++) {
      const parser = new SseParser();
      expect([...parser.push(TRICKY.subarray(0, at)), ...parser.push(TRICKY.subarray(at))]).toEqual(expected);
    }
    const oneByOne = new SseParser();
    const events = [];
    for (let i = 0; i < TRICKY.length; i++) events.push(...oneByOne.push(TRICKY.subarray(i, i + 1)));
    expect(events).toEqual(expected);
  });
});

describe("sseJson", () => {
  it("yields what the OpenAI SDK's Stream yields for the same bytes, however they are cut", async () => {
    const cutsList = [[], [5, 40, 41, 60, 100], Array.from({ length: TRICKY.length - 1 }, (_, i) => i + 1)];
    for (const cuts of cutsList) {
      const ours = await ourValues(pieces(TRICKY, cuts));
      expect(ours).toEqual(await sdkValues(pieces(TRICKY, cuts)));
      expect(ours).toEqual([{ n: 1, t: "héllo €" }, { n: 2 }, { n: 3 }, { n: 4 }]);
    }
  });

  it("throws the error an event carries, as the SDK's APIError, and stops reading the body", async () => {
    let closed = false;
    async function* body() {
      try {
        yield Buffer.from(
          'data: {"n":1}\n\ndata: {"error":{"message":"overloaded","type":"server_error"}}\n\n',
        );
        yield Buffer.from('data: {"n":2}\n\n');
      } finally {
        closed = true;
      }
    }
    const seen: unknown[] = [];
    const reading = (async () => {
      for await (const v of sseJson(
        body(),
        (e) => new APIError(undefined, e as object, undefined, undefined),
      ))
        seen.push(v);
    })();
    await expect(reading).rejects.toMatchObject({ message: "overloaded", status: undefined });
    expect(seen).toEqual([{ n: 1 }]);
    expect(closed).toBe(true);
  });

  it("ends without an error when the body is aborted (the caller then finds the stream incomplete)", async () => {
    async function* body() {
      yield Buffer.from('data: {"n":1}\n\n');
      throw new DOMException("This operation was aborted", "AbortError");
    }
    expect(await ourValues(body())).toEqual([{ n: 1 }]);
    async function* broken() {
      yield Buffer.from('data: {"n":1}\n\n');
      throw new TypeError("terminated");
    }
    await expect(ourValues(broken())).rejects.toThrow("terminated");
  });

  it("ends at once when the caller aborts: events read with the one being handled are not yielded", async () => {
    let closed = false;
    async function* body() {
      try {
        // Three events in one read, as a loaded machine gets a stream's tokens.
        yield Buffer.from('data: {"n":1}\n\ndata: {"n":2}\n\ndata: {"n":3}\n\n');
        yield Buffer.from('data: {"n":4}\n\n');
      } finally {
        closed = true;
      }
    }
    const controller = new AbortController();
    const seen: unknown[] = [];
    for await (const v of sseJson(body(), (e) => new Error(String(e)), controller.signal)) {
      seen.push(v);
      controller.abort();
    }
    expect(seen).toEqual([{ n: 1 }]);
    expect(closed).toBe(true);
  });

  it("refuses a response without a body", async () => {
    await expect(ourValues(null as unknown as AsyncIterable<Uint8Array>)).rejects.toThrow(/no body/);
  });
});
