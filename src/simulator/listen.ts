import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from "node:http";
import {
  createServer as createHttp2Server,
  type Http2ServerRequest,
  type Http2ServerResponse,
} from "node:http2";
import {
  type AddressInfo,
  connect as connectTcp,
  createServer as createNetServer,
  type Socket,
} from "node:net";

const H2_PREFACE = "PRI * HTTP/2.0";

/** A listening simulator port. */
export interface Listening {
  /** Base URL, e.g. `http://127.0.0.1:4010`. */
  url: string;
  /**
   * The internal h2c listener's URL (loopback): HTTP/2 straight to the server, without the hop through `url`'s
   * preface sniffing, for timing benches that must not count the simulator's own plumbing.
   */
  h2cUrl: string;
  close(): Promise<void>;
}

/**
 * Serves HTTP/1.1 and h2c (HTTP/2 without TLS, which the AWS SDK's default handler speaks) on one port, told
 * apart by the HTTP/2 connection preface.
 */
export async function listen(
  serve: (req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse) => void,
  host: string,
  port: number,
  { unref }: { unref: boolean } = { unref: false },
): Promise<Listening> {
  const h1 = createHttpServer(serve);
  const h2 = createHttp2Server(serve);
  // HTTP/2 sessions read from the socket's native handle, so bytes already read to sniff the preface can't be
  // handed back: h2c connections are instead piped to an internal h2c listener, preface first.
  await new Promise<void>((resolve) => h2.listen(0, "127.0.0.1", resolve));
  const h2Port = (h2.address() as AddressInfo).port;
  const sockets = new Set<Socket>();
  const track = (s: Socket) => {
    if (unref) s.unref();
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  };
  // No Nagle delay, as node:http's own listener has: a streamed chunk leaves when it is written, not when the
  // client's (delayed) ACK of the previous one comes back.
  const net = createNetServer({ noDelay: true }, (socket) => {
    track(socket);
    socket.once("data", (first) => {
      if (first.subarray(0, H2_PREFACE.length).toString("latin1") !== H2_PREFACE) {
        socket.pause();
        socket.unshift(first);
        h1.emit("connection", socket);
        socket.resume();
        return;
      }
      const inner = connectTcp({ port: h2Port, host: "127.0.0.1", noDelay: true });
      track(inner);
      inner.write(first);
      socket.pipe(inner).pipe(socket);
      inner.on("error", () => socket.destroy());
      socket.on("error", () => inner.destroy());
    });
  });
  await new Promise<void>((resolve) => net.listen(port, host, resolve));
  if (unref) {
    net.unref();
    h2.unref();
    h2.on("connection", (s: Socket) => s.unref());
  }
  const { port: bound, address } = net.address() as AddressInfo;
  return {
    url: `http://${address.includes(":") ? `[${address}]` : address}:${bound}`,
    h2cUrl: `http://127.0.0.1:${h2Port}`,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => net.close(() => resolve()));
      h1.close();
      h2.close();
    },
  };
}
