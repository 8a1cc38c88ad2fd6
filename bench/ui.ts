// The dashboard with a 20,000-case run: time to first render of the run page (cold: the server reads run.json;
// warm: cached) and of a page change, in chromium, with the case table paged on the server.
//
//   node --import tsx --conditions jury-source bench/ui.ts [cases=20000]
import { rmSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import type { Page } from "playwright-core";
import { startEvals } from "../src/node.ts";
import { createUiServer } from "../src/ui/server.ts";
import { CHROMIUM, HAS_CHROMIUM, launchChromium } from "../test/support/chromium.ts";
import { createMockProject } from "./support/mock-project.ts";
import { printTable } from "./support/table.ts";

if (!HAS_CHROMIUM) throw new Error(`${CHROMIUM} is missing (apt-get install chromium)`);
const [cases = 20_000] = process.argv.slice(2).map(Number);

// A real run dir: zero-latency mock models (one sloppy, so failures and rationales vary) and 3 mock judges.
const root = createMockProject(cases / 2, {
  models: [
    { quality: 0.95, errorRate: 0.01 },
    { quality: 0.5, errorRate: 0.01 },
  ],
});
const sink = new Writable({ write: (_c, _e, cb) => cb() });
const tRun = performance.now();
const { runDir, report } = await startEvals({
  root,
  concurrency: 64,
  reporters: [],
  stdout: sink,
  stderr: sink,
  minPassRate: 0,
  maxAttempts: 1,
});
const runSeconds = (performance.now() - tRun) / 1000;
const runJsonMb = statSync(join(runDir, "run.json")).size / 1e6;

const server = await createUiServer({ root, port: 0 });
const browser = await launchChromium();
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });

/** Wall time from navigation to the run page's summary and first 50 rows on screen. */
async function openRun(p: Page): Promise<number> {
  const t = performance.now();
  await p.goto(`${server.url}/#/evaluations/${report.runId}`);
  await p.waitForSelector("[data-testid=run-summary]");
  await p.waitForSelector("[data-testid=case-row]");
  return performance.now() - t;
}

/** Wall time from a click to the new page of rows on screen. */
async function timed(p: Page, action: () => Promise<void>, page: number): Promise<number> {
  const t = performance.now();
  await action();
  await p.locator(`[data-testid=cases][data-page="${page}"]`).waitFor();
  return performance.now() - t;
}

const cold = await openRun(page);
await page.goto(`${server.url}/#/evaluations`);
const tList = performance.now();
await page.waitForSelector("[data-testid=run-link]");
const list = performance.now() - tList;
const warm = await openRun(page);
const next: number[] = [];
for (let i = 2; i <= 11; i++) next.push(await timed(page, () => page.click("[data-testid=next-page]"), i));
const filter = await timed(
  page,
  () => page.selectOption("[data-testid=filter-state]", "failed").then(() => undefined),
  1,
);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const rows = await page.locator("[data-testid=case-row]").count();

await browser.close();
await server.close();
rmSync(root, { recursive: true, force: true });

printTable([
  ["machine cores", String(availableParallelism())],
  [
    "run",
    `${report.cases.length} cases × 3 judges in ${runSeconds.toFixed(1)} s; run.json ${runJsonMb.toFixed(1)} MB`,
  ],
  ["run page, cold (server parses run.json)", `${cold.toFixed(0)} ms to summary + first ${rows} rows`],
  ["run page, warm (cached run)", `${warm.toFixed(0)} ms`],
  ["runs list", `${list.toFixed(0)} ms`],
  [
    "page change (next page, median of 10)",
    `${median(next).toFixed(0)} ms (max ${Math.max(...next).toFixed(0)} ms)`,
  ],
  ["filter to failed cases", `${filter.toFixed(0)} ms`],
]);
