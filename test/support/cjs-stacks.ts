/**
 * Whether a `.eval.ts` of a package without "type": "module" that throws while loading has a source-mapped stack.
 * Always, now that eval files are bundled as ES modules with a source map (src/discovery/import-module.ts): tsx ran
 * such files as unmapped CommonJS on Node 20. Kept for the tests that still branch on it.
 */
export const CJS_STACKS_MAPPED = true;
