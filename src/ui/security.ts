// Request checks of the dashboard: it serves one project on one origin, and nothing else.

import { isAbsolute, relative, resolve, sep } from "node:path";
import type { MiddlewareHandler } from "hono";

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

/**
 * The `host:port` values a request may name in its Host header: the served one, and — when bound to a loopback
 * address — the other loopback spellings of it (`localhost`, `127.0.0.1`, `[::1]`).
 */
export function allowedHosts(host: string, port: number): Set<string> {
  const name = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
  const out = new Set([`${name}:${port}`.toLowerCase()]);
  if (LOOPBACK.has(host)) for (const h of ["127.0.0.1", "localhost", "[::1]"]) out.add(`${h}:${port}`);
  return out;
}

/** Why a request must be refused (DNS rebinding, cross-site requests), or undefined when it may go on. */
export function checkRequest(
  headers: { host?: string | null; origin?: string | null; secFetchSite?: string | null },
  method: string,
  hosts: ReadonlySet<string>,
): string | undefined {
  const host = headers.host?.toLowerCase();
  if (!host || !hosts.has(host)) return `unexpected Host header ${JSON.stringify(headers.host ?? "")}`;
  const origin = headers.origin;
  if (origin !== undefined && origin !== null) {
    let originHost: string | undefined;
    try {
      const url = new URL(origin);
      if (url.protocol === "http:") originHost = url.host.toLowerCase();
    } catch {
      // "null" and other opaque origins: refused below
    }
    if (!originHost || !hosts.has(originHost)) return `cross-origin request from ${JSON.stringify(origin)}`;
  }
  const unsafe = !["GET", "HEAD", "OPTIONS"].includes(method.toUpperCase());
  if (unsafe && headers.secFetchSite && !["same-origin", "none"].includes(headers.secFetchSite))
    return `cross-site ${method} request (Sec-Fetch-Site: ${headers.secFetchSite})`;
  return undefined;
}

/** Hono middleware: 403 for a request whose Host or Origin is not the served one. */
export function hostOriginGuard(hosts: ReadonlySet<string>): MiddlewareHandler {
  return async (c, next) => {
    const reason = checkRequest(
      {
        host: c.req.header("host") ?? null,
        origin: c.req.header("origin") ?? null,
        secFetchSite: c.req.header("sec-fetch-site") ?? null,
      },
      c.req.method,
      hosts,
    );
    if (reason) return c.json({ error: `forbidden: ${reason}` }, 403);
    await next();
  };
}

/**
 * `base/rel` when it stays inside `base` (no `..` escape, no absolute path, no NUL), else undefined. `rel` is a
 * URL path already decoded; symlinks are not followed here (the output dir is ours).
 */
export function safeJoin(base: string, rel: string): string | undefined {
  if (rel.includes("\0") || rel.includes("\\")) return undefined;
  const root = resolve(base);
  const target = resolve(root, `.${sep}${rel.replace(/^\/+/, "")}`);
  const inside = relative(root, target);
  if (inside === "" || inside.startsWith("..") || isAbsolute(inside)) return undefined;
  return target;
}
