import { dirname, isAbsolute, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Problem } from "../errors.ts";

/** Where the eval file being loaded is: absolute, and as the project names it (relative to its root). */
export interface LoadingFile {
  absFile: string;
  file: string;
}

/** Reads a source file for its excerpt; undefined when it cannot be read. */
export type ReadSource = (absFile: string) => string | undefined;

/** jury's own code (src/ or dist/src/): its frames are never the user's line. */
const OWN_CODE = fileURLToPath(new URL("..", import.meta.url));

/**
 * Why an eval file could not be imported, as problems at the user's `file:line:column` with the source line and a
 * caret: esbuild's syntax errors (one problem each, in whichever file of the project they are), a missing module
 * (at the import that names it) and anything thrown while the file ran (at its first frame in the project).
 * No stack trace: the line is what the user needs.
 */
export function loadErrorProblems(err: unknown, at: LoadingFile, readSource: ReadSource): Problem[] {
  const root = at.absFile.slice(0, at.absFile.length - at.file.length);
  const name = (abs: string) => {
    const rel = relative(root, abs).split("\\").join("/");
    return rel.startsWith("..") || isAbsolute(rel) ? abs : rel;
  };
  const whose = (abs: string) =>
    name(abs) === at.file ? "cannot load this eval file" : `cannot load ${at.file}`;
  const excerptAt = (abs: string, line: number, column: number) =>
    excerpt(readSource(abs)?.split(/\r?\n/)[line - 1], column);

  const syntax = syntaxErrors(err);
  if (syntax.length > 0)
    return syntax.map((e) => {
      const lineText = e.lineText ?? readSource(e.file)?.split(/\r?\n/)[e.line - 1];
      // esbuild counts columns in bytes from 0; editors and this message, in characters from 1.
      const column = lineText === undefined ? e.column + 1 : charColumn(lineText, e.column) + 1;
      const by = name(e.file) === at.file ? "" : ` (imported by ${at.file})`;
      return {
        file: name(e.file),
        line: e.line,
        column,
        message: `${e.text}${by}${excerpt(lineText, column)}`,
      };
    });

  const missing = missingModule(err);
  if (missing) {
    const importer = missing.importer ?? at.absFile;
    const found = findImport(readSource(importer), importer, missing.specifier);
    const what = `Cannot find ${missing.kind} '${found?.specifier ?? missing.specifier}'`;
    return [
      found
        ? {
            file: name(importer),
            line: found.line,
            column: found.column,
            message: `${whose(importer)}: ${what}${excerptAt(importer, found.line, found.column)}`,
          }
        : { file: at.file, message: `cannot load this eval file: ${what}` },
    ];
  }

  const message = named(err);
  const frame = userFrame(err, root);
  if (!frame) return [{ file: at.file, message: `cannot load this eval file: ${message}` }];
  return [
    {
      file: name(frame.file),
      line: frame.line,
      column: frame.column,
      message: `${whose(frame.file)}: ${message}${excerptAt(frame.file, frame.line, frame.column)}`,
    },
  ];
}

/** The first line of an error's message, without tsx's module namespaces (`x.eval.ts?namespace=…`). */
export function firstLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return (msg.split("\n")[0] ?? msg).replace(/\?namespace=[\w-]+/g, "");
}

/** `TypeError: message`: the class when it says more than "Error". */
function named(err: unknown): string {
  const name = err instanceof Error ? err.name : "";
  return name && name !== "Error" ? `${name}: ${firstLine(err)}` : firstLine(err);
}

interface SyntaxError {
  file: string;
  line: number;
  /** esbuild's: 0-based, in bytes. */
  column: number;
  text: string;
  lineText?: string;
}

/**
 * esbuild's errors: structured when esbuild ran in this thread, else (tsx transforms in its loader thread, which
 * hands back only the message) parsed from the message's `file:line:column: ERROR: text` lines.
 */
