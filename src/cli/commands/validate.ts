import { formatProblem } from "../../errors.ts";
import { colors as pc } from "../../io-context.ts";
import { type ValidationReport, validateProject } from "../../validate/validate-project.ts";
import type { CliIo } from "../io.ts";

export interface ValidateFlags {
  config?: string;
  models?: string;
  judges?: string;
}

/**
 * `evals validate [paths...]`: one line per problem (`error: file:line: field: message` or `warning: …`), then
 * a summary. Exit 0 when there is no error (warnings allowed), 2 otherwise.
 */
export async function validateCommand(
  paths: readonly string[],
  flags: ValidateFlags,
  io: CliIo,
): Promise<number> {
  const report = await validateProject({ root: io.cwd, paths, ...flags });
  io.stdout.write(formatValidationReport(report));
  return report.errors > 0 ? 2 : 0;
}

/** The report as printed: a line per problem, then the summary line. */
export function formatValidationReport(report: ValidationReport): string {
  const lines = report.problems.map((p) =>
    p.severity === "warning"
      ? `${pc.yellow("warning")}: ${formatProblem(p)}`
      : `${pc.red("error")}: ${formatProblem(p)}`,
  );
  const n = report.files.length;
  const files = `${n} file${n === 1 ? "" : "s"}`;
  const warnings = `${report.warnings} warning${report.warnings === 1 ? "" : "s"}`;
  const summary =
    report.errors > 0
      ? pc.red(`✗ ${report.errors} error${report.errors === 1 ? "" : "s"}, ${warnings} in ${files}`)
      : pc.green(`✓ ${files} valid${report.warnings ? ` (${warnings})` : ""}`);
  return `${lines.length ? `${lines.join("\n")}\n\n` : ""}${summary}\n`;
}
