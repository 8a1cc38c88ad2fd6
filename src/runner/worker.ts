// The Piscina worker module: plain exported functions picked by name. Only plain data comes in and goes out.
import { collectEvalFile } from "../discovery/collect.ts";
import { executeCase } from "./execute-case.ts";
import type { CaseResult, CaseTask, CollectRequest, CollectResult } from "./protocol.ts";

export function collect(input: CollectRequest): Promise<CollectResult> {
  return collectEvalFile(input.absFile, input.file);
}

export function runCase(task: CaseTask): Promise<CaseResult> {
  return executeCase(task);
}
