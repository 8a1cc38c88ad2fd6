// The Piscina worker module: plain exported functions picked by name. Only plain data comes in and goes out.
import { collectEvalFile } from "../discovery/collect.ts";
import type { CaseResult, CaseTask } from "../types.ts";
import { executeCase } from "./execute-case.ts";
import type { CollectResult } from "./pool.ts";

export function collect(input: { absFile: string; file: string }): Promise<CollectResult> {
  return collectEvalFile(input.absFile, input.file);
}

export function runCase(task: CaseTask): Promise<CaseResult> {
  return executeCase(task);
}
