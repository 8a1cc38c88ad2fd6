import { dirname, isAbsolute, join, relative } from "node:path";
import { metricKey, parseMetricList } from "../discovery/metric-keys.ts";
import { FlagError, type Problem, TableImportError } from "../errors.ts";
import type { ImportOptions } from "../types.ts";
import { readTable, type TableRow } from "./read-table.ts";

/** What `importTable` produced: the `.eval.jsonl` text, its scenario count, and warnings (as data). */
export interface ImportResult {
  jsonl: string;
  scenarios: number;
  warnings: Problem[];
}

/** Task type of rows with none, when neither a column nor `taskType` gives one. */
export const DEFAULT_TASK_TYPE = "General";

type Field =
  | "prompt"
  | "golden"
  | "image"
  | "taskType"
  | "criteria"
  | "metrics"
  | "tokens"
  | "temperature"
  | "id"
  | "system";

/** Column names each field is detected from, in order of preference (compared by `metricKey`). */
const ALIASES: Record<Field, readonly string[]> = {
  prompt: ["text_prompt", "prompt", "question", "input", "query"],
  golden: [
    "golden_answer",
    "golden",
    "answer",
    "expected_answer",
    "expected_output",
    "expected",
    "reference_answer",
    "reference",
    "ground_truth",
  ],
  image: ["url_image", "image_url", "image", "image_path"],
  taskType: ["task_type", "task.task_type"],
  criteria: ["task_criteria", "task.task_criteria", "criteria"],
  metrics: ["user_defined_metrics", "metrics"],
  tokens: ["expected_output_tokens", "max_tokens"],
  temperature: ["temperature"],
  id: ["id"],
  system: ["system", "system_prompt"],
};

const FLAGS: Partial<Record<Field, keyof ImportOptions>> = {
  prompt: "promptColumn",
  golden: "goldenColumn",
  image: "imageColumn",
};
const FLAG_NAMES: Record<string, string> = {
  promptColumn: "--prompt-column",
  goldenColumn: "--golden-column",
  imageColumn: "--image-column",
};

/**
 * The column names of a CSV/TSV/JSONL table (for a column picker). `file` names the table in problems and
 * picks the format by its extension. Throws `TableImportError` only when the file cannot be read as a table.
 */
export function readTableColumns(text: string, file: string): string[] {
  const table = readTable(text, file);
  if (table.fatal) throw new TableImportError(table.problems);
  return table.columns;
}

/**
 * Turns a CSV/TSV (or JSONL of rows) into `.eval.jsonl` text in the 360-eval scenario schema, one scenario per
 * non-blank row. Columns are picked by `options` or detected by name; per-row `task_type`, `task_criteria`,
 * `user_defined_metrics`, `expected_output_tokens`, `temperature`, `id` and `system` columns are used when
 * present, and `options` fill their empty cells. Throws `TableImportError` with every `file:line` problem at once.
 * @example
 * importTable("question,answer\nWhat is 2+2?,4\n", { taskType: "Math" }, "math.csv").jsonl
 * // {"text_prompt":"What is 2+2?","task":{"task_type":"Math"},"golden_answer":"4"}\n
 */