function syntaxErrors(err: unknown): SyntaxError[] {
  if (!(err instanceof Error) || !/^(Transform|Build) failed with \d+ errors?:/.test(err.message)) return [];
  const structured = (err as { errors?: unknown }).errors;
  if (Array.isArray(structured)) {
    const out: SyntaxError[] = [];
    for (const e of structured as { text?: string; location?: Record<string, unknown> | null }[]) {
      const loc = e.location;
      if (!loc || typeof loc.file !== "string" || typeof loc.line !== "number") continue;
      out.push({
        file: loc.file,
        line: loc.line,
        column: typeof loc.column === "number" ? loc.column : 0,
        text: e.text ?? "syntax error",
        ...(typeof loc.lineText === "string" ? { lineText: loc.lineText } : {}),
      });
    }
    if (out.length > 0) return out;
  }
  const out: SyntaxError[] = [];
  for (const line of err.message.split("\n")) {
    const m = /^(.+?):(\d+):(\d+): ERROR: (.*)$/.exec(line);
    if (m) out.push({ file: m[1] as string, line: Number(m[2]), column: Number(m[3]), text: m[4] as string });
  }
  return out;
}

/** Node's "Cannot find module/package" (CommonJS or ESM), with the importing file when the message names it. */
function missingModule(err: unknown): { kind: string; specifier: string; importer?: string } | undefined {
  if (!(err instanceof Error)) return undefined;
  const code = (err as { code?: unknown }).code;
  if (code !== "MODULE_NOT_FOUND" && code !== "ERR_MODULE_NOT_FOUND") return undefined;
  const m = /^Cannot find (module|package) '([^']+)'(?: imported from (.+))?/.exec(err.message);
  if (!m) return undefined;
  // ESM names the importer after "imported from"; CommonJS in its require stack.
  const importer = m[3] ?? /\nRequire stack:\n- ([^\n]+)/.exec(err.message)?.[1];
  const importerPath = importer && stripQuery(toPath(importer));
  return {
    kind: m[1] as string,
    specifier: m[2] as string,
    ...(importerPath ? { importer: importerPath } : {}),
  };
}

/**
 * The import (static, dynamic or require) that names `wanted` in `source`: as written, or as resolved against
 * the importer (ESM reports the resolved path).
 */
function findImport(
  source: string | undefined,
  importer: string,
  wanted: string,
): { line: number; column: number; specifier: string } | undefined {
  if (source === undefined) return undefined;
  const lines = source.split(/\r?\n/);
  const re = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|\bimport\s+)(["'])([^"'\n]+)\1/g;
  for (const [i, text] of lines.entries()) {
    for (const m of text.matchAll(re)) {
      const spec = m[2] as string;
      const resolved = spec.startsWith(".") ? resolve(dirname(importer), spec) : spec;
      if (spec === wanted || resolved === wanted || toPath(wanted) === resolved) {
        const start = (m.index ?? 0) + m[0].length - 1 - spec.length; // before the closing quote
        return { line: i + 1, column: start + 1, specifier: spec };
      }
    }
  }
  return undefined;
}

/** The first stack frame in the user's project (not in node_modules, Node's internals or jury itself). */
function userFrame(err: unknown, root: string): { file: string; line: number; column: number } | undefined {
  const stack = err instanceof Error ? err.stack : undefined;
  if (!stack) return undefined;
  for (const raw of stack.split("\n")) {
    const m = /^\s*at (?:.*\()?(.+?):(\d+):(\d+)\)?$/.exec(raw);
    if (!m) continue;
    const path = m[1] as string;
    if (!path.startsWith("/") && !path.startsWith("file:") && !/^[A-Za-z]:[\\/]/.test(path)) continue;
    const file = stripQuery(toPath(path));
    if (!file.startsWith(root) || file.includes("/node_modules/") || file.startsWith(OWN_CODE)) continue;
    return { file, line: Number(m[2]), column: Number(m[3]) };
  }
  return undefined;
}

/** The source line under the message, with a caret under `column` (1-based); empty when the line is unknown. */
function excerpt(lineText: string | undefined, column: number): string {
  if (lineText === undefined) return "";
  const text = lineText.length > 200 ? `${lineText.slice(0, 200)}…` : lineText;
  // Tabs stay tabs under the caret, so it lines up whatever the terminal's tab width.
  const pad = [...text.slice(0, Math.max(0, column - 1))].map((c) => (c === "\t" ? "\t" : " ")).join("");
  return `\n    ${text}\n    ${pad}^`;
}

function charColumn(lineText: string, byteColumn: number): number {
  return Buffer.from(lineText).subarray(0, byteColumn).toString().length;
}

function toPath(pathOrUrl: string): string {
  if (!pathOrUrl.startsWith("file:")) return pathOrUrl;
  try {
    return fileURLToPath(pathOrUrl.replace(/\?.*$/, ""));
  } catch {
    return pathOrUrl;
  }
}

function stripQuery(path: string): string {
  return path.replace(/\?.*$/, "");
}
