// Worker entry when jury runs from its TypeScript sources (tests, `node --import tsx`): Node 20 does not apply
// a parent's `--import tsx` hooks to worker threads, so the worker registers tsx itself, then loads the real
// worker module. Built installs use dist/src/runner/worker.js directly.
import { register } from "tsx/esm/api";

register();
const worker = await import("./worker.ts");

export const collect = worker.collect;
export const runCase = worker.runCase;
export const probe = worker.probe;
export const runCases = worker.runCases;
