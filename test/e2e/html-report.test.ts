// The HTML report in a real browser: Debian's chromium driven by playwright-core (which never downloads one).
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import { pathToFileURL } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { taskModelStats } from "../../reporters/html/summary.ts";
import { wilson } from "../../src/metrics/stats.ts";
import { startEvals } from "../../src/node.ts";
import type { RunReportWithResults as RunReport } from "../../src/types.ts";
import { CHROMIUM, HAS_CHROMIUM, launchChromium } from "../support/chromium.ts";
import { createFixtureProject } from "../support/fixture-project.ts";
import { tempDir } from "../support/temp-dir.ts";

if (!HAS_CHROMIUM)
  console.warn(
    `html-report browser test skipped: ${CHROMIUM} is missing (CI installs Debian's chromium package)`,
  );

const line = (o: object) => JSON.stringify(o);
const quiet = () => new Writable({ write: (_c, _e, cb) => cb() });
const MODELS = [
  line({
    model_id: "mock/perfect",
    input_token_cost: 0.001,
    output_token_cost: 0.002,
    mock: { quality: 1, ttft_ms: 5, tokens_per_s: 120 },
  }),
  line({
    model_id: "mock/sloppy",
    input_token_cost: 0.0005,
    output_token_cost: 0.001,
    mock: { quality: 0.3, ttft_ms: 5, tokens_per_s: 120 },
  }),
].join("\n");
const JUDGES = ["a", "b", "c"].map((j) => line({ model_id: `mock/judge-${j}` })).join("\n");

async function reportOf(
  files: Record<string, string>,
): Promise<{ file: string; cases: number; report: RunReport }> {
  const root = createFixtureProject({
    "config/models_profiles.jsonl": MODELS,
    "config/judge_profiles.jsonl": JUDGES,
    ...files,
  });
  const { report, results } = await startEvals({
    root,
    reporters: ["html"],
    stdout: quiet(),
    stderr: quiet(),
  });
  const all = await results.all();
  expect(all.length).toBeGreaterThan(0);
  return {
    file: join(root, "outputs", "report.html"),
    cases: report.cases.length,
    report: { ...report, results: all },
  };
}

interface Visit {
  page: Page;
  errors: string[];
  requests: string[];
}

