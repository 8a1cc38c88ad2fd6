import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, extname, isAbsolute, join, relative, resolve } from "node:path";
import { EncodingError, formatProblem, MissingFileError, OutputExistsError } from "../../errors.ts";
import { importTable } from "../../import/import-table.ts";
import type { ImportOptions } from "../../types.ts";
import type { CliIo } from "../io.ts";

/** Flags of `evals import`, already typed. */
export interface ImportCommandOptions extends Omit<ImportOptions, "outputFile"> {
  /** Output file. @default `evals/<table basename>.eval.jsonl` */
  output?: string;
  /** Overwrite an existing output file. */
  force?: boolean;
}

/** `evals import <table>`: writes a CSV/TSV/JSONL table as an `.eval.jsonl` file. Returns the exit code. */
export async function importCommand(
  input: string,
  options: ImportCommandOptions,
  io: CliIo,
): Promise<number> {
  const root = io.cwd;
  const show = (abs: string) => {
    const rel = relative(root, abs);
    return (rel.startsWith("..") || isAbsolute(rel) ? abs : rel).split("\\").join("/");
  };
  const absInput = resolve(root, input);
  const stat = statSync(absInput, { throwIfNoEntry: false });
  if (!stat?.isFile()) throw new MissingFileError(`${input}: ${stat ? "not a file" : "file not found"}`);
  const absOutput = resolve(
    root,
    options.output ?? join("evals", `${basename(input, extname(input))}.eval.jsonl`),
  );
  if (existsSync(absOutput) && !options.force)
    throw new OutputExistsError(
      `${show(absOutput)} already exists; nothing was written`,
      "Pass --force to overwrite it, or -o <file> to write elsewhere.",
    );

  const bytes = readFileSync(absInput);
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
    throw new EncodingError(`${show(absInput)}: encoded as UTF-16; save it as UTF-8 (CSV UTF-8 in Excel)`);
  const { output: _o, force: _f, ...columns } = options;
  const result = importTable(
    bytes.toString("utf8"),
    { ...columns, outputFile: show(absOutput) },
    show(absInput),
  );

  mkdirSync(dirname(absOutput), { recursive: true });
  writeFileSync(absOutput, result.jsonl);
  const out = show(absOutput);
  for (const w of result.warnings) io.stderr.write(`warning: ${formatProblem(w)}\n`);
  if (!out.endsWith(".eval.jsonl"))
    io.stderr.write(
      `warning: ${out} does not end in .eval.jsonl, so evals will not find it; rename it or pass -o <name>.eval.jsonl\n`,
    );
  io.stdout.write(
    `Imported ${result.scenarios} scenario${result.scenarios === 1 ? "" : "s"} from ${show(absInput)} → ${out}\n` +
      `Run it: npx evals ${out}\n`,
  );
  return 0;
}
