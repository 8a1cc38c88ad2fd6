import * as nodeModule from "node:module";
import { privateTempDir } from "./private-dir.ts";

/** `node:module`'s compile-cache functions, which Node 20 lacks (22.1+, flush 23+). */
const node = nodeModule as {
  enableCompileCache?: (dir: string) => unknown;
  flushCompileCache?: () => void;
};

/**
 * Turns on Node's on-disk compile cache for the modules this thread loads from now on (Node 22.1+; on Node 20
 * nothing happens), in a directory private to the user: cached code is run as it is.
 */
export function enableCompileCache(): void {
  if (!node.enableCompileCache) return;
  const dir = privateTempDir("jury-compile-cache");
  if (dir) node.enableCompileCache(dir);
}

/** Writes what this thread compiled to the cache now: a worker thread may be terminated before Node would. */
export function flushCompileCache(): void {
  node.flushCompileCache?.();
}
