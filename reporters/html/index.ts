// The HTML reporter: one self-contained file that opens offline from file:// (DESIGN §8, §10).
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type {
  Reporter,
  ReporterContext,
  ResultsReader,
  RunReport,
  RunReportWithResults,
} from "../../src/index.ts";
import { displayPath, juryVersion } from "../format.ts";
import { pageData } from "./data.ts";
import { chartSpecs } from "./specs.ts";
import { executiveSummary, summaryText } from "./summary.ts";
import { type Libraries, renderPage } from "./template.ts";

/**
 * Reads the minified UMD builds of vega, vega-lite and vega-embed from the installed packages. Their
 * package exports hide `build/*.min.js`, so each is found next to the package's resolved entry (`build/`).
 */
export function readLibraries(): Libraries {
  const require = createRequire(import.meta.url);
  const read = (pkg: string, file: string) => readFileSync(join(dirname(require.resolve(pkg)), file), "utf8");
  return {
    vega: read("vega", "vega.min.js"),
    vegaLite: read("vega-lite", "vega-lite.min.js"),
    vegaEmbed: read("vega-embed", "vega-embed.min.js"),
  };
}

/** The report's HTML page (pure but for reading the libraries when none are given). */
export function buildHtmlReport(
  report: RunReportWithResults,
  libraries: Libraries = readLibraries(),
  rewritten?: { model: string; text: string },
): string {
  return renderPage({
    report,
    ...(rewritten ? { rewritten } : {}),
    summary: executiveSummary(report),
    charts: chartSpecs(report),
    data: pageData(report),
    libraries,
    version: juryVersion(),
  });
}

/** Writes the run as one self-contained HTML file to `ctx.outputFile` (default `<outputDir>/report.html`). */
export class HtmlReporter implements Reporter {
  private ctx!: ReporterContext;

  onInit(ctx: ReporterContext): void {
    this.ctx = ctx;
  }

  private rewrite(report: RunReportWithResults) {
    return rewriteSummary(report, this.ctx.summarize, this.ctx.log);
  }

  async onRunEnd(report: RunReport, results: ResultsReader): Promise<void> {
    const file = this.ctx.outputFile ?? join(this.ctx.outputDir, "report.html");
    mkdirSync(dirname(file), { recursive: true });
    // Every case's drill-down shows its output and rationales: the page holds every result.
    const full = { ...report, results: await results.all() };
    const rewritten = await this.rewrite(full);
    writeFileSync(file, buildHtmlReport(full, readLibraries(), rewritten));
    this.ctx.log(` HTML report written to ${displayPath(this.ctx.root, file)}`);
  }
}

/** The executive summary rewritten by `--summary-model`; a failure only warns — it never blocks the report. */
async function rewriteSummary(
  report: RunReportWithResults,
  summarize: ReporterContext["summarize"],
  warn: (text: string) => void,
) {
  if (!summarize) return undefined;
  try {
    return await summarize(summaryText(executiveSummary(report)));
  } catch (err) {
    warn(
      ` summary model failed, the report keeps the summary from the data: ${err instanceof Error ? err.message : String(err)}`,
    );
    return undefined;
  }
}

export default HtmlReporter;
