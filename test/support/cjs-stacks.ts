import * as nodeModule from "node:module";

/**
 * Whether a CommonJS `.eval.ts` that throws while loading has a source-mapped stack. tsx loads such files through
 * `module.registerHooks` where Node has it (22.15+, 24), and the stack then points at the throwing expression (and
 * `defineEval` calls get their line); on Node 20 it runs them as minified code, so jury falls back to the line that
 * spells the error's message, and `defineEval` problems carry no line. The tests expect what the runtime can give.
 */
export const CJS_STACKS_MAPPED =
  typeof (nodeModule as { registerHooks?: unknown }).registerHooks === "function";
