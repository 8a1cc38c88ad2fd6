// The dashboard's run page in chromium (issue 17, point 19): rows told apart by invocation and experiment, run
// names, the URL following filters and the opened case, the probe notice only when a probe would tell something,
// and a case panel whose jury table fits with long rationales and long judge names.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
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
    `ui run-page browser test skipped: ${CHROMIUM} is missing (CI installs Debian's chromium package)`,
  );

// Screenshots kept in test-artifacts/ui/ only when asked (JURY_TEST_ARTIFACTS=1), as ui.test.ts does.
const ARTIFACTS = process.env.JURY_TEST_ARTIFACTS
  ? fileURLToPath(new URL("../../test-artifacts/ui/", import.meta.url))
  : tempDir("jury-ui-shots-");
const shot = (page: Page, name: string, fullPage = true) =>
  page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage });
const line = (o: object) => JSON.stringify(o);
const RUN_NAME = "Nightly: <i>long</i> rationales";
// Judge ids as long as real ones (a Bedrock inference profile with a region and a suffix).
const JUDGES = ["a", "b", "c"].map((j) => `mock/us.anthropic.claude-sonnet-4-5-20250929-v1:0-judge-${j}`);
// ~600 characters, with an unbroken 120-character token as rationales quoting a URL or a hash have.
const LONG_RATIONALE = `The response ${"restates the question without answering it, ".repeat(12)}see ${"x".repeat(120)} for the expected form.`;

const PROFILES = {
  "config/judge_profiles.jsonl": JUDGES.map((model_id) => line({ model_id })).join("\n"),
  "config/evals.config.yaml": "models: models_profiles.jsonl\njudges: judge_profiles.jsonl\n",
};

/** The text of every cell of the page: none may print NaN or undefined. */
async function badCells(page: Page): Promise<string[]> {
  const cells = await page.locator("td, th, .card-value, .card-sub, h1, h2").allInnerTexts();
  return cells.filter((t) => /\bNaN\b|\bundefined\b/.test(t));
}

const historyLength = (page: Page) => page.evaluate<number>("history.length");

/** Until the page's URL hash has (or lacks) `text`. A function, not a string: the app's CSP forbids eval. */
const hashWith = (has: boolean) => (page: Page, text: string) =>
  page.waitForFunction(
    ([t, want]) =>
      (globalThis as unknown as { location: { hash: string } }).location.hash.includes(t) === want,
    [text, has] as const,
  );
const hashHas = hashWith(true);
const hashLacks = hashWith(false);

