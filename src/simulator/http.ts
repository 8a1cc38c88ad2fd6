import type { IncomingMessage } from "node:http";
import type { Http2ServerRequest } from "node:http2";

/** A request on either protocol the simulator's port speaks: HTTP/1.1 or h2c. */
export type Req = IncomingMessage | Http2ServerRequest;

/** What the routes need of an HTTP/1.1 or HTTP/2 compatibility response. */
export interface Res {
  writeHead(status: number, headers: Record<string, string>): unknown;
  write(chunk: string | Buffer): boolean;
  end(chunk?: string | Buffer): unknown;
  readonly headersSent: boolean;
  readonly destroyed: boolean;
}

export function readBody(req: Req): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

export function json(res: Res, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  // With its length, as the APIs send a JSON body: in one piece, not HTTP/1.1 chunks.
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

/** Drops the connection (HTTP/1.1) or resets just this stream (HTTP/2, where the socket carries other streams). */
export function destroy(req: Req): void {
  if ("stream" in req) req.stream.close(0x2);
  else req.socket.destroy();
}

export function fail(res: Res, err: unknown): void {
  if (!res.headersSent) json(res, 500, { message: `simulator bug: ${(err as Error).message}` });
  else res.end();
}
