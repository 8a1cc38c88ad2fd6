/**
 * Packages a run loads on its way to its first call, each bundled into one file at build time
 * (`scripts/vendor-bundles.ts`, into dist/vendor/). Node 20 loads an ES module graph file by file; one file loads
 * 3.7× faster for the OpenAI SDK (~150 modules, in a worker thread before its first call), 3.2× for Anthropic's,
 * 1.9× for Gemini's, 1.3× for zod and 2.7× for fast-glob (on the main thread, before the pool can start): figures in
 * docs/performance.md, "Session 14". Each bundle is the installed package's own code, unchanged; the package stays a
 * dependency (its types, and the sources' runs). The AWS SDK is not bundled: 130 ms against 105, not worth a second
 * copy of it. Value: the bundle's file name under dist/vendor/.
 */
export const VENDORED = {
  openai: "openai.js",
  "@anthropic-ai/sdk": "anthropic-sdk.js",
  "@google/genai": "google-genai.js",
  zod: "zod.js",
  "fast-glob": "fast-glob.js",
} as const;

export type Vendored = keyof typeof VENDORED;

/**
 * What to `import()` for `name`: its bundle when this module runs from the build, the package itself when it runs
 * from the TypeScript sources (tests, `tsx`), which never depend on dist/.
 */
export function vendored(name: Vendored): string {
  return import.meta.url.endsWith(".ts")
    ? name
    : new URL(`../vendor/${VENDORED[name]}`, import.meta.url).href;
}
