import { basename, dirname, relative, resolve } from "node:path";
import type { Problem } from "../errors.ts";
import type { EvalDefinition, EvalOptions, Scenario, ScenarioHead } from "../types.ts";
import { JSONL_FIELD_NAMES, parseConversationFields } from "./conversation-fields.ts";
import { fileHead, fileLines } from "./file-lines.ts";
import { inspectImageFile } from "./image-check.ts";
import { parseMetricList } from "./metric-keys.ts";
import { isObject, isStringArray, show, typeName } from "./row-values.ts";
import { ScenarioTable } from "./scenario-table.ts";

export interface LoadedJsonl {
  eval: EvalDefinition;
  problems: Problem[];
  warnings: Problem[];
}

const SCENARIO_FIELDS = new Set([
  "text_prompt",
  "expected_output_tokens",
  "task",
  "golden_answer",
  "url_image",
  "user_defined_metrics",
  "id",
  "system",
  "temperature",
  "tags",
  "skip",
  "only",
  "messages",
  "turns",
  "tools",
  "tool_results",
  "max_tool_steps",
  "expected_tool_calls",
  "tool_order",
  "output_schema",
  "tool_choice",
]);
/** Model fields the seed's older format embedded on every scenario line. */
const LEGACY_MODEL_FIELDS = new Set([
  "model_id",
  "region",
  "inference_profile",
  "input_token_cost",
  "output_token_cost",
]);
const HEADER_FIELDS = new Set(["name", "models", "judges", "threshold", "invocations", "metrics"]);

/** Checks a scenario's local image; returns the problem, or undefined when the file is there and is an image. */
export type ImageCheck = (image: string) => string | undefined;

/**
 * Reads and checks a `*.eval.jsonl` (`file` is its path from the project root) a line at a time, keeping of each
 * scenario only where its line is and what planning reads (`ScenarioTable`): its texts are read again from the
 * file when a task is made. Local `url_image` paths are resolved from the eval file and must be image files (their
 * size is checked against the plan's providers by `planImageProblems`); http(s) URLs are not fetched.
 */
export async function loadEvalJsonl(absFile: string, file: string): Promise<LoadedJsonl> {
  const head = await fileHead(absFile);
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) {
    // Read as UTF-8, a UTF-16 file is a NUL between every character: one line about the encoding beats many.
    const empty = new JsonlLines(file).finish(absFile, []);
    return { ...empty, problems: [{ file, message: "encoded as UTF-16; save it as UTF-8" }] };
  }
  const lines = new JsonlLines(file, localImageCheck(absFile, file));
  const table = new ScenarioTable(absFile, file, rereadScenario);
  for await (const chunk of fileLines(absFile))
    for (const { text, line, offset, length } of chunk) {
      const scenario = lines.read(text, line);
      if (scenario) table.add(scenario, text, offset, length);
    }
  const loaded = lines.finish(absFile, table.scenarios, table.heads);
  return table.noImages ? { ...loaded, eval: { ...loaded.eval, noImages: true } } : loaded;
}

/** A scenario's line read again (`ScenarioTable`): parsed as when it was first read, its problems checked then. */
function rereadScenario(text: string, line: number): Scenario | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  return isObject(value) ? parseScenario(value, line, () => {}) : undefined;
}

