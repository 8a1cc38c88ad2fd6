import { CsvError, parse } from "csv-parse/sync";
import type { Problem } from "../errors.ts";

/** One data row of a table, with the line it starts on (1-based, in the file). */
export interface TableRow {
  line: number;
  cells: string[];
}

/** A CSV/TSV/JSONL file read as a header and rows of strings; `problems` are per row or, if fatal, for the file. */
export interface Table {
  columns: string[];
  /** The line of the header (CSV) or 1 (JSONL). */
  headerLine: number;
  rows: TableRow[];
  problems: Problem[];
  /** True when the file could not be read as a table at all (no columns). */
  fatal: boolean;
}

/**
 * Reads a table: `.jsonl`/`.ndjson` as one JSON object per line (nested objects flattened one level to
 * `parent.child` columns), `.tsv` as tab-separated, anything else as CSV (RFC 4180: quoted cells may hold
 * commas, quotes and newlines; a UTF-8 BOM is dropped). Every ragged row is a problem, not just the first.
 */
export function readTable(text: string, file: string): Table {
  const body = text.replace(/^\uFEFF/, "");
  if (/\.(jsonl|ndjson)$/i.test(file)) return readJsonlTable(body, file);
  return readCsvTable(body, file, /\.tsv$/i.test(file) ? "\t" : ",");
}

function readCsvTable(text: string, file: string, delimiter: string): Table {
  const bytes = Buffer.from(text, "utf8");
  const lineAt = lineCounter(bytes);
  const startLine = (end: number) => {
    let start = end;
    while (bytes[start] === 0x0a || bytes[start] === 0x0d) start++;
    return lineAt(start);
  };
  let parsedTo = 0;
  let records: { record: string[]; info: { bytes: number } }[];
  try {
    records = parse(bytes, {
      bom: true,
      delimiter,
      info: true,
      // Checked below, so every ragged row is reported with its line instead of only the first.
      relax_column_count: true,
      // `say "hi"` in an unquoted cell is what spreadsheet users mean; only quoted cells need `""`.
      relax_quotes: true,
      skip_empty_lines: true,
      on_record: (record: string[], context: { bytes: number }) => {
        parsedTo = context.bytes;
        return record;
      },
    }) as unknown as { record: string[]; info: { bytes: number } }[];
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    // csv-parse names the line where it gave up (the end of the file, for an open quote): name the row's start.
    return fatalTable(file, startLine(parsedTo), csvErrorMessage(err));
  }

  // csv-parse's own line counter miscounts CRLF inside quoted cells; count line breaks up to each record's start.
  const rows: TableRow[] = [];
  let end = 0;
  for (const { record, info } of records) {
    const line = startLine(end);
    end = info.bytes;
    // A line of only spaces is a blank line, not a one-cell row.
    if (record.length === 1 && record[0]?.trim() === "" && rows.length > 0) continue;
    rows.push({ line, cells: record });
  }
  const header = rows.shift();
  if (!header || header.cells.every((c) => c.trim() === ""))
    return fatalTable(file, header?.line, "no header row: the first line must name the columns");
  const columns = header.cells.map((c) => c.trim());
  const problems: Problem[] = [];
  for (const row of rows) {
    if (row.cells.length !== columns.length)
      problems.push({
        file,
        line: row.line,
        message: `${row.cells.length} cell${row.cells.length === 1 ? "" : "s"}, but the header has ${columns.length} columns; quote cells that contain ${delimiter === "\t" ? "tabs" : "commas"} or line breaks`,
      });
  }
  return { columns, headerLine: header.line, rows, problems, fatal: false };
}

function readJsonlTable(text: string, file: string): Table {
  const columns: string[] = [];
  const known = new Set<string>();
  const objects: { line: number; values: Map<string, string> }[] = [];
  const problems: Problem[] = [];
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    if (raw.trim() === "") continue;
    const line = i + 1;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (err) {
      problems.push({
        file,
        line,
        message: `invalid JSON: ${err instanceof Error ? err.message : String(err)}`,
      });
      continue;
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      problems.push({ file, line, message: "each line must be a JSON object of column values" });
      continue;
    }
    const values = new Map<string, string>();
    for (const [key, v] of Object.entries(value)) {
      const flat: [string, unknown][] =
        typeof v === "object" && v !== null && !Array.isArray(v)
          ? Object.entries(v).map(([sub, x]) => [`${key}.${sub}`, x])
          : [[key, v]];
      for (const [name, x] of flat) {
        if (!known.has(name)) {
          known.add(name);
          columns.push(name);
        }
        values.set(name, cellText(x));
      }
    }
    objects.push({ line, values });
  }
  if (columns.length === 0 && problems.length === 0)
    return fatalTable(file, undefined, "no rows: add one JSON object per line");
  const rows = objects.map(({ line, values }) => ({
    line,
    cells: columns.map((c) => values.get(c) ?? ""),
  }));
  return { columns, headerLine: 1, rows, problems, fatal: columns.length === 0 };
}

function cellText(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (Array.isArray(v) && v.every((x) => typeof x === "string")) return v.join(", ");
  return JSON.stringify(v);
}

function fatalTable(file: string, line: number | undefined, message: string): Table {
  return {
    columns: [],
    headerLine: 1,
    rows: [],
    problems: [{ file, ...(line === undefined ? {} : { line }), message }],
    fatal: true,
  };
}

/** csv-parse's message without its own "at line N" (the problem carries the line). */
function csvErrorMessage(err: CsvError): string {
  if (err.code === "CSV_QUOTE_NOT_CLOSED")
    return 'a quoted cell in the row starting here is never closed; close it with " (write "" for a quote inside a cell)';
  return `not valid CSV: ${err.message.replace(/\s*(at|on) line \d+\.?$/, "")}`;
}

/** Line number (1-based) of a byte offset, for offsets asked in increasing order. */
function lineCounter(bytes: Buffer): (offset: number) => number {
  let at = 0;
  let line = 1;
  return (offset) => {
    for (; at < offset && at < bytes.length; at++) if (bytes[at] === 0x0a) line++;
    return line;
  };
}
