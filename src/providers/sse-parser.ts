import { StringDecoder } from "node:string_decoder";

/** One server-sent event: its `event` field (null when it has none) and its `data` lines joined by "\n". */
export interface SseEvent {
  event: string | null;
  data: string;
}

const LINE_END = /\r\n|\r|\n/g;

/**
 * Server-sent events parsed as the bytes of a response arrive, synchronously: the rules the Stainless SDKs' own
 * decoder follows (lines end in \n, \r\n or \r; an empty line ends an event, one with neither an `event` name nor
 * `data` yields nothing; `data` lines are joined with "\n"; one space after a field's colon is dropped; comments and other
 * fields are ignored; an event the stream ends before its empty line is dropped). Text split across chunks,
 * multi-byte characters included, is held until the rest arrives.
 */
export class SseParser {
  readonly #decoder = new StringDecoder("utf8");
  #rest = "";
  #event: string | null = null;
  #data: string[] = [];

  /** Feeds the next piece of the body; returns the events it completed, in order. */
  push(bytes: Uint8Array | string): SseEvent[] {
    const text = this.#rest + (typeof bytes === "string" ? bytes : this.#decoder.write(bytes));
    const out: SseEvent[] = [];
    let start = 0;
    LINE_END.lastIndex = 0;
    for (let m = LINE_END.exec(text); m; m = LINE_END.exec(text)) {
      // A \r last may be the first half of a \r\n: wait for the next piece.
      if (m[0] === "\r" && m.index === text.length - 1) break;
      this.#line(text.slice(start, m.index), out);
      start = m.index + m[0].length;
    }
    this.#rest = text.slice(start);
    return out;
  }

  #line(line: string, out: SseEvent[]): void {
    if (line === "") {
      if (this.#event || this.#data.length > 0) out.push({ event: this.#event, data: this.#data.join("\n") });
      this.#event = null;
      this.#data = [];
      return;
    }
    if (line.startsWith(":")) return;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "data") this.#data.push(value);
    else if (field === "event") this.#event = value;
  }
}

/**
 * The JSON values a Stainless SDK's `Stream` would yield from a streamed response (read with the SDK's
 * `asResponse()`), parsed straight from its body: no copy of the bytes per event and none of the SDK's three
 * generators per chunk. As the SDK's stream: data from `[DONE]` on is skipped, an event whose data has an `error`
 * throws `apiError(error)` (the SDK's `APIError`), an abort ends the values without an error (the caller finds the
 * stream incomplete), and a stream left before its end (an error, the caller's break) is closed (`for await` ends the
 * body's iterator: undici destroys its readable, a web stream is cancelled, and the connection goes). `signal`
 * aborted ends the values at once, as an aborted body does: events that came in the same read as the one being
 * handled when the caller aborted are not yielded.
 */
export async function* sseJson(
  body: AsyncIterable<Uint8Array | string> | null,
  apiError: (error: unknown) => Error,
  signal?: AbortSignal,
): AsyncGenerator<unknown> {
  if (!body) throw new Error("Attempted to iterate over a response with no body");
  const parser = new SseParser();
  let done = false;
  try {
    for await (const bytes of body)
      for (const sse of parser.push(bytes)) {
        if (done || sse.data.startsWith("[DONE]")) {
          done = true;
          continue;
        }
        if (signal?.aborted) return;
        const data = JSON.parse(sse.data) as { error?: unknown } | null;
        if (data?.error) throw apiError(data.error);
        yield data;
      }
  } catch (err) {
    if (isAbortError(err)) return;
    throw err;
  }
}

/** The SDKs' test: fetch's AbortError (Expo's message too). */
function isAbortError(err: unknown): boolean {
  return (
    typeof err === "object" &&
    err !== null &&
    ((err as { name?: unknown }).name === "AbortError" ||
      String((err as { message?: unknown }).message).includes("FetchRequestCanceledException"))
  );
}
