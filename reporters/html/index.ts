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
} from "../../src/reporter.ts";
import { displayPath, juryVersion } from "../format.ts";
import { pageData } from "./data.ts";
import { readPageScript } from "./page-bundle.ts";
import { decodeData } from "./rows.ts";
import { chartSpecs } from "./specs/index.ts";
import { executiveSummary, summaryText } from "./summary.ts";
import { type Libraries, renderPage } from "./template.ts";

/**
 * Reads the scripts the page inlines: the minified UMD builds of vega, vega-lite and vega-embed from the
 * installed packages (their package exports hide `build/*.min.js`, so each is found next to the package's
 * resolved entry), and the page's own bundle (built from the sources on first use when running from them).
 */
export async function readLibraries(): Promise<Libraries> {
  const require = createRequire(import.meta.url);
  const read = (pkg: string, file: string) => readFileSync(join(dirname(require.resolve(pkg)), file), "utf8");
  return {
    vega: read("vega", "vega.min.js"),
    vegaLite: read("vega-lite", "vega-lite.min.js"),
    vegaEmbed: read("vega-embed", "vega-embed.min.js"),
    page: await readPageScript(),
  };
}

/** The report's HTML page (pure). */
export function buildHtmlReport(
  report: RunReportWithResults,
  libraries: Libraries,
  rewritten?: { model: string; text: string },
): string {
  const data = pageData(report);
  const rows = decodeData(data);
  return renderPage({
    report,
    ...(rewritten ? { rewritten } : {}),
    summary: executiveSummary(report, rows.cases),
    charts: chartSpecs(rows),
    data,
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
    writeFileSync(file, buildHtmlReport(full, await readLibraries(), rewritten));
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