/** Local image paths are relative to the eval file; problems name them from the project root. */
function localImageCheck(absFile: string, file: string): ImageCheck {
  const abs = absFile.split("\\").join("/");
  const root = abs.endsWith(`/${file}`) ? abs.slice(0, abs.length - file.length) : dirname(absFile);
  return (image) => {
    if (/^https?:\/\//i.test(image)) return undefined;
    // A scheme of two letters or more (not a Windows drive letter) that is not http(s) cannot be loaded.
    const scheme = /^([a-z][a-z0-9+.-]+):/i.exec(image)?.[1];
    if (scheme)
      return `unsupported URL scheme "${scheme}:"; use an http(s) URL or a path relative to the eval file`;
    const target = resolve(dirname(absFile), image);
    const shown = relative(root, target).split("\\").join("/");
    const file = inspectImageFile(target, shown);
    return file.ok ? undefined : file.problem;
  };
}

/**
 * Parses a `*.eval.jsonl` in the 360-eval scenario schema (DESIGN §3.1), with the optional `{"$eval": {...}}`
 * header line. Pure (images are checked only through `checkImage`). Checks every line and reports every problem
 * as `file:line: field: message`.
 */
export function parseEvalJsonl(
  text: string,
  absFile: string,
  file: string,
  checkImage?: ImageCheck,
): LoadedJsonl {
  const reader = new JsonlLines(file, checkImage);
  const scenarios: Scenario[] = [];
  for (const [i, raw] of text
    .replace(/^\uFEFF/, "")
    .split(/\r?\n/)
    .entries()) {
    const scenario = reader.read(raw, i + 1);
    if (scenario) scenarios.push(scenario);
  }
  return reader.finish(absFile, scenarios);
}

/**
 * The checks of a `.eval.jsonl`, fed one line at a time: each line's problems at once, those about the whole file
 * (unknown fields, missing criteria, the older format, no scenarios) at the end.
 */
class JsonlLines {
  readonly problems: Problem[] = [];
  readonly warnings: Problem[] = [];
  private readonly options: EvalOptions = {};
  private scenarioCount = 0;
  private readonly ids = new Map<string, number>();
  private readonly unknown = new Map<string, number>();
  private readonly legacy = { first: 0, lines: 0, duplicates: 0 };
  private readonly noCriteria = { first: 0, lines: 0 };
  private readonly seenContent = new Set<string>();
  private headerLine: number | undefined;
  private sawContent = false;

  constructor(
    private readonly file: string,
    private readonly checkImage?: ImageCheck,
  ) {}

  /** Checks line `line` (1-based); returns its scenario when it is one to keep. */
  read(raw: string, line: number): Scenario | undefined {
    const { file, problems, warnings, legacy, checkImage } = this;
    if (raw.trim() === "") return undefined;
    const at = (path: string, message: string): Problem => ({
      file,
      line,
      ...(path ? { path } : {}),
      message,
    });
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (err) {
      problems.push(at("", `invalid JSON: ${shortJsonError(err)}`));
      this.sawContent = true;
      return undefined;
    }
    if (!isObject(value)) {
      problems.push(at("", `each line must be a JSON object (got ${typeName(value)})`));
      this.sawContent = true;
      return undefined;
    }
    if ("$eval" in value) {
      if (this.sawContent) problems.push(at("$eval", "the $eval header must be the first line of the file"));
      else {
        this.headerLine = line;
        const others = Object.keys(value).filter((k) => k !== "$eval");
        if (others.length)
          warnings.push(
            at(
              "",
              `fields next to $eval are ignored (${others.join(", ")}); put scenarios on their own lines`,
            ),
          );
        parseHeader(
          value.$eval,
          (p, m) => problems.push(at(p, m)),
          (p, m) => warnings.push(at(p, m)),
          this.options,
        );
      }
      this.sawContent = true;
      return undefined;
    }
    this.sawContent = true;

    const before = problems.length;
    const scenario = parseScenario(value, line, (p, m) => problems.push(at(p, m)), checkImage);
    for (const key of Object.keys(value)) {
      if (SCENARIO_FIELDS.has(key)) continue;
      if (LEGACY_MODEL_FIELDS.has(key)) {
        legacy.first ||= line;
        continue;
      }
      if (!this.unknown.has(key)) this.unknown.set(key, line);
    }
    if (Object.keys(value).some((k) => LEGACY_MODEL_FIELDS.has(k))) legacy.lines++;
    const imageProblem = scenario?.image === undefined ? undefined : checkImage?.(scenario.image);
    if (imageProblem) problems.push(at("url_image", imageProblem));
    if (!scenario || problems.length > before) return undefined;

    if (legacy.first && value.id === undefined) {
      // The older format repeats each scenario once per model: keep the first of identical rows.
      const content = JSON.stringify([
        scenario.prompt,
        scenario.golden,
        scenario.taskType,
        scenario.criteria,
        scenario.image,
        scenario.messages,
        scenario.turns,
      ]);
      if (this.seenContent.has(content)) {
        legacy.duplicates++;
        return undefined;
      }
      this.seenContent.add(content);
    }
    const firstLine = this.ids.get(scenario.key);
    if (firstLine !== undefined) {
      problems.push(
        at(
          "id",
          `duplicate id "${scenario.key}" (first used on line ${firstLine}); ids must be unique in a file`,
        ),
      );
      return undefined;
    }
    this.ids.set(scenario.key, line);
    this.scenarioCount++;
    if (isObject(value.task) && value.task.task_criteria == null) {
      this.noCriteria.first ||= line;
      this.noCriteria.lines++;
    }
    return scenario;
  }

  /** The eval of the lines read, with `scenarios` (and their heads, when they are not held) as it keeps them. */
  finish(
    absFile: string,
    scenarios: readonly Scenario[],
    scenarioHeads?: readonly ScenarioHead[],
  ): LoadedJsonl {
    const { file, problems, warnings, legacy, noCriteria, headerLine, options } = this;
    for (const [key, line] of this.unknown) {
      warnings.push({
        file,
        line,
        path: key,
        message: "unknown field, ignored (check its spelling against the scenario schema)",
      });
    }
    if (noCriteria.first) {
      warnings.push({
        file,
        line: noCriteria.first,
        path: "task.task_criteria",
        message: `missing${noCriteria.lines > 1 ? ` on ${noCriteria.lines} lines (first here)` : ""}; the judges get no task-specific criteria`,
      });
    }
    if (legacy.first) {
      warnings.push({
        file,
        line: legacy.first,
        message:
          `older 360-eval format: model fields (model_id, region, inference_profile, *_token_cost) on ${legacy.lines} line(s) are ignored — models come from the model profiles` +
          (legacy.duplicates ? `; ${legacy.duplicates} repeated scenario(s) were merged` : ""),
      });
    }
    if (!problems.length && this.scenarioCount === 0) {
      problems.push({
        file,
        ...(headerLine ? { line: headerLine } : {}),
        message: "no scenarios: add one JSON object per line with at least text_prompt and task.task_type",
      });
    }

    const name = options.name ?? basename(file).replace(/\.eval\.jsonl$/, "");
    return {
      eval: {
        kind: "jsonl",
        absFile,
        file,
        name,
        index: 0,
        mode: "run",
        ...(headerLine ? { line: headerLine } : { seedFile: true }),
        scenarios,
        ...(scenarioHeads ? { scenarioHeads } : {}),
        hasTask: false,
        checkNames: [],
        ...options,
      },
      problems,
      warnings,
    };
  }
}

type Report = (path: string, message: string) => void;

function parseScenario(
  v: Record<string, unknown>,
  line: number,
  problem: Report,
  checkImage?: ImageCheck,
): Scenario | undefined {
  const conversation = parseConversationFields(v, JSONL_FIELD_NAMES, problem, checkImage);
  const dialogue = v.messages !== undefined ? "messages" : v.turns !== undefined ? "turns" : undefined;
  const prompt = dialogue ? conversation.prompt : v.text_prompt;
  if (dialogue) {
    if (v.text_prompt !== undefined)
      problem(
        "text_prompt",
        `leave it out when ${dialogue} is given: the prompt is ${dialogue === "messages" ? "the last user turn" : "the first turn"}`,
      );
    if (v.url_image != null)
      problem("url_image", `with ${dialogue}, put the image on its user turn ("image": "...")`);
  } else if (prompt === undefined) problem("text_prompt", "required: the prompt sent to the model");
  else if (typeof prompt !== "string" || prompt.trim() === "")
    problem("text_prompt", `must be a non-empty string (got ${show(prompt)})`);

  let taskType: string | undefined;
  let criteria = "";
  const task = v.task;
  if (task === undefined)
    problem("task", 'required: an object like {"task_type": "Summarization", "task_criteria": "..."}');
  else if (!isObject(task))
    problem("task", `must be an object with task_type and task_criteria (got ${show(task)})`);
  else {
    if (task.task_type === undefined)
      problem("task.task_type", 'required: the kind of task, e.g. "Summarization" or "Text-to-SQL"');
    else if (typeof task.task_type !== "string" || task.task_type.trim() === "")
      problem("task.task_type", `must be a non-empty string (got ${show(task.task_type)})`);
    else taskType = task.task_type.trim();
    if (task.task_criteria != null && typeof task.task_criteria !== "string")
      problem("task.task_criteria", `must be a string (got ${show(task.task_criteria)})`);
    else if (typeof task.task_criteria === "string") criteria = task.task_criteria;
  }

  const tokens = v.expected_output_tokens;
  if (tokens !== undefined && !(Number.isInteger(tokens) && (tokens as number) > 0))
    problem("expected_output_tokens", `must be a positive integer (got ${show(tokens)})`);
  const temperature = v.temperature;
  if (temperature !== undefined && !(typeof temperature === "number" && temperature >= 0 && temperature <= 2))
    problem("temperature", `must be a number from 0 to 2 (got ${show(temperature)})`);
  for (const k of ["golden_answer", "url_image", "system"] as const) {
    if (v[k] !== undefined && v[k] !== null && typeof v[k] !== "string")
      problem(k, `must be a string (got ${show(v[k])})`);
  }
  const metrics = v.user_defined_metrics;
  if (metrics !== undefined && metrics !== null && typeof metrics !== "string" && !isStringArray(metrics))
    problem(
      "user_defined_metrics",
      `must be a comma-separated string or an array of strings (got ${show(metrics)})`,
    );
  const id = v.id;
  if (id !== undefined && typeof id !== "string" && typeof id !== "number")
    problem("id", `must be a string or a number (got ${show(id)})`);
  if (v.tags !== undefined && !isStringArray(v.tags))
    problem("tags", `must be an array of strings (got ${show(v.tags)})`);
  for (const k of ["skip", "only"] as const) {
    if (v[k] !== undefined && typeof v[k] !== "boolean")
      problem(k, `must be true or false (got ${show(v[k])})`);
  }

  if (typeof prompt !== "string" || taskType === undefined) return undefined;
  const str = (x: unknown) => (typeof x === "string" ? x : undefined);
  const golden = str(v.golden_answer);
  const image = str(v.url_image);
  const system = str(v.system);
  return {
    key: typeof id === "string" || typeof id === "number" ? String(id) : `L${line}`,
    prompt,
    taskType,
    criteria,
    metrics: typeof metrics === "string" || isStringArray(metrics) ? parseMetricList(metrics) : [],
    line,
    ...(golden === undefined ? {} : { golden }),
    ...(image === undefined || image === "" ? {} : { image }),
    ...(system === undefined ? {} : { system }),
    ...(typeof tokens === "number" ? { maxTokens: tokens } : {}),
    ...(typeof temperature === "number" ? { temperature } : {}),
    ...(isStringArray(v.tags) ? { tags: v.tags } : {}),
    ...(v.skip === true ? { skip: true } : {}),
    ...(v.only === true ? { only: true } : {}),
    ...conversation.fields,
  };
}

function parseHeader(h: unknown, problem: Report, warn: Report, out: EvalOptions): void {
  if (!isObject(h)) {
    problem("$eval", `must be an object of file options (got ${show(h)})`);
    return;
  }
  for (const key of Object.keys(h))
    if (!HEADER_FIELDS.has(key))
      warn(`$eval.${key}`, `unknown option, ignored (known: ${[...HEADER_FIELDS].join(", ")})`);
  if (h.name !== undefined) {
    if (typeof h.name === "string" && h.name.trim()) out.name = h.name.trim();
    else problem("$eval.name", `must be a non-empty string (got ${show(h.name)})`);
  }
  for (const k of ["models", "judges"] as const) {
    if (h[k] === undefined) continue;
    if (isStringArray(h[k])) out[k] = h[k];
    else problem(`$eval.${k}`, `must be an array of profile keys or model ids (got ${show(h[k])})`);
  }
  if (h.threshold !== undefined) {
    if (typeof h.threshold === "number" && h.threshold >= 1 && h.threshold <= 5) out.threshold = h.threshold;
    else problem("$eval.threshold", `must be a number from 1 to 5 (got ${show(h.threshold)})`);
  }
  if (h.invocations !== undefined) {
    if (Number.isInteger(h.invocations) && (h.invocations as number) > 0)
      out.invocations = h.invocations as number;
    else problem("$eval.invocations", `must be a positive integer (got ${show(h.invocations)})`);
  }
  if (h.metrics !== undefined) {
    if (typeof h.metrics === "string" || isStringArray(h.metrics)) out.metrics = parseMetricList(h.metrics);
    else
      problem(
        "$eval.metrics",
        `must be a comma-separated string or an array of strings (got ${show(h.metrics)})`,
      );
  }
}

/** V8's message without "in JSON at position N" (0-based, and Node 22 adds line/column): `… at column N+1`. */
function shortJsonError(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  const at = /^(.+?) in JSON at position (\d+)/s.exec(msg);
  return at ? `${at[1]} at column ${Number(at[2]) + 1}` : msg;
}
