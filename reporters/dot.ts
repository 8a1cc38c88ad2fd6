// The compact console reporter: a character per case, then the failed cases and the summary (Vitest's `dot`).
import { colors as pc } from "../src/io-context.ts";
import type { CaseRecord, CaseResult, RunReport } from "../src/reporter.ts";
import { DefaultReporter } from "./default.ts";

/** A case's character as it ends. */
const DOT: Record<CaseResult["state"], () => string> = {
  passed: () => pc.green("·"),
  failed: () => pc.red("x"),
  errored: () => pc.magenta("!"),
  skipped: () => pc.yellow("-"),
};
/** Characters on a row before the next one starts, so that a CI log or a narrow terminal keeps them readable. */
const ROW = 80;

/**
 * `--reporter dot`: the default reporter's header, then one character per case as it ends — `·` passed,
 * `x` failed, `!` errored, `-` skipped — 80 to a row, with no progress line and no per-case or per-file lines; at
 * the end the failed cases and the summary, as the default reporter prints them.
 */
export class DotReporter extends DefaultReporter {
  private column = 0;

  protected override perCase(): boolean {
    return true;
  }

  protected override liveProgress(): boolean {
    return false;
  }

  protected override printCase(result: CaseResult, _record: CaseRecord): void {
    this.ctx.write(`${this.column === 0 ? " " : ""}${DOT[result.state]()}`);
    if (++this.column === ROW) this.endRow();
  }

  override onEvalEnd(): void {}

  override onRunEnd(report: RunReport): void {
    this.endRow();
    super.onRunEnd(report);
  }

  private endRow(): void {
    if (this.column === 0) return;
    this.ctx.write("\n");
    this.column = 0;
  }
}

export default DotReporter;
