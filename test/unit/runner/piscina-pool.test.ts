import { totalmem } from "node:os";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  defaultWorkerMemoryMb,
  profilerFlags,
  workerEntry,
  youngGenerationMb,
} from "../../../src/runner/piscina-pool.ts";

describe("defaultWorkerMemoryMb", () => {
  // Not V8's own 4096: at 2 GB or more V8 lets a heap grow to 4× what is live before collecting it.
  it("shares half the machine's memory among the workers, between 256 and 1024 MB", () => {
    const halfMb = totalmem() / 2 ** 20 / 2;
    for (const workers of [1, 2, 4, 64, 100_000]) {
      const mb = defaultWorkerMemoryMb(workers);
      expect(mb).toBe(Math.min(1024, Math.max(256, Math.floor(halfMb / workers))));
      expect(mb * workers <= halfMb || mb === 256).toBe(true);
    }
    expect(defaultWorkerMemoryMb(100_000)).toBe(256);
    if (halfMb >= 1024) expect(defaultWorkerMemoryMb(1)).toBe(1024);
  });
});

describe("youngGenerationMb", () => {
  // Over HTTP one thread's scavenges were 19% of its CPU at 8 MB: a lone thread gets the whole budget.
  it("shares 32 MB of young generation among the threads, 8 MB at least each", () => {
    expect([1, 2, 3, 4, 8, 64].map(youngGenerationMb)).toEqual([32, 16, 10, 8, 8, 8]);
  });
});

describe("workerEntry (jury run from its TypeScript sources, as here)", () => {
  afterEach(() => vi.unstubAllEnvs());

  it('loads the sources through tsx, eval files\' "jury" from the sources too', () => {
    vi.stubEnv("JURY_BUILT_WORKERS", "");
    const entry = workerEntry();
    expect(entry.filename).toMatch(/\/src\/runner\/worker-source\.mjs$/);
    expect(entry.execArgv).toEqual([...profilerFlags(process.execArgv), "--conditions", "jury-source"]);
  });

  it("with JURY_BUILT_WORKERS=1, loads dist's worker and no jury-source condition", () => {
    vi.stubEnv("JURY_BUILT_WORKERS", "1");
    const entry = workerEntry();
    expect(entry.filename).toMatch(/\/dist\/src\/runner\/worker\.js$/);
    expect(entry.execArgv).toEqual(profilerFlags(process.execArgv));
    expect(entry.execArgv).not.toContain("jury-source");
  });
});

describe("profilerFlags", () => {
  it("keeps the --cpu-prof flags and their values, nothing else", () => {
    expect(
      profilerFlags([
        "--conditions",
        "jury-source",
        "--cpu-prof",
        "--cpu-prof-dir",
        "/tmp/p",
        "--cpu-prof-interval=500",
        "--max-old-space-size=100",
      ]),
    ).toEqual(["--cpu-prof", "--cpu-prof-dir", "/tmp/p", "--cpu-prof-interval=500"]);
  });
});
