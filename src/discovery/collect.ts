import { readFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import type { Problem } from "../errors.ts";
import type { EvalDefinition, Scenario, ScenarioInput } from "../types.ts";
import { parseConversationFields, TS_FIELD_NAMES } from "./conversation-fields.ts";
import { evalRegistry, type RegisteredEval } from "./define-eval.ts";
import { importModule } from "./import-module.ts";
import { loadEvalJsonl } from "./jsonl.ts";
import { firstLine, loadErrorProblems } from "./load-error.ts";
import { parseMetricList } from "./metric-keys.ts";
import { isObject } from "./row-values.ts";

/** Imported eval files of this thread, by absolute path. Imports are serialised: the registry is global. */
const imported = new Map<string, Promise<RegisteredEval[]>>();
let queue: Promise<unknown> = Promise.resolve();

/** Imports a `*.eval.ts` once per thread and returns what its `defineEval` calls registered. */
export function importEvalFile(absFile: string): Promise<RegisteredEval[]> {
  let p = imported.get(absFile);
  if (!p) {
    p = queue.then(async () => {
      const registry = evalRegistry();
      registry.file = absFile;
      registry.evals = [];
      try {
        await importModule(absFile);
        return registry.evals;
      } finally {
        registry.file = undefined;
        registry.evals = [];
      }
    });
    queue = p.catch(() => undefined);
    imported.set(absFile, p);
  }
  return p;
}

/**
 * Collects a `*.eval.ts` into plain eval definitions: runs in a worker, so user code never runs on the main
 * thread. Scenario functions are awaited here; their rows are validated into `Scenario`s.
 */
export async function collectEvalFile(
  absFile: string,
  file: string,
): Promise<{ evals: EvalDefinition[]; problems: Problem[]; warnings: Problem[] }> {
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  let registered: RegisteredEval[];
  try {
    registered = await importEvalFile(absFile);
  } catch (err) {
    return { evals: [], problems: loadErrorProblems(err, { absFile, file }, readSource), warnings };
  }
  if (registered.length === 0) {
    problems.push({
      file,
      message: 'no defineEval() call found; import { defineEval } from "jury" and declare an eval',
    });
  }
  const lines = registered.some((r) => r.line === undefined) ? declarationLines(readSource(absFile)) : [];
  const evals: EvalDefinition[] = [];
  const names = new Set<string>();
  for (const [index, found] of registered.entries()) {
    const line = found.line ?? (lines.length === registered.length ? lines[index] : undefined);
    const reg = line === undefined ? found : { ...found, line };
    const at = { file, ...(reg.line === undefined ? {} : { line: reg.line }) };
    if (typeof reg.name !== "string" || reg.name.trim() === "") {
      problems.push({ ...at, path: "defineEval", message: "the first argument must be a non-empty name" });
      continue;
    }
    if (names.has(reg.name))
      problems.push({
        ...at,
        path: "defineEval",
        message: `duplicate eval name "${reg.name}"; names must be unique within a file`,
      });
    names.add(reg.name);
    const scenarios = await loadScenarios(reg, absFile, at, problems, warnings);
    const toolResults: unknown = reg.input.toolResults;
    if (toolResults !== undefined && typeof toolResults !== "function" && !isObject(toolResults))
      problems.push({
        ...at,
        path: `${reg.name}.toolResults`,
        message: "must be a function (call, ctx) => result, or an object of tool name → result",
      });
    evals.push({
      kind: "ts",
      absFile,
      file,
      name: reg.name,
      index,
      mode: reg.mode,
      ...(reg.line === undefined ? {} : { line: reg.line }),
      scenarios,
      hasTask: typeof reg.input.task === "function",
      checkNames: (reg.input.checks ?? []).map((c) => c?.name ?? "check"),
      ...pickOptions(reg),
    });
  }
  return { evals, problems, warnings };
}

function pickOptions(reg: RegisteredEval): Partial<EvalDefinition> {
  const { models, judges, threshold, invocations, metrics } = reg.input;
  return {
    ...(models ? { models } : {}),
    ...(judges ? { judges } : {}),
    ...(threshold === undefined ? {} : { threshold }),
    ...(invocations === undefined ? {} : { invocations }),
    ...(metrics ? { metrics: parseMetricList(metrics) } : {}),
  };
}

async function loadScenarios(
  reg: RegisteredEval,
  absFile: string,
  at: { file: string; line?: number },
  problems: Problem[],
  warnings: Problem[],
): Promise<Scenario[]> {
  const source = reg.input.scenarios;
  if (typeof source === "string") {
    const abs = resolve(dirname(absFile), source);
    const root = absFile.slice(0, absFile.length - at.file.length);
    const rel = relative(root, abs).split("\\").join("/");
    const loaded = await loadEvalJsonl(abs, rel).catch((err: unknown) => {
      problems.push({ ...at, path: "scenarios", message: `cannot read ${source}: ${firstLine(err)}` });
      return undefined;
    });
    if (!loaded) return [];
    problems.push(...loaded.problems);
    warnings.push(...loaded.warnings);
    // Collected in a worker and cloned to the main thread: held, as the scenarios of a `.eval.ts` are.
    return [...loaded.eval.scenarios];
  }
  let rows: unknown;
  try {
    rows = typeof source === "function" ? await source() : source;
  } catch (err) {
    problems.push({ ...at, path: "scenarios", message: `the scenarios function threw: ${firstLine(err)}` });
    return [];
  }
  if (!Array.isArray(rows)) {
    problems.push({
      ...at,
      path: "scenarios",
      message: "must be an array, a function returning one, or a path to a .jsonl file",
    });
    return [];
  }
  const out: Scenario[] = [];
  const keys = new Set<string>();
  for (const [i, row] of rows.entries()) {
    const s = toScenario(row as ScenarioInput, i, (path, message) =>
      problems.push({ ...at, path: `${reg.name}.scenarios[${i}]${path ? `.${path}` : ""}`, message }),
    );
    if (!s) continue;
    if (keys.has(s.key))
      problems.push({ ...at, path: `${reg.name}.scenarios[${i}].id`, message: `duplicate id "${s.key}"` });
    keys.add(s.key);
    out.push(s);
  }
  return out;
}

function toScenario(
  row: ScenarioInput,
  i: number,
  problem: (path: string, message: string) => void,
): Scenario | undefined {
  if (typeof row !== "object" || row === null) {
    problem("", "must be an object with at least a prompt");
    return undefined;
  }
  const conversation = parseConversationFields(row as Record<string, unknown>, TS_FIELD_NAMES, problem);
  const dialogue = row.messages !== undefined ? "messages" : row.turns !== undefined ? "turns" : undefined;
  if (dialogue) {
    if (row.prompt !== undefined)
      problem(
        "prompt",
        `leave it out when ${dialogue} is given: the prompt is ${dialogue === "messages" ? "the last user turn" : "the first turn"}`,
      );
    if (row.image !== undefined) problem("image", `with ${dialogue}, put the image on its user turn`);
  } else if (typeof row.prompt !== "string" || row.prompt.trim() === "") {
    problem("prompt", "required: a non-empty string");
    return undefined;
  }
  const prompt = dialogue ? conversation.prompt : row.prompt;
  if (prompt === undefined) return undefined;
  const optionalString = (k: "system" | "golden" | "taskType" | "criteria" | "image") => {
    const v = row[k];
    if (v !== undefined && typeof v !== "string") problem(k, `must be a string (got ${typeof v})`);
    return typeof v === "string" ? v : undefined;
  };
  const system = optionalString("system");
  const golden = optionalString("golden");
  const image = optionalString("image");
  if (row.maxTokens !== undefined && !(Number.isInteger(row.maxTokens) && row.maxTokens > 0))
    problem("maxTokens", `must be a positive integer (got ${JSON.stringify(row.maxTokens)})`);
  if (
    row.temperature !== undefined &&
    !(typeof row.temperature === "number" && row.temperature >= 0 && row.temperature <= 2)
  )
    problem("temperature", `must be a number from 0 to 2 (got ${JSON.stringify(row.temperature)})`);
  return {
    key: row.id === undefined ? `#${i + 1}` : String(row.id),
    prompt,
    taskType: optionalString("taskType") ?? "General",
    criteria: optionalString("criteria") ?? "",
    metrics: parseMetricList(row.metrics),
    ...(system === undefined ? {} : { system }),
    ...(golden === undefined ? {} : { golden }),
    ...(image === undefined ? {} : { image }),
    ...(typeof row.maxTokens === "number" ? { maxTokens: row.maxTokens } : {}),
    ...(typeof row.temperature === "number" ? { temperature: row.temperature } : {}),
    ...(Array.isArray(row.tags) ? { tags: row.tags.map(String) } : {}),
    ...(row.skip ? { skip: true } : {}),
    ...(row.only ? { only: true } : {}),
    ...conversation.fields,
  };
}

/**
 * The lines of the `defineEval(`, `defineEval.skip(` and `defineEval.only(` calls written in `source`, outside
 * comments: where evals are declared when the stack did not say (a CommonJS project's file runs as compiled code
 * without a source map). The caller uses them only when there are as many as evals were registered.
 */
export function declarationLines(source: string | undefined): number[] {
  if (source === undefined) return [];
  const lines: number[] = [];
  for (const [i, text] of source.split("\n").entries()) {
    const code = text.replace(/\/\/.*$/, "");
    if (/^\s*\*/.test(code)) continue;
    for (const _ of code.matchAll(/\bdefineEval(?:\.(?:skip|only))?\s*\(/g)) lines.push(i + 1);
  }
  return lines;
}

function readSource(absFile: string): string | undefined {
  try {
    return readFileSync(absFile, "utf8");
  } catch {
    return undefined;
  }
}
