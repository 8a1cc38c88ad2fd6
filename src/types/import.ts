// The options of `evals import`.

/**
 * Options of `importTable` (`evals import`): which columns of a CSV or JSONL table become which scenario
 * fields, and values for every row. Column names match case-insensitively (and ignoring spaces/punctuation);
 * an omitted column is detected from common names.
 */
export interface ImportOptions {
  /** The prompt column. @default the first of text_prompt, prompt, question, input, query */
  promptColumn?: string;
  /** The golden-answer column. @default the first of golden_answer, answer, expected, reference, … */
  goldenColumn?: string;
  /** The image column (paths relative to the table, or URLs). @default url_image, image, image_url, … */
  imageColumn?: string;
  /** Task type of rows whose `task_type` column is empty or absent. @default "General" (with a warning) */
  taskType?: string;
  /** Task criteria of rows whose `task_criteria` column is empty or absent. */
  taskCriteria?: string;
  /** User-defined jury metrics of rows whose `user_defined_metrics` column is empty or absent. */
  metrics?: string[];
  /** Temperature (0-2) of rows whose `temperature` column is empty or absent. */
  temperature?: number;
  /** Keep the first n scenarios of each task type (the seed dashboard's task evaluations per CSV). @default all */
  perTask?: number;
  /**
   * Where the JSONL will be written (same base as the table's path): relative image paths are rewritten from
   * the table's folder to this file's folder. Without it they are kept as they are.
   */
  outputFile?: string;
}