describe.skipIf(!HAS_CHROMIUM)("the HTML report in chromium", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function open(file: string, colorScheme: "light" | "dark" = "light"): Promise<Visit> {
    const page = await browser.newPage({ colorScheme, viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    const requests: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("request", (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(file).href);
    // Every chart container has drawn its SVG (the page marks the body when all embeds settled).
    await page.waitForSelector("body[data-charts-ready]", { timeout: 30_000 });
    await page.waitForFunction(
      `document.querySelectorAll(".chart").length > 0 &&
        [...document.querySelectorAll(".chart")].every((c) => c.querySelector("svg.marks, canvas"))`,
      undefined,
      { timeout: 30_000 },
    );
    return { page, errors, requests };
  }

  it("renders every chart offline: no console error, no request but the file itself; saves a screenshot", async () => {
    const scenarios = Array.from({ length: 6 }, (_, i) =>
      line({
        text_prompt: `Question ${i}?`,
        task: { task_type: i % 2 ? "Summarization" : "Q&A", task_criteria: "Answer correctly." },
        golden_answer: `The answer to question number ${i} is ${i * 7} and nothing else.`,
      }),
    );
    const { file, cases } = await reportOf({ "evals/quality.eval.jsonl": scenarios.join("\n") });
    const size = statSync(file).size;
    for (const scheme of ["light", "dark"] as const) {
      const { page, errors, requests } = await open(file, scheme);
      const charts = await page.$$eval(".chart", (els) => els.map((e) => e.getAttribute("data-chart")));
      expect(charts).toEqual([
        "ttft-bars",
        "otps-bars",
        "ttlb-percentiles",
        "ttft-distribution",
        "ttft-buckets",
        "ttlb-buckets",
        "score-distribution",
        "tokens-distribution",
        "cost",
        "cost-buckets",
        "success-heatmap",
        "task-temperature",
        "bubble",
        "bubble-by-task",
        "hour-of-day",
        "error-treemap",
        "radar",
      ]);
      expect(errors).toEqual([]);
      expect(requests).toEqual([pathToFileURL(file).href]);

      // Filtering refills the charts and the tables from the embedded data.
      await page.selectOption('select[data-filter="model"]', "mock/perfect");
      await expect
        .poll(() => page.textContent("#filter-count"))
        .toBe(`Showing ${cases / 2} of ${cases} cases`);
      expect(await page.$$eval("#integrated tbody tr", (rows) => rows.length)).toBe(2);
      // Mock models have no service tier: the tier filter offers just that.
      expect(
        await page.$$eval('select[data-filter="tier"] option', (os) => os.map((o) => o.textContent)),
      ).toEqual(["All (1)", "(none)"]);
      // Two frames painted after the filter: the charts it refilled have rendered (or thrown).
      await page.evaluate(
        "new Promise((painted) => requestAnimationFrame(() => requestAnimationFrame(painted)))",
      );
      expect(errors).toEqual([]);

      const shot = join(tempDir("jury-html-report-"), `${scheme}.png`);
      await page.screenshot({ path: shot, fullPage: true });
      console.log(`HTML report screenshot (${scheme}): ${shot} (report ${size} bytes)`);
      await page.close();
    }
  });

  it("re-aggregates a filtered subset with the TypeScript statistics: the page's pass rate and interval are the summary's", async () => {
    const scenarios = Array.from({ length: 9 }, (_, i) =>
      line({
        text_prompt: `Question ${i}?`,
        task: { task_type: i % 3 ? "Summarization" : "Q&A", task_criteria: "Answer correctly." },
        golden_answer: `The answer to question number ${i} is ${i * 7} and nothing else.`,
      }),
    );
    const middling = line({
      model_id: "mock/middling",
      mock: { quality: 0.6, ttft_ms: 5, tokens_per_s: 120 },
    });
    const { file, report } = await reportOf({
      "config/models_profiles.jsonl": [MODELS.split("\n")[0], middling].join("\n"),
      "evals/quality.eval.jsonl": scenarios.join("\n"),
    });
    const { page, errors } = await open(file);
    const stats = taskModelStats(report);
    expect(stats).toHaveLength(4);
    // Not every group passes everything: the comparison covers intervals away from 0 and 1.
    expect(stats.some((s) => s.passed > 0 && s.passed < s.ran)).toBe(true);
    for (const s of stats) {
      await page.selectOption('select[data-filter="model"]', s.model);
      await page.selectOption('select[data-filter="task"]', s.taskType);
      await expect.poll(() => page.textContent("#filter-count")).toBe(`Showing ${s.cases} of 18 cases`);
      const shown = await page.$$eval("#integrated tbody tr", (rows) =>
        rows.map((tr) =>
          [...tr.querySelectorAll("td")].map((td) => [td.textContent, td.getAttribute("data-v")]),
        ),
      );
      expect(shown).toHaveLength(1);
      const [model, ran, rate, ci] = shown[0] ?? [];
      expect(model?.[0]).toBe(s.model);
      expect(Number(ran?.[1])).toBe(s.ran);
      // The same numbers, not merely the same rounding: data-v carries the value the page computed.
      expect(Number(rate?.[1])).toBe(s.passRate);
      expect(Number(ci?.[1])).toBe(s.passRateCi[0]);
      const [lo, hi] = wilson(s.passed, s.ran);
      expect(ci?.[0]).toBe(`${(lo * 100).toFixed(1)}%–${(hi * 100).toFixed(1)}%`);
      // The charts follow the same subset with the same figures: the heatmap's one cell describes itself.
      const cell = `${s.model}; 95% CI low: ${(lo * 100).toFixed(1)}%; 95% CI high: ${(hi * 100).toFixed(1)}%; Cases: ${s.ran}`;
      await expect
        .poll(() =>
          page.$$eval('[data-chart="success-heatmap"] [aria-label*="95% CI"]', (els) =>
            els.map((e) => e.getAttribute("aria-label")),
          ),
        )
        .toEqual([expect.stringContaining(cell)]);
    }
    expect(errors).toEqual([]);
    await page.close();
  });

  it("shows injection payloads from golden answers, outputs and names as text; none of them runs", async () => {
    const payloads = [
      "<script>window.__pwned=1</script>",
      '<img src=x onerror="window.__pwned=1">',
      "</script><script>window.__pwned=1</script>",
    ];
    const golden = payloads.join(" ");
    const { file } = await reportOf({
      [`evals/${payloads[1]}.eval.jsonl`]: [
        line({ $eval: { name: `names ${payloads[0]} ${payloads[2]}` } }),
        line({
          id: `scenario ${payloads[1]} </script>`,
          text_prompt: "Repeat the markup.",
          task: { task_type: `Markup ${payloads[0]}`, task_criteria: "Exact." },
          golden_answer: golden,
        }),
      ].join("\n"),
    });
    const html = readFileSync(file, "utf8");
    // Raw markup from the data never reaches the HTML: only the escaped forms do.
    // (toBe on includes: a failing toContain would print the whole 900 kB page.)
    for (const p of payloads) expect(html.includes(p), p).toBe(false);
    expect(html.includes("&#60;img src=x onerror=&#34;window.__pwned=1&#34;&#62;")).toBe(true);

    const { page, errors, requests } = await open(file);
    expect(await page.evaluate("typeof window.__pwned")).toBe("undefined");
    expect(await page.$$("img")).toHaveLength(0);
    expect(errors).toEqual([]);
    expect(requests).toEqual([pathToFileURL(file).href]);

    await page.click('#cases-body tr[data-case="0"]');
    const detail = await page.textContent("#case-detail");
    expect(detail).toContain(golden);
    expect(detail).toContain(`names ${payloads[0]} ${payloads[2]}`);
    expect(detail).toContain(`scenario ${payloads[1]} </script>`);
    expect(detail).toContain(`evals/${payloads[1]}.eval.jsonl`);
    expect(await page.textContent("#case-detail pre.output")).toBe(golden);
    // The scenario's input is shown too — as text.
    expect(await page.textContent("#case-detail pre.golden")).toBe(golden);
    expect(await page.textContent("#case-detail pre.prompt")).toBe("Repeat the markup.");
    const options = await page.$$eval('select[data-filter="task"] option', (os) =>
      os.map((o) => o.textContent),
    );
    expect(options).toContain(`Markup ${payloads[0]}`);
    expect(await page.textContent("#summary")).toContain(`Markup ${payloads[0]}`);
    expect(await page.evaluate("typeof window.__pwned")).toBe("undefined");
    await page.close();
  });
});
