import { defineConfig } from "vitest/config";

// Three projects: `unit` (pure and in-process tests), `e2e` (the CLI on fixture projects, in process; only
// tests of the process itself start the built binary) and `browser` (chromium driving the HTML report and the
// dashboard). `npm test` runs all three; `vitest --project e2e` one.
const shared = {
  testTimeout: 60_000,
  hookTimeout: 60_000,
  // Fixture projects import "jury": resolve it to the TypeScript sources (package.json `jury-source` condition),
  // never to a possibly stale dist/.
  execArgv: ["--conditions", "jury-source"],
  setupFiles: ["test/support/setup.ts"],
};
// The CLI's worker threads load dist/ (kept as new as the sources by this global setup, which also builds the CLI for
// the tests that start it): from the sources, each thread would load every module through tsx's hooks, which was
// 36% of the suite's CPU (src/runner/piscina-pool.ts, workerEntry).
const builtWorkers = {
  globalSetup: ["test/support/build-cli.ts"],
  env: { JURY_BUILT_WORKERS: "1" },
};
const BROWSER = [
  "test/e2e/html-report.test.ts",
  "test/e2e/html-report-legibility.test.ts",
  "test/e2e/html-report-sections.test.ts",
  "test/e2e/ui.test.ts",
  "test/e2e/ui-run-page.test.ts",
  "test/e2e/ui-controls.test.ts",
  "test/e2e/transcripts-browser.test.ts",
  "test/e2e/tool-loop-report-browser.test.ts",
  "test/e2e/batched-report-browser.test.ts",
  "test/e2e/html-report-sample.test.ts",
];

export default defineConfig({
  test: {
    // Most e2e time is waiting (simulated model latency, retry back-off, pacing), not CPU: more test files at
    // once than cores (Vitest's default on this 2-core machine is 1) overlaps the waits.
    maxWorkers: 4,
    globalSetup: ["test/support/temp-root.ts"],
    projects: [
      {
        // Unit tests share their fork's module cache (no per-file re-import of the sources): about 40% less CPU.
        test: { ...shared, name: "unit", include: ["test/unit/**/*.test.ts"], isolate: false },
      },
      {
        test: {
          ...shared,
          name: "e2e",
          include: ["test/e2e/**/*.test.ts", "test/contract/**/*.test.ts"],
          // Measured: ~15% less CPU; tests restore what they change in the process (vi.stubEnv, chdir in finally).
          isolate: false,
          exclude: BROWSER,
          ...builtWorkers,
        },
      },
      { test: { ...shared, name: "browser", include: BROWSER, ...builtWorkers } },
    ],
  },
});