describe.skipIf(!HAS_CHROMIUM)("evals ui run page in chromium", () => {
  let browser: Browser;
  let server: UiServer;
  let root: string;
  let page: Page;
  let named: string;
  let plain: string;
  const errors: string[] = [];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    root = createFixtureProject({
      ...PROFILES,
      "config/models_profiles.jsonl": [
        line({ model_id: "mock/good", mock: { quality: 1, ttft_ms: 0, tokens_per_s: 0 } }),
        line({ model_id: "mock/sloppy", mock: { quality: 0.1, ttft_ms: 0, tokens_per_s: 0 } }),
        line({ model_id: "mock/broken", mock: { quality: 1, ttft_ms: 0, tokens_per_s: 0, error_rate: 1 } }),
      ].join("\n"),
      "evals/qa.eval.jsonl": [1, 2, 3]
        .map((i) =>
          line({
            id: `sum-${i}`,
            text_prompt: `Q${i}`,
            task: { task_type: "T", task_criteria: "c" },
            golden_answer: `A ${i}.`,
          }),
        )
        .join("\n"),
    });
    const args = ["--min-pass-rate", "0", "--concurrency", "4", "--max-attempts", "1"];
    const first = await runCli(root, [
      ...args,
      "--name",
      RUN_NAME,
      "--invocations",
      "2",
      "--experiments",
      "2",
    ]);
    expect(first.code, first.stderr).toBe(0);
    const second = await runCli(root, args);
    expect(second.code, second.stderr).toBe(0);
    [plain, named] = runIds(join(root, "outputs")) as [string, string];
    // Judges write paragraphs: give every rationale of the named run one (its run.json, as a long run leaves it).
    const runJson = join(root, "outputs", "runs", named, "run.json");
    const report = JSON.parse(readFileSync(runJson, "utf8")) as RunReportWithResults;
    for (const r of report.results)
      for (const v of r.jury?.verdicts ?? [])
        if (v.status === "scored")
          for (const k of Object.keys(v.rationales)) v.rationales[k] = LONG_RATIONALE;
    writeFileSync(runJson, JSON.stringify(report));

    server = await createUiServer({ root, port: 0 });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("response", (r) => {
      if (r.status() >= 400) errors.push(`${r.status()} ${r.url()}`);
    });
  }, 120_000);
  afterEach(() => {
    expect(errors.splice(0)).toEqual([]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("tells apart cases that differ only by invocation or experiment", async () => {
    await page.goto(`${server.url}/#/evaluations/${named}`);
    await page.waitForSelector("[data-testid=case-row]");
    const headers = await page.locator("[data-testid=cases-table] th").allInnerTexts();
    expect(headers.map((x) => x.replace(/[ ▲▼]+$/, ""))).toEqual(
      expect.arrayContaining(["Invocation", "Experiment"]),
    );
    // 3 scenarios × 3 models × 2 invocations × 2 experiments, and no two rows read the same.
    const rows = await page.locator("[data-testid=case-row]").allInnerTexts();
    expect(rows).toHaveLength(36);
    expect(new Set(rows).size).toBe(36);
    expect(await page.locator("[data-testid=case-invocation]").allInnerTexts()).toEqual(
      expect.arrayContaining(["#1", "#2"]),
    );
    expect(await badCells(page)).toEqual([]);
    await shot(page, "run-invocations");

    // A run of one invocation and one experiment: no column of 1s.
    await page.goto(`${server.url}/#/evaluations/${plain}`);
    await page.locator("[data-testid=case-row]").first().waitFor();
    const plainHeaders = await page.locator("[data-testid=cases-table] th").allInnerTexts();
    expect(plainHeaders.join("|")).not.toMatch(/Invocation|Experiment/);
    expect(await page.locator("[data-testid=case-row]").count()).toBe(9);
    expect(await badCells(page)).toEqual([]);
  });

  it("shows run names in the runs list and the run's header", async () => {
    await page.goto(`${server.url}/#/evaluations`);
    await page.waitForSelector("[data-testid=runs-table]");
    const row = (id: string) => page.locator("[data-testid=runs-table] tr", { hasText: id });
    expect(await row(named).locator("[data-testid=run-name]").textContent()).toBe(RUN_NAME);
    expect(await row(plain).locator("[data-testid=run-name]").count()).toBe(0);
    expect(await page.locator("[data-testid=compare-run] option").allInnerTexts()).toContain(
      `${RUN_NAME} (${named})`,
    );
    expect(await badCells(page)).toEqual([]);

    await page.click(`[data-testid=run-link] >> text=${named}`);
    await page.waitForSelector("[data-testid=run-summary]");
    await page.locator("[data-testid=run-title]", { hasText: RUN_NAME }).waitFor();
    expect(await page.locator("[data-testid=run-title]").textContent()).toBe(`${RUN_NAME} ${named}`);
    // The name is text, never markup.
    expect(await page.locator("[data-testid=run-title] i").count()).toBe(0);
  });

  it("keeps filters and the opened case in the URL: reload, back, forward and a shared link restore them", async () => {
    await page.goto(`${server.url}/#/evaluations/${named}`);
    await page.waitForSelector("[data-testid=case-row]");
    const start = await historyLength(page);

    // Filters replace the history entry: one entry, not one per keystroke.
    await page.selectOption("[data-testid=filter-model]", "mock/sloppy");
    await hashHas(page, "model=mock%2Fsloppy");
    await page.locator("[data-testid=filter-q]").pressSequentially("sum-2");
    await hashHas(page, "q=sum-2");
    await page.locator("[data-testid=case-row]").nth(4).waitFor({ state: "detached" });
    expect(await page.locator("[data-testid=case-row]").count()).toBe(4);
    // The search box keeps the focus through the reload its typing caused: typing on goes on filtering.
    expect(await page.inputValue("[data-testid=filter-q]")).toBe("sum-2");
    expect(await page.evaluate<string | undefined>("document.activeElement?.dataset.testid")).toBe(
      "filter-q",
    );
    expect(await historyLength(page)).toBe(start);

    // Opening a case pushes an entry.
    const caseId = (await page.getAttribute("[data-testid=case-row] >> nth=1", "data-case")) as string;
    await page.click("[data-testid=case-row] >> nth=1");
    await page.waitForSelector(`[data-testid=case-detail][data-case="${caseId}"]`);
    await hashHas(page, "case=");
    expect(await historyLength(page)).toBe(start + 1);
    const shared = page.url();
    expect(new URLSearchParams(shared.split("?")[1]).get("case")).toBe(caseId);

    const restored = async (p: Page) => {
      await p.waitForSelector(`[data-testid=case-detail][data-case="${caseId}"]:not([hidden])`);
      await p.locator("[data-testid=case-row]").nth(4).waitFor({ state: "detached" });
      expect(await p.locator("[data-testid=case-row]").count()).toBe(4);
      expect(await p.inputValue("[data-testid=filter-model]")).toBe("mock/sloppy");
      expect(await p.inputValue("[data-testid=filter-q]")).toBe("sum-2");
      expect(await p.getAttribute(`[data-testid=case-row][data-case="${caseId}"]`, "class")).toContain(
        "selected",
      );
    };
    await page.reload();
    await restored(page);

    // Back closes the case and keeps the filters; forward opens it again.
    await page.goBack();
    await page.waitForSelector("[data-testid=case-detail][hidden]", { state: "attached" });
    expect(page.url()).not.toContain("case=");
    expect(await page.inputValue("[data-testid=filter-q]")).toBe("sum-2");
    expect(await page.locator("[data-testid=case-row]").count()).toBe(4);
    await page.goForward();
    await restored(page);

    // Closing pushes an entry too: back reopens what was open.
    await page.click("[data-testid=case-detail] button.close");
    await hashLacks(page, "case=");
    expect(await page.isHidden("[data-testid=case-detail]")).toBe(true);
    expect(await historyLength(page)).toBe(start + 2);
    await page.goBack();
    await restored(page);

    // A shared link, in a fresh browser context, shows the same view.
    const other = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const p = await other.newPage();
      await p.goto(shared);
      await restored(p);
      expect(await badCells(p)).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it("keeps the Unprocessed view's filters and inspected case in the URL", async () => {
    await page.goto(`${server.url}/#/unprocessed`);
    await page.waitForSelector("[data-testid=unprocessed-row]");
    const rows = page.locator("[data-testid=unprocessed-row]");
    expect(await rows.count()).toBe(15); // mock/broken's cases: 12 in the named run, 3 in the other
    const start = await historyLength(page);

    await page.selectOption("[data-testid=unprocessed-run]", named);
    await hashHas(page, `run=${named}`);
    await rows.nth(12).waitFor({ state: "detached" });
    expect(await rows.count()).toBe(12);
    expect(await historyLength(page)).toBe(start);

    const caseId = (await rows.nth(2).getAttribute("data-case")) as string;
    await rows.nth(2).click();
    await hashHas(page, `case=${caseId}`);
    expect(await historyLength(page)).toBe(start + 1);
    const restored = async () => {
      await page.waitForSelector(`[data-testid=inspector][data-case="${caseId}"]:not([hidden])`);
      await page.locator("[data-testid=inspector] [data-testid=detail-state]").waitFor();
      expect(await page.textContent("[data-testid=inspector] [data-testid=detail-state]")).toBe("errored");
      await rows.nth(12).waitFor({ state: "detached" });
      await page
        .locator(`[data-testid=unprocessed-run] option[value="${named}"]`)
        .waitFor({ state: "attached" });
      expect(await page.inputValue("[data-testid=unprocessed-run]")).toBe(named);
    };
    await page.reload();
    await restored();
    await page.goBack();
    await page.waitForSelector("[data-testid=inspector][hidden]", { state: "attached" });
    // Back reloads the view: its rows come after the inspector closes.
    await rows.nth(11).waitFor();
    await rows.nth(12).waitFor({ state: "detached" });
    expect(await rows.count()).toBe(12);
    await page.goForward();
    await restored();
    expect(await badCells(page)).toEqual([]);
  });

  for (const width of [1280, 800])
    it(`fits the case panel's jury table in its panel at ${width} px with long rationales and judge ids`, async () => {
      await page.setViewportSize({ width, height: 800 });
      await page.goto(`${server.url}/#/evaluations/${named}?model=mock%2Fsloppy`);
      await page.click("[data-testid=case-row] >> nth=0");
      await page.waitForSelector("[data-testid=jury] table");
      const fit = await page.evaluate<{
        table: number;
        container: number;
        panelScroll: number;
        panel: number;
        panelRight: number;
        viewport: number;
      }>(`(() => {
        const panel = document.querySelector("[data-testid=case-detail]");
        const juryTable = panel.querySelector("[data-testid=jury] table");
        return {
          table: juryTable.scrollWidth,
          container: juryTable.parentElement.clientWidth,
          panelScroll: panel.scrollWidth,
          panel: panel.clientWidth,
          panelRight: panel.getBoundingClientRect().right,
          viewport: document.documentElement.clientWidth,
        };
      })()`);
      await shot(page, `case-panel-${width}`, false);
      expect(fit.table).toBeGreaterThan(0);
      expect(fit.table).toBeLessThanOrEqual(fit.container);
      expect(fit.panelScroll).toBeLessThanOrEqual(fit.panel);
      expect(fit.panelRight).toBeLessThanOrEqual(fit.viewport);
      // Every judge's column is there, and each rationale can be read whole.
      const head = await page.locator("[data-testid=jury] table th").allInnerTexts();
      expect(head.slice(3).map((x) => x.replace(/\s+/g, ""))).toEqual(JUDGES);
      const more = page.locator("[data-testid=jury] [data-testid=rationale-more]").first();
      await more.click();
      expect(await page.locator("[data-testid=jury] dd").first().textContent()).toContain(LONG_RATIONALE);
      expect(await badCells(page)).toEqual([]);
    });

  it("pages through a run's cases from its index, without reading the results of its run.json", async () => {
    // 3 scenarios × 3 models × 6 invocations: two pages of 50.
    const run = await runCli(root, ["--min-pass-rate", "0", "--max-attempts", "1", "--invocations", "6"]);
    expect(run.code, run.stderr).toBe(0);
    const big = runIds(join(root, "outputs"))[0] as string;
    const runDir = join(root, "outputs", "runs", big);
    expect(existsSync(join(runDir, "results.idx"))).toBe(true);
    // Its results in run.json made unreadable: the page is served from results.idx and results.jsonl.
    const runJson = join(runDir, "run.json");
    const text = readFileSync(runJson, "utf8");
    writeFileSync(
      runJson,
      `${text.slice(0, text.indexOf('\n  "results": ['))},\n  "results": [\n    {not json`,
    );

    await page.goto(`${server.url}/#/evaluations/${big}`);
    await page.waitForSelector("[data-testid=run-summary]");
    await page.locator("[data-testid=cases][data-page='1']").waitFor();
    expect(await page.locator("[data-testid=case-row]").count()).toBe(50);
    expect(await page.textContent("[data-testid=page-info]")).toContain("page 1 of 2 · 54 cases");
    const first = await page.locator("[data-testid=case-row]").allInnerTexts();

    await page.click("[data-testid=next-page]");
    await page.locator("[data-testid=cases][data-page='2']").waitFor();
    await hashHas(page, "page=2");
    expect(await page.locator("[data-testid=case-row]").count()).toBe(4);
    expect(await page.textContent("[data-testid=page-info]")).toContain("page 2 of 2 · 54 cases");
    const second = await page.locator("[data-testid=case-row]").allInnerTexts();
    expect(second.filter((r) => first.includes(r))).toEqual([]);

    // A case of the second page opens: its result read at its offset in results.jsonl.
    const caseId = (await page.getAttribute("[data-testid=case-row] >> nth=2", "data-case")) as string;
    await page.click("[data-testid=case-row] >> nth=2");
    await page.waitForSelector(`[data-testid=case-detail][data-case="${caseId}"]`);
    expect(await page.textContent("[data-testid=case-detail]")).toMatch(/Q\d/);

    await page.click("[data-testid=prev-page]");
    await page.locator("[data-testid=cases][data-page='1']").waitFor();
    expect(await page.locator("[data-testid=case-row]").allInnerTexts()).toEqual(first);
    expect(await badCells(page)).toEqual([]);
  });

  it("shows the latest of overlapping case loads, whatever order their answers come back in", async () => {
    await page.goto(`${server.url}/#/evaluations/${plain}`);
    await page.locator("[data-testid=cases][aria-busy=false]").waitFor();
    // The answer for mock/sloppy is held until mock/good's has been shown: it comes back last, and stale.
    let release = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    let asked = () => {};
    const sloppyAsked = new Promise<void>((r) => {
      asked = r;
    });
    const sloppy = /\/cases\?.*model=mock%2Fsloppy/;
    await page.route(sloppy, async (route) => {
      asked();
      await held;
      // After a failure the page may have dropped the request already: that is not this route's to report.
      await route.continue().catch(() => undefined);
    });
    try {
      await page.selectOption("[data-testid=filter-model]", "mock/sloppy");
      await sloppyAsked;
      await page.selectOption("[data-testid=filter-model]", "mock/good");
      // mock/good's answer shown: its 3 rows alone. (A function, not a string: the dashboard's CSP forbids eval, which
      // Playwright's polling of a string predicate uses.)
      await page.waitForFunction(() => {
        const { document } = globalThis as unknown as {
          document: { querySelectorAll(s: string): Iterable<{ textContent: string | null }> };
        };
        const rows = [...document.querySelectorAll("[data-testid=case-row]")];
        return rows.length === 3 && rows.every((r) => r.textContent?.includes("mock/good"));
      });
      expect(await page.getAttribute("[data-testid=cases]", "aria-busy")).toBe("true");
      release();
      await page.locator("[data-testid=cases][aria-busy=false]").waitFor();
      const rows = await page.locator("[data-testid=case-row]").allInnerTexts();
      expect(rows).toHaveLength(3);
      for (const r of rows) expect(r).toContain("mock/good");
      expect(await page.inputValue("[data-testid=filter-model]")).toBe("mock/good");
    } finally {
      release();
      await page.unroute(sloppy);
    }
  });

  it("suggests `evals probe` only for models it would probe", async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    // Mock models only: nothing to probe.
    await page.goto(`${server.url}/#/setup`);
    await page.waitForSelector("[data-testid=upload]");
    expect(await page.locator("[data-testid=probe-notice]").count()).toBe(0);
    expect(await page.locator("fieldset").nth(1).textContent()).not.toContain("evals probe");

    // A Bedrock model the capability cache has no entry for: probe it.
    const bedrock = "bedrock/us.amazon.nova-pro-v1:0";
    const project = createFixtureProject({
      ...PROFILES,
      "config/models_profiles.jsonl": [
        line({ model_id: "mock/good" }),
        line({ model_id: bedrock, region: "us-west-2" }),
      ].join("\n"),
    });
    const other = await createUiServer({ root: project, port: 0 });
    try {
      await page.goto(`${other.url}/#/setup`);
      await page.waitForSelector("[data-testid=probe-notice]");
      const notice = await page.textContent("[data-testid=probe-notice]");
      expect(notice).toContain("evals probe");
      expect(notice).toContain(`${bedrock}@us-west-2`);
      expect(notice).not.toContain("mock/good");

      // Once probed, no notice.
      mkdirSync(join(project, ".cache"), { recursive: true });
      writeFileSync(
        join(project, ".cache", "model_capabilities.json"),
        JSON.stringify({
          profilesHash: "0",
          probedAt: new Date().toISOString(),
          entries: {
            [`${bedrock}@us-west-2`]: { tiers: { default: { available: true, latencyMs: 1 } } },
          },
        }),
      );
      await page.reload();
      await page.waitForSelector("[data-testid=upload]");
      expect(await page.locator("[data-testid=probe-notice]").count()).toBe(0);
    } finally {
      await other.close();
    }
  });
});
