// A scenario's local image is checked before anything runs: that it is there, that it is an image, and that every
// provider the plan sends it to takes its size. Only its size (a stat) and first bytes are read, never the file.
import { closeSync, openSync, readSync, statSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import type { Problem } from "../errors.ts";
import type { PlannedCase } from "../plan/expand.ts";
import { bmpHeaderProblem } from "../providers/bmp-to-png.ts";
import { IMAGE_LIMITS, megabytes, sniffImageType } from "../providers/media.ts";
import type { EvalDefinition, Scenario } from "../types.ts";

/** What a local image file is, or why it cannot be sent. */
export type ImageFile = { ok: true; bytes: number } | { ok: false; problem: string };

/**
 * Stats `abs` and sniffs its first bytes (PNG, JPEG, GIF, WebP, BMP; a BMP's header is read far enough to tell one
 * that cannot be converted to PNG). `shown` is how problems name it (the path from the project root).
 */
export function inspectImageFile(abs: string, shown: string): ImageFile {
  const stat = statSync(abs, { throwIfNoEntry: false });
  if (!stat) return { ok: false, problem: `file not found: ${shown}` };
  if (!stat.isFile()) return { ok: false, problem: `not a file: ${shown}` };
  // 34 bytes: the sniffed signature, and a BMP header up to its compression field.
  const head = new Uint8Array(34);
  let fd: number | undefined;
  try {
    fd = openSync(abs, "r");
    readSync(fd, head, 0, head.length, 0);
  } catch (err) {
    return {
      ok: false,
      problem: `cannot read ${shown}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
    };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  const type = sniffImageType(head);
  if (!type) return { ok: false, problem: `not an image: ${shown} is not a JPG, PNG, GIF, WebP or BMP file` };
  const bmp =
    type === "bmp" ? bmpHeaderProblem(head.subarray(0, Math.min(stat.size, head.length))) : undefined;
  if (bmp) return { ok: false, problem: `${shown}: ${bmp}` };
  return { ok: true, bytes: stat.size };
}

/**
 * The problems of the local images the planned cases send: a missing file or one that is not an image, and an
 * image larger than a case's provider takes (IMAGE_LIMITS), one problem per scenario and provider, at the
 * scenario's `file:line` (an `.eval.ts` scenario: its file, eval and key). URLs are not fetched. `root` is the project root, to name images from it.
 */
export function planImageProblems(
  cases: readonly PlannedCase[],
  root: string,
  evals: readonly EvalDefinition[] = [],
): Problem[] {
  const files = new Map<string, ImageFile>();
  const seen = new Set<string>();
  const problems: Problem[] = [];
  // Their scenarios are not read again (from their files) to find no image.
  const imageFree = new Set(evals.filter((e) => e.kind === "jsonl" && e.noImages).map((e) => e.absFile));
  if (evals.length > 0 && imageFree.size === evals.length) return problems;
  for (const { record, task } of cases) {
    if (task.evalRef.kind === "jsonl" && imageFree.has(task.evalRef.absFile)) continue;
    for (const { image, field } of scenarioImages(task.scenario)) {
      if (/^https?:\/\//i.test(image)) continue;
      const abs = resolve(dirname(task.evalRef.absFile), image);
      const shown = relative(root, abs).split("\\").join("/");
      let file = files.get(abs);
      if (!file) {
        file = inspectImageFile(abs, shown);
        files.set(abs, file);
      }
      const limit = IMAGE_LIMITS[task.model.provider];
      const problem = !file.ok
        ? file.problem
        : file.bytes > limit.bytes
          ? `${shown} is ${megabytes(file.bytes)}, too large for ${record.model}: ${limit.rule}`
          : undefined;
      const key = `${record.file}\u0000${record.scenarioKey}\u0000${field}\u0000${file.ok ? task.model.provider : ""}`;
      if (problem === undefined || seen.has(key)) continue;
      seen.add(key);
      problems.push({
        file: record.file,
        ...(record.location.line === undefined ? {} : { line: record.location.line }),
        // A JSONL scenario is its line; an .eval.ts one (no line of its own) is named by its eval and key.
        path:
          task.evalRef.kind === "jsonl"
            ? field
            : `${record.evalName} › ${record.scenarioKey} › ${field === "url_image" ? "image" : field}`,
        message: problem,
      });
    }
  }
  return problems;
}

/** Every image a scenario sends, with the field that names it: its own, and its turns' (`messages`, `turns`). */
function scenarioImages(scenario: Scenario): { image: string; field: string }[] {
  const out: { image: string; field: string }[] = [];
  if (scenario.image !== undefined) out.push({ image: scenario.image, field: "url_image" });
  for (const [name, turns] of [
    ["messages", scenario.messages],
    ["turns", scenario.turns],
  ] as const)
    for (const [i, turn] of (turns ?? []).entries())
      if (turn.image !== undefined) out.push({ image: turn.image, field: `${name}[${i}].image` });
  return out;
}
