import { execFileSync } from "node:child_process";
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
      // In a child process: Node has no way to turn the cache off again, and this test process would go on
      // compiling through a cache in a temp dir removed after this file.
      const tmp = tempDir("jury-compile-cache-test-");
      const dir = join(tmp, `jury-compile-cache-${process.getuid?.() ?? 0}`);
      mkdirSync(dir);
      chmodSync(dir, 0o777); // planted by someone else, or left writable: not trusted
      const source = new URL("../../src/compile-cache.ts", import.meta.url).href;
      const script = `
        import * as m from "node:module";
        import { chmodSync } from "node:fs";
        const { enableCompileCache } = await import(${JSON.stringify(source)});
        enableCompileCache();
        const untrusted = m.getCompileCacheDir() ?? null;
        chmodSync(${JSON.stringify(dir)}, 0o700);
        enableCompileCache();
        console.log(JSON.stringify({ untrusted, trusted: m.getCompileCacheDir() ?? null }));`;
      const out = execFileSync(
        process.execPath,
        ["--import", import.meta.resolve("tsx"), "--input-type=module", "-e", script],
        { env: { ...process.env, TMPDIR: tmp }, encoding: "utf8" },
      );
      const { untrusted, trusted } = JSON.parse(out.trim().split("\n").at(-1) as string);
      expect(untrusted).toBeNull();
      expect(trusted?.startsWith(`${dir}/`)).toBe(true);
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
