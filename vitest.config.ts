import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Fixture projects import "jury": resolve it to the TypeScript sources (package.json `source` condition),
    // never to a possibly stale dist/.
    execArgv: ["--conditions", "source"],
  },
});
