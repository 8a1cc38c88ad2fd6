// The dashboard controls of issue 18 (point 9) in chromium: Setup's run settings, prices, task evaluations per
// CSV, preview and reset, a run started from them (its run.json records them), "Load config" back into Setup, the
// log viewer following a running run's log file, and deleting a run or a report after a confirmation.
import { appendFileSync, cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { RunReportWithResults } from "../../src/types.ts";
import { runIds } from "../../src/ui/run-store.ts";
import { createUiServer, type UiServer } from "../../src/ui/server.ts";
import { CHROMIUM, HAS_CHROMIUM, launchChromium } from "../support/chromium.ts";
import { createFixtureProject } from "../support/fixture-project.ts";
import { runCli } from "../support/run-cli.ts";
import { tempDir } from "../support/temp-dir.ts";

if (!HAS_CHROMIUM)
  console.warn(
    `ui controls browser test skipped: ${CHROMIUM} is missing (CI installs Debian's chromium package)`,
  );

// Kept in test-artifacts/ui/ only when asked (JURY_TEST_ARTIFACTS=1), as ui.test.ts does.
const ARTIFACTS = process.env.JURY_TEST_ARTIFACTS
  ? fileURLToPath(new URL("../../test-artifacts/ui/", import.meta.url))
  : tempDir("jury-ui-controls-shots-");
const line = (o: object) => JSON.stringify(o);
// Two task types of three rows each: "2 task evaluations per CSV" keeps four.
const CSV = [
  "question,answer,task_type",
  ...["Math", "Geography"].flatMap((t) =>
    [1, 2, 3].map((i) => `"${t} question ${i}?","${t} answer ${i}.",${t}`),
  ),
].join("\n");
/** A run dir that looks in progress: a copy of a finished run whose run.json names this live process. */
const LIVE_RUN = "20991231-235959-999-live";

describe.skipIf(!HAS_CHROMIUM)("evals ui controls in chromium", () => {
  let browser: Browser;
  let server: UiServer;
  let root: string;
  let out: string;
  let page: Page;
  let cliRun: string;
  let setupRun: string;
  const errors: string[] = [];
  /** Responses ≥ 400 a step expects (a refused delete): any other fails the test. */
  const expected = new Set<string>();

  const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
  const value = (testid: string) => page.inputValue(`[data-testid="${testid}"]`);
  const checked = (testid: string) => page.isChecked(`[data-testid="${testid}"]`);

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    root = createFixtureProject({
      "config/models_profiles.jsonl": [
        line({
          model_id: "mock/good",
          input_token_cost: 0.001,
          output_token_cost: 0.002,
          mock: { quality: 1, ttft_ms: 0, tokens_per_s: 0 },
        }),
        line({ model_id: "mock/other", mock: { quality: 0.5, ttft_ms: 0, tokens_per_s: 0 } }),
      ].join("\n"),
      "config/judge_profiles.jsonl": line({ model_id: "mock/judge" }),
      "config/evals.config.yaml": "models: models_profiles.jsonl\njudges: judge_profiles.jsonl\n",
      "evals/cli.eval.jsonl": [1, 2]
        .map((i) => line({ text_prompt: `Q${i}`, task: { task_type: "T", task_criteria: "c" } }))
        .join("\n"),
    });
    out = join(root, "outputs");
    const cli = await runCli(root, ["--min-pass-rate", "0", "--name", "From the CLI"]);
    expect(cli.code, cli.stderr).toBe(0);
    [cliRun] = runIds(out) as [string];
    const live = join(out, "runs", LIVE_RUN);
    cpSync(join(out, "runs", cliRun), live, { recursive: true });
    const runJson = readFileSync(join(live, "run.json"), "utf8")
      .replace(/"status":\s*"\w+"/, `"status":"running","pid":${process.pid},"host":"${hostname()}"`)
      .replaceAll(cliRun, LIVE_RUN)
      .replace('"name":"From the CLI"', '"name":"Still running"');
    writeFileSync(join(live, "run.json"), runJson);
    mkdirSync(join(live, "logs"));
    writeFileSync(join(live, "logs", "360-benchmark-live.log"), "line 1: started\n");

    server = await createUiServer({ root, port: 0 });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on("console", (m) => {
      // The browser also logs a refused request: the response check below says whether it was expected.
      if (m.type() === "error" && !/^Failed to load resource: .* 409/.test(m.text())) errors.push(m.text());
    });
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("response", (r) => {
      if (r.status() >= 400 && !expected.has(`${r.status()} ${new URL(r.url()).pathname}`))
        errors.push(`${r.status()} ${r.url()}`);
    });
  }, 120_000);
  afterEach(() => {
    expect(errors.splice(0)).toEqual([]);
    expected.clear();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("starts a run from Setup with non-default settings; its run.json records every one", async () => {
    await page.goto(`${server.url}/#/setup`);
    await page.waitForSelector("[data-testid=upload]");
    await page.setInputFiles("[data-testid=upload]", {
      name: "mixed.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(CSV),
    });
    // The preview: the first 5 of the 6 rows, before anything is imported.
    await page.waitForSelector("[data-testid=preview-row]");
    expect(await page.locator("[data-testid=preview-row]").count()).toBe(5);
    expect(await page.textContent("[data-testid=csv-preview]")).toContain(
      "6 row(s); the first 5 before importing",
    );
    expect(await page.locator("[data-testid=preview-row]").first().locator("td").allTextContents()).toEqual([
      "Math question 1?",
      "Math answer 1.",
      "Math",
    ]);
    expect(existsSync(join(root, "ui-evals"))).toBe(false);

    await page.fill("[data-testid=eval-name]", "Controls");
    await page.fill("[data-testid=per-task]", "2");
    await page.check('[data-testid="model-mock/good"]');
    await page.fill('[data-testid="cost-in-mock/good"]', "0.5");
    await page.fill('[data-testid="cost-out-mock/good"]', "1.5");
    await page.check("[data-testid=latency-only]");
    expect(await page.isDisabled('[data-testid="judge-mock/judge"]')).toBe(true);
    await page.selectOption("[data-testid=prompt-optimization]", "optimize_only");
    await page.uncheck("[data-testid=stream]");
    await page.fill("[data-testid=sleep-ms]", "20");
    await page.fill("[data-testid=experiments]", "2");
    await page.fill("[data-testid=experiment-wait-ms]", "10");
    await page.locator("form.setup").screenshot({ path: join(ARTIFACTS, "dashboard-setup.png") });
    await page.click("[data-testid=save-run]");
    await page.waitForSelector("[data-testid=to-monitor]");
    expect(await page.textContent("[data-testid=setup-result]")).toContain("Saved 4 scenario(s)");

    await page.click("[data-testid=to-monitor]");
    const done = await page.waitForSelector("[data-testid=queue-row][data-status=completed]", {
      timeout: 60_000,
    });
    setupRun = (await done.getAttribute("data-run")) as string;
    const report = JSON.parse(
      readFileSync(join(out, "runs", setupRun, "run.json"), "utf8"),
    ) as RunReportWithResults;
    expect(report.config.run).toMatchObject({
      latencyOnly: true,
      promptOptimization: "optimize_only",
      stream: false,
      invocationSleepMs: 20,
      experiments: 2,
      experimentWaitMs: 10,
    });
    expect(report.config.models).toEqual([
      expect.objectContaining({ modelId: "mock/good", inputCostPer1k: 0.5, outputCostPer1k: 1.5 }),
    ]);
    // 2 scenarios of each of the 2 task types × 2 experiments; latency-only: no jury verdicts.
    expect(report.cases).toHaveLength(8);
    expect(report.cases.filter((c) => c.experiment === 2)).toHaveLength(4);
    expect(report.results.every((r) => !r.jury || r.jury.verdicts.length === 0)).toBe(true);
  });

  it("resets the Setup form to the project's settings", async () => {
    await page.goto(`${server.url}/#/setup`);
    await page.waitForSelector("[data-testid=experiments]");
    const before = {
      experiments: await value("experiments"),
      sleep: await value("sleep-ms"),
      wait: await value("experiment-wait-ms"),
      cost: await value("cost-in-mock/good"),
      stream: await checked("stream"),
      latency: await checked("latency-only"),
      optimization: await value("prompt-optimization"),
    };
    expect(before).toEqual({
      experiments: "1",
      sleep: "0",
      wait: "0",
      cost: "0.001",
      stream: true,
      latency: false,
      optimization: "none",
    });
    await page.fill("[data-testid=experiments]", "5");
    await page.fill('[data-testid="cost-in-mock/good"]', "9");
    await page.check("[data-testid=latency-only]");
    await page.uncheck("[data-testid=stream]");
    await page.selectOption("[data-testid=prompt-optimization]", "evaluate_both");
    await page.click("[data-testid=reset]");
    await expect.poll(() => value("experiments")).toBe("1");
    expect({
      experiments: await value("experiments"),
      sleep: await value("sleep-ms"),
      wait: await value("experiment-wait-ms"),
      cost: await value("cost-in-mock/good"),
      stream: await checked("stream"),
      latency: await checked("latency-only"),
      optimization: await value("prompt-optimization"),
    }).toEqual(before);
  });

  it("loads a finished run's config into Setup", async () => {
    await page.goto(`${server.url}/#/evaluations/${setupRun}`);
    await page.click("[data-testid=load-config]");
    await page.waitForSelector("[data-testid=loaded-from]");
    expect(await page.textContent("[data-testid=loaded-from]")).toContain(
      `Settings loaded from run ${setupRun}`,
    );
    expect(new URL(page.url()).hash).toBe(`#/setup?from=${setupRun}`);
    expect({
      name: await value("eval-name"),
      good: await checked("model-mock/good"),
      other: await checked("model-mock/other"),
      costIn: await value("cost-in-mock/good"),
      costOut: await value("cost-out-mock/good"),
      latency: await checked("latency-only"),
      stream: await checked("stream"),
      optimization: await value("prompt-optimization"),
      sleep: await value("sleep-ms"),
      experiments: await value("experiments"),
      wait: await value("experiment-wait-ms"),
    }).toEqual({
      name: "",
      good: true,
      other: false,
      costIn: "0.5",
      costOut: "1.5",
      latency: true,
      stream: false,
      optimization: "optimize_only",
      sleep: "20",
      experiments: "2",
      wait: "10",
    });
  });

  it("shows a run's log: the run log of a run started from Setup, and a running run's log file followed live", async () => {
    await page.goto(`${server.url}/#/monitor`);
    await page.click(`[data-testid=run-row][data-run="${setupRun}"] [data-testid=log-link]`);
    await page.waitForSelector("[data-testid=log-source][data-running]");
    expect(await page.textContent("[data-testid=log-source]")).toBe(
      `From 360-benchmark-${setupRun}.log in the run dir.`,
    );
    expect(await page.textContent("[data-testid=log-text]")).toMatch(/\S/);

    await page.goto(`${server.url}/#/log/${LIVE_RUN}`);
    await page.waitForSelector("[data-testid=log-source][data-running='1']");
    expect(await page.textContent("[data-testid=log-source]")).toBe(
      "From logs/360-benchmark-live.log in the run dir. Following the running run…",
    );
    const file = join(out, "runs", LIVE_RUN, "logs", "360-benchmark-live.log");
    expect(await page.textContent("[data-testid=log-text]")).toBe("line 1: started\n");
    appendFileSync(file, "line 2: case 1/2 done — ok\n");
    await page.locator("[data-testid=log-text]", { hasText: "line 2: case 1/2 done — ok" }).waitFor();
    expect(await page.textContent("[data-testid=log-text]")).toBe(
      "line 1: started\nline 2: case 1/2 done — ok\n",
    );
    await shot("dashboard-log");
  });

  it("deletes a run after a confirmation, and refuses one in progress", async () => {
    await page.goto(`${server.url}/#/monitor`);
    const row = `[data-testid=run-row][data-run="${cliRun}"]`;
    await page.click(`${row} [data-testid=delete-run]`);
    await page.waitForSelector("[data-testid=confirm-dialog][open]");
    expect(await page.textContent("[data-testid=confirm-text]")).toBe(
      `Delete run ${cliRun} (From the CLI) and all its files? This cannot be undone.`,
    );
    await shot("dashboard-delete-confirm");
    await page.click("[data-testid=confirm-cancel]");
    await page.waitForSelector("[data-testid=confirm-dialog]", { state: "detached" });
    expect(existsSync(join(out, "runs", cliRun))).toBe(true);

    await page.click(`${row} [data-testid=delete-run]`);
    await page.click("[data-testid=confirm-ok]");
    await page.waitForSelector(row, { state: "detached" });
    expect(await page.textContent("[data-testid=delete-message]")).toMatch(
      new RegExp(`^Deleted runs/${cliRun} \\(\\d+ files, [\\d.]+ KB\\)\\.$`),
    );
    expect(existsSync(join(out, "runs", cliRun))).toBe(false);

    expected.add(`409 /api/runs/${LIVE_RUN}`);
    await page.click(`[data-testid=run-row][data-run="${LIVE_RUN}"] [data-testid=delete-run]`);
    await page.click("[data-testid=confirm-ok]");
    await page.waitForSelector("[data-testid=delete-message] .error");
    expect(await page.textContent("[data-testid=delete-message]")).toContain(
      `run ${LIVE_RUN} was not deleted: it is in progress (pid ${process.pid})`,
    );
    expect(existsSync(join(out, "runs", LIVE_RUN, "run.json"))).toBe(true);
  });

  it("deletes a report after a confirmation", async () => {
    await page.goto(`${server.url}/#/reports`);
    await page.click("[data-testid=generate]");
    const item = `[data-testid=report-item][data-path="ui-reports/${setupRun}.html"]`;
    await page.waitForSelector(item);
    expect(existsSync(join(out, "ui-reports", `${setupRun}.html`))).toBe(true);
    await page.click(`${item} [data-testid=delete-report]`);
    expect(await page.textContent("[data-testid=confirm-text]")).toBe(
      `Delete report ui-reports/${setupRun}.html? This cannot be undone.`,
    );
    await page.click("[data-testid=confirm-ok]");
    await page.waitForSelector(item, { state: "detached" });
    expect(await page.textContent("[data-testid=reports-message]")).toMatch(
      new RegExp(`^Deleted ui-reports/${setupRun}\\.html \\(1 file, [\\d.]+ KB\\)\\.$`),
    );
    expect(existsSync(join(out, "ui-reports", `${setupRun}.html`))).toBe(false);
  });
});