export function importTable(text: string, options: ImportOptions, file: string): ImportResult {
  checkOptions(options);
  const table = readTable(text, file);
  if (table.fatal) throw new TableImportError(table.problems);
  const columnProblems: Problem[] = [];
  const warnings: Problem[] = [];
  const header = (message: string, path?: string): Problem => ({
    file,
    line: table.headerLine,
    ...(path ? { path } : {}),
    message,
  });
  const listed = table.columns.map((c) => JSON.stringify(c)).join(", ");

  const index = new Map<Field, number>();
  for (const field of Object.keys(ALIASES) as Field[]) {
    const flag = FLAGS[field];
    const wanted = flag ? (options[flag] as string | undefined) : undefined;
    if (wanted !== undefined) {
      const at = findColumn(table.columns, [wanted]);
      if (at === undefined)
        columnProblems.push(
          header(`no column named "${wanted}"; the columns are ${listed}`, FLAG_NAMES[flag as string]),
        );
      else index.set(field, at);
      continue;
    }
    const at = findColumn(table.columns, ALIASES[field]);
    if (at !== undefined) index.set(field, at);
  }
  if (!index.has("prompt") && options.promptColumn === undefined)
    columnProblems.push(
      header(
        `no prompt column (looked for ${ALIASES.prompt.join(", ")}); the columns are ${listed}; pass --prompt-column <name>`,
      ),
    );
  if (!index.has("golden") && options.goldenColumn === undefined && index.has("prompt"))
    warnings.push(
      header(
        `no golden-answer column (looked for ${ALIASES.golden.join(", ")}); the judges get no reference answer; pass --golden-column <name> to use one`,
      ),
    );
  const used = new Set(index.values());
  const unused = table.columns.filter((c, i) => !used.has(i) && c !== "");
  if (index.has("prompt") && unused.length)
    warnings.push(
      header(
        `column${unused.length === 1 ? "" : "s"} not imported: ${unused.map((c) => JSON.stringify(c)).join(", ")}`,
      ),
    );
  if (columnProblems.length) throw new TableImportError([...columnProblems, ...table.problems]);
  const problems = [...table.problems];

  const col = (field: Field, row: TableRow) => {
    const at = index.get(field);
    return at === undefined ? "" : (row.cells[at] ?? "");
  };
  const colName = (field: Field) => table.columns[index.get(field) ?? -1] ?? field;
  const ids = new Map<string, number>();
  const tally = { noTaskType: 0, noCriteria: 0, noGolden: 0, firstNoGolden: 0, overPerTask: 0 };
  const perTask = new Map<string, number>();
  const lines: string[] = [];
  const ragged = new Set(table.problems.map((p) => p.line));

  for (const row of table.rows) {
    if (ragged.has(row.line) || row.cells.every((c) => c.trim() === "")) continue;
    const at = (path: string, message: string) => problems.push({ file, line: row.line, path, message });
    const prompt = col("prompt", row);
    if (prompt.trim() === "") {
      at(colName("prompt"), "empty prompt: every row needs one (delete the row or fill the cell)");
      continue;
    }
    const scenario: Record<string, unknown> = { text_prompt: prompt };

    const taskType = col("taskType", row).trim() || options.taskType?.trim() || DEFAULT_TASK_TYPE;
    // Rows past the first `perTask` of their task type are left out before any check: they are not imported.
    const taken = perTask.get(taskType) ?? 0;
    if (options.perTask !== undefined && taken >= options.perTask) {
      tally.overPerTask++;
      continue;
    }
    perTask.set(taskType, taken + 1);
    const tokens = col("tokens", row).trim();
    if (tokens) {
      const n = Number(tokens);
      if (Number.isInteger(n) && n > 0) scenario.expected_output_tokens = n;
      else at(colName("tokens"), `must be a positive integer (got "${tokens}")`);
    }
    if (!col("taskType", row).trim() && !options.taskType?.trim()) tally.noTaskType++;
    const criteria = col("criteria", row).trim() || options.taskCriteria?.trim() || "";
    if (!criteria) tally.noCriteria++;
    scenario.task = { task_type: taskType, ...(criteria ? { task_criteria: criteria } : {}) };

    const golden = col("golden", row);
    if (golden.trim()) scenario.golden_answer = golden;
    else if (index.has("golden")) {
      tally.noGolden++;
      tally.firstNoGolden ||= row.line;
    }

    const image = col("image", row).trim();
    if (image) scenario.url_image = rewriteImage(image, file, options.outputFile);

    const metrics = parseMetricList(col("metrics", row).trim() || options.metrics || []);
    if (metrics.length) scenario.user_defined_metrics = metrics.join(", ");

    const temperature = col("temperature", row).trim();
    if (temperature) {
      const t = Number(temperature);
      if (Number.isFinite(t) && t >= 0 && t <= 2) scenario.temperature = t;
      else at(colName("temperature"), `must be a number from 0 to 2 (got "${temperature}")`);
    } else if (options.temperature !== undefined) scenario.temperature = options.temperature;

    const system = col("system", row);
    if (system.trim()) scenario.system = system;

    const id = col("id", row).trim();
    if (id) {
      const first = ids.get(id);
      if (first !== undefined)
        at(colName("id"), `duplicate id "${id}" (first used on line ${first}); ids must be unique`);
      else ids.set(id, row.line);
      scenario.id = id;
    }
    lines.push(JSON.stringify(scenario));
  }

  if (problems.length) throw new TableImportError(problems);
  if (lines.length === 0)
    throw new TableImportError([
      { file, line: table.headerLine, message: "no rows: the table has a header but no data" },
    ]);

  if (tally.noTaskType)
    warnings.push(
      header(
        `no task type: ${tally.noTaskType === lines.length ? "every scenario" : `${tally.noTaskType} scenario(s)`} got task_type "${DEFAULT_TASK_TYPE}"; pass --task-type <type> or add a task_type column`,
      ),
    );
  if (tally.noCriteria)
    warnings.push(
      header(
        `no task criteria on ${tally.noCriteria === lines.length ? "any scenario" : `${tally.noCriteria} scenario(s)`}; the judges get no task-specific criteria; pass --task-criteria <text> or add a task_criteria column`,
      ),
    );
  if (tally.noGolden)
    warnings.push({
      file,
      line: tally.firstNoGolden,
      path: colName("golden"),
      message: `empty golden answer on ${tally.noGolden} row(s) (first here); the judges get no reference answer there`,
    });

  if (tally.overPerTask)
    warnings.push(
      header(
        `${tally.overPerTask} row(s) left out: the first ${options.perTask} of each task type are kept (${[...perTask].map(([t, n]) => `${t}: ${n}`).join(", ")})`,
      ),
    );

  return { jsonl: `${lines.join("\n")}\n`, scenarios: lines.length, warnings };
}

function checkOptions(o: ImportOptions): void {
  if (
    o.temperature !== undefined &&
    !(Number.isFinite(o.temperature) && o.temperature >= 0 && o.temperature <= 2)
  )
    throw new FlagError(`--temperature must be a number from 0 to 2 (got ${String(o.temperature)})`);
  if (o.perTask !== undefined && !(Number.isInteger(o.perTask) && o.perTask > 0))
    throw new FlagError(`--per-task must be a whole number ≥ 1 (got ${String(o.perTask)})`);
  for (const key of ["promptColumn", "goldenColumn", "imageColumn"] as const) {
    if (o[key] !== undefined && o[key].trim() === "")
      throw new FlagError(`${FLAG_NAMES[key]} must name a column (got an empty name)`);
  }
}

/** The first column whose name matches one of `names` (case, spaces and punctuation ignored), by name order. */
function findColumn(columns: readonly string[], names: readonly string[]): number | undefined {
  const keys = columns.map(metricKey);
  for (const name of names) {
    const at = keys.indexOf(metricKey(name));
    if (at >= 0) return at;
  }
  return undefined;
}

/** URLs and absolute paths stay; a path relative to the table becomes relative to the output file. */
function rewriteImage(image: string, file: string, outputFile: string | undefined): string {
  if (/^[a-z][a-z0-9+.-]+:/i.test(image) || isAbsolute(image) || outputFile === undefined) return image;
  return relative(dirname(outputFile), join(dirname(file), image))
    .split("\\")
    .join("/");
}
