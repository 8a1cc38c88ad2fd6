import { chmodSync, existsSync, mkdirSync, statSync } from "node:fs";
import * as nodeModule from "node:module";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { enableCompileCache } from "../../src/compile-cache.ts";
import { tempDir } from "../support/temp-dir.ts";

const node = nodeModule as { enableCompileCache?: unknown; getCompileCacheDir?: () => string | undefined };
const hasCache = typeof node.enableCompileCache === "function";

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("enableCompileCache", () => {
  it.runIf(hasCache)(
    "Node 22+: caches compiled modules only in a dir private to the user, never in one others may write",
    () => {
      // A TMPDIR of this test's own: the dir's mode changes here.
      const tmp = tempDir("jury-compile-cache-test-");
      vi.stubEnv("TMPDIR", tmp);
      const dir = join(tmp, `jury-compile-cache-${process.getuid?.() ?? 0}`);
      mkdirSync(dir);
      chmodSync(dir, 0o777); // planted by someone else, or left writable: not trusted
      enableCompileCache();
      expect(node.getCompileCacheDir?.()).toBeUndefined();
      chmodSync(dir, 0o700);
      enableCompileCache();
      expect(node.getCompileCacheDir?.()?.startsWith(`${dir}/`)).toBe(true);
      expect(statSync(dir).mode & 0o777).toBe(0o700);
    },
  );

  it.runIf(!hasCache)("Node 20 has no compile cache: nothing happens, no dir is made", () => {
    const tmp = tempDir("jury-compile-cache-test-");
    vi.stubEnv("TMPDIR", tmp);
    enableCompileCache();
    expect(existsSync(join(tmp, `jury-compile-cache-${process.getuid?.() ?? 0}`))).toBe(false);
  });
});
