// The dashboard in a real browser: Debian's chromium driven by playwright-core, against `createUiServer` on a
// fixture project. Screenshots of every view go to test-artifacts/ui/ with JURY_TEST_ARTIFACTS=1.
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUiServer, type UiServer } from "../../src/ui/server.ts";
import { CHROMIUM, HAS_CHROMIUM, launchChromium } from "../support/chromium.ts";
import { createFixtureProject } from "../support/fixture-project.ts";
import { runCli } from "../support/run-cli.ts";
import { tempDir } from "../support/temp-dir.ts";

if (!HAS_CHROMIUM)
  console.warn(`ui browser test skipped: ${CHROMIUM} is missing (CI installs Debian's chromium package)`);

// Kept in the repo's test-artifacts/ui/ (git-ignored) only when asked, e.g. JURY_TEST_ARTIFACTS=1 npm test: a
// test run leaves nothing behind by default.
const ARTIFACTS = process.env.JURY_TEST_ARTIFACTS
  ? fileURLToPath(new URL("../../test-artifacts/ui/", import.meta.url))
  : tempDir("jury-ui-shots-");
const line = (o: object) => JSON.stringify(o);
const SLOPPY = "mock/<b>sloppy</b>";

const CSV = [
  "question,answer,category",
  ...Array.from(
    { length: 4 },
    (_, i) => `"What is ${i} + ${i}?","The sum of ${i} and ${i} is ${2 * i}, exactly ${2 * i}.",math`,
  ),
].join("\n");

describe.skipIf(!HAS_CHROMIUM)("evals ui in chromium", () => {
  let browser: Browser;
  let server: UiServer;
  let root: string;
  let page: Page;
  const errors: string[] = [];

  const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    root = createFixtureProject({
      "config/models_profiles.jsonl": [
        line({ model_id: "mock/good", mock: { quality: 1, ttft_ms: 250, tokens_per_s: 0 } }),
        line({ model_id: SLOPPY, mock: { quality: 0.1, ttft_ms: 250, tokens_per_s: 0 } }),
        line({ model_id: "mock/broken", mock: { quality: 1, ttft_ms: 0, tokens_per_s: 0, error_rate: 1 } }),
      ].join("\n"),
      "config/judge_profiles.jsonl": ["a", "b"].map((j) => line({ model_id: `mock/judge-${j}` })).join("\n"),
      "evals/cli.eval.jsonl": [
        line({ $eval: { models: ["mock/good"] } }),
        ...[1, 2, 3, 4, 5, 6].map((i) =>
          line({
            text_prompt: `Q${i}`,
            task: { task_type: "T", task_criteria: "c" },
            golden_answer: `A ${i}.`,
          }),
        ),
      ].join("\n"),
      "config/evals.config.yaml": "models: models_profiles.jsonl\njudges: judge_profiles.jsonl\n",
    });
    server = await createUiServer({ root, port: 0 });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("response", (r) => {
      if (r.status() >= 400) errors.push(`${r.status()} ${r.url()}`);
    });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("creates an eval from a CSV, runs it live, drills into a failed case, reports; CLI runs show up live", async () => {
    // Setup: upload, pick columns and models, save and run.
    await page.goto(`${server.url}/#/setup`);
    await page.waitForSelector("[data-testid=upload]");
    await page.setInputFiles("[data-testid=upload]", {
      name: "arith.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(CSV),
    });
    await page.waitForSelector("[data-testid=columns]");
    expect(await page.textContent("[data-testid=columns]")).toBe("3 columns: question, answer, category");
    await page.selectOption("[data-testid=col-prompt]", "question");
    await page.selectOption("[data-testid=col-golden]", "answer");
    await page.fill("[data-testid=eval-name]", "Arithmetic");
    await page.fill("[data-testid=task-type]", "Math");
    for (const m of ["mock/good", SLOPPY, "mock/broken"]) await page.check(`[data-testid="model-${m}"]`);
    await shot("setup");
    await page.click("[data-testid=save-run]");
    await page.waitForSelector("[data-testid=to-monitor]");
    expect(await page.textContent("[data-testid=setup-result]")).toContain(
      "Saved 4 scenario(s) to ui-evals/arithmetic/arithmetic.eval.jsonl with ui-evals/arithmetic/evals.config.yaml.",
    );
    const evalFile = readFileSync(join(root, "ui-evals/arithmetic/arithmetic.eval.jsonl"), "utf8").split(
      "\n",
    );
    expect(JSON.parse(evalFile[0] as string)).toEqual({ $eval: { name: "Arithmetic", threshold: 3 } });
    expect(JSON.parse(evalFile[1] as string)).toMatchObject({
      text_prompt: "What is 0 + 0?",
      task: { task_type: "Math" },
    });

    // Monitor: progress reaches 100% live (several values seen on the way).
    await page.click("[data-testid=to-monitor]");
    const seen = new Set<string>();
    const deadline = Date.now() + 60_000;
    for (;;) {
      const text = await page
        .textContent("[data-testid=queue-row] [data-testid=progress-text]")
        .catch(() => null);
      if (text) seen.add(text);
      const status = await page.getAttribute("[data-testid=queue-row]", "data-status").catch(() => null);
      if (status === "completed" && text === "12/12 (100%)") break;
      if (status === "failed" || Date.now() > deadline)
        throw new Error(`run did not complete: ${status}, seen ${[...seen].join(" | ")}`);
      // Until the row changes (its progress or status), as the page gets the run's live events.
      await page.waitForFunction(
        ([t, s]) => {
          type El = { textContent: string | null; getAttribute(name: string): string | null };
          type Doc = { querySelector(selector: string): El | null };
          const doc = (globalThis as unknown as { document: Doc }).document;
          return (
            doc.querySelector("[data-testid=queue-row] [data-testid=progress-text]")?.textContent !== t ||
            doc.querySelector("[data-testid=queue-row]")?.getAttribute("data-status") !== s
          );
        },
        [text, status] as const,
        { timeout: Math.max(1, deadline - Date.now()) },
      );
    }
    expect(seen.size).toBeGreaterThan(1);
    await shot("monitor");

    // Evaluations: open the run, filter failed cases, drill into one.
    const runId = (await page.getAttribute("[data-testid=queue-row]", "data-run")) as string;
    await page.click(`[data-testid=queue-row] a[href="#/evaluations/${runId}"]`);
    await page.waitForSelector("[data-testid=run-summary]");
    await page.waitForSelector("[data-testid=case-row]");
    expect(await page.locator("[data-testid=case-row]").count()).toBe(12);
    // Model strings are text: the <b> in a model id is shown, never parsed.
    expect(await page.locator("[data-testid=cases-table] b").count()).toBe(0);
    expect(await page.locator("[data-testid=cases-table]").textContent()).toContain(SLOPPY);
    await shot("evaluations-run");
    await page.selectOption("[data-testid=filter-state]", "failed");
    await page
      .locator("[data-testid=case-row]:not([data-state=failed])")
      .first()
      .waitFor({ state: "detached" });
    expect(await page.locator("[data-testid=case-row]").count()).toBe(4);
    await page.click("[data-testid=case-row] >> nth=0");
    await page.waitForSelector("[data-testid=verdict]");
    expect(await page.textContent("[data-testid=detail-state]")).toBe("failed");
    expect(await page.locator("[data-testid=verdict]").count()).toBe(2);
    expect(await page.locator("[data-testid=jury]").textContent()).toContain("Correctness");
    await shot("evaluations-case");

    // Reports: generate, view inline, download link.
    await page.goto(`${server.url}/#/reports`);
    await page.click("[data-testid=generate]");
    await page.waitForSelector("[data-testid=report-frame]");
    const frame = page.frameLocator("[data-testid=report-frame]");
    await frame.locator("body[data-charts-ready]").waitFor({ timeout: 30_000 });
    expect(await frame.locator("title").textContent()).toBe(`jury report · ${runId}`);
    expect(await page.getAttribute("[data-testid=download]", "href")).toBe(
      `/files/ui-reports/${runId}.html?download=1`,
    );
    await shot("reports");

    // Unprocessed: the broken model's cases, an inspector, a CSV export.
    await page.goto(`${server.url}/#/unprocessed`);
    await page.waitForSelector("[data-testid=unprocessed-row]");
    expect(await page.locator("[data-testid=unprocessed-row]").count()).toBe(4);
    await page.click("[data-testid=unprocessed-row] >> nth=0");
    await page.waitForSelector("[data-testid=inspector] [data-testid=detail-state]");
    expect(await page.textContent("[data-testid=inspector] [data-testid=detail-state]")).toBe("errored");
    const href = (await page.getAttribute("[data-testid=export-csv]", "href")) as string;
    const csv = await page.evaluate(async (url) => (await fetch(url)).text(), href);
    expect(csv.split("\r\n")[0]).toBe(
      "runId,caseId,file,evalName,scenarioKey,model,taskType,classification,reason,at",
    );
    expect(csv.split("\r\n").filter(Boolean)).toHaveLength(5);
    await shot("unprocessed");

    // A run started from the CLI in the same project appears in Monitor and completes live.
    await page.goto(`${server.url}/#/monitor`);
    const cli = runCli(root, ["--concurrency", "1", "--min-pass-rate", "0", "cli"]);
    await page.waitForSelector("[data-testid=cli-row]", { timeout: 30_000 });
    await page
      .locator("[data-testid=cli-row] [data-testid=progress-text]", { hasText: /^6\/6 \(100%\)$/ })
      .waitFor({ timeout: 60_000 });
    expect((await cli).code).toBe(0);
    await shot("monitor-cli");

    // Rerun the errored cases of the dashboard's run: a new queued run with --retry-errors, same saved config.
    await page.click(`[data-testid=queue-row][data-run="${runId}"] >> text=Rerun errored`);
    const rerun = page.locator("[data-testid=queue-row]", { hasText: `rerun errored of ${runId}` });
    await rerun.and(page.locator("[data-status=completed]")).waitFor({ timeout: 60_000 });
    const rerunId = (await rerun.getAttribute("data-run")) as string;
    expect(await rerun.locator("[data-testid=progress-text]").textContent()).toBe("12/12 (100%)");

    // Compare the rerun with its baseline: the same cases, the same outcomes.
    await page.goto(`${server.url}/#/evaluations/compare?base=${runId}&run=${rerunId}`);
    await page.waitForSelector("[data-testid=comparison]");
    expect(await page.textContent("[data-testid=comparison]")).toContain("Paired cases12");
    await shot("compare");

    await page.goto(`${server.url}/#/evaluations`);
    await page.waitForSelector("[data-testid=runs-table]");
    expect(await page.locator("[data-testid=run-link]").count()).toBe(3);
    await shot("evaluations");
    expect(readdirSync(ARTIFACTS).sort()).toEqual(
      expect.arrayContaining([
        "evaluations.png",
        "monitor.png",
        "reports.png",
        "setup.png",
        "unprocessed.png",
      ]),
    );
    expect(errors).toEqual([]);
  }, 180_000);
});
