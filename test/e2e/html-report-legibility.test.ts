// The HTML report's charts read well in chromium, in light and in dark: every text mark has WCAG AA contrast
// (4.5:1) with what is behind it, rules and error bars 3:1, no text mark overlaps another, no cell or mark prints
// NaN or undefined; the failures treemap counts cases; a latency-only run names no "most accurate" model.
import { join } from "node:path";
import { Writable } from "node:stream";
import { pathToFileURL } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEvals } from "../../src/node.ts";
import type { CaseResult, RunReport } from "../../src/types.ts";
import { CHROMIUM, HAS_CHROMIUM, launchChromium } from "../support/chromium.ts";
import { createFixtureProject } from "../support/fixture-project.ts";
import { type ChartLegibility, chartLegibility } from "../support/report-legibility.ts";

if (!HAS_CHROMIUM)
  console.warn(`html-report legibility test skipped: ${CHROMIUM} is missing (CI installs Debian's chromium)`);

const line = (o: object) => JSON.stringify(o);
const quiet = () => new Writable({ write: (_c, _e, cb) => cb() });
/**
 * Two perfect models of the same speed (their bubbles and labels coincide), a sloppy one failing every
 * dimension, and a middling one failing some and erroring on 40% of its calls (no retry): boxes of every size in
 * the failures treemap.
 */
const MODELS = [
  { model_id: "mock/perfect", mock: { quality: 1, ttft_ms: 5, tokens_per_s: 200 } },
  { model_id: "mock/perfect-twin", mock: { quality: 1, ttft_ms: 5, tokens_per_s: 200 } },
  { model_id: "mock/sloppy", mock: { quality: 0.2, ttft_ms: 5, tokens_per_s: 200 } },
  { model_id: "mock/flaky", mock: { quality: 0.6, ttft_ms: 5, tokens_per_s: 200, error_rate: 0.4 } },
].map((m) => line({ input_token_cost: 0.001, output_token_cost: 0.002, ...m }));
const JUDGES = ["a", "b", "c"].map((j) => line({ model_id: `mock/judge-${j}` })).join("\n");
const SCENARIOS = Array.from({ length: 8 }, (_, i) =>
  line({
    text_prompt: `Question ${i}?`,
    task: { task_type: i % 2 ? "Summarization" : "Q&A", task_criteria: "Answer correctly." },
    golden_answer: `The answer to question number ${i} is ${i * 7} and nothing else at all.`,
  }),
).join("\n");

interface Run {
  file: string;
  report: RunReport;
  results: CaseResult[];
}

async function run(options: { latencyOnly?: boolean } = {}): Promise<Run> {
  const root = createFixtureProject({
    "config/models_profiles.jsonl": MODELS.join("\n"),
    "config/judge_profiles.jsonl": JUDGES,
    "evals/quality.eval.jsonl": SCENARIOS,
    "evals.config.yaml": "run:\n  retry:\n    maxAttempts: 1\n",
  });
  const { report, results } = await startEvals({
    root,
    reporters: ["html"],
    stdout: quiet(),
    stderr: quiet(),
    ...options,
  });
  return { file: join(root, "outputs", "report.html"), report, results: await results.all() };
}

describe.skipIf(!HAS_CHROMIUM)("the HTML report's charts are legible in chromium", () => {
  let browser: Browser;
  let full: Run;
  const pages: Partial<Record<"light" | "dark", Page>> = {};
  const charts: Partial<Record<"light" | "dark", ChartLegibility[]>> = {};

  beforeAll(async () => {
    [browser, full] = await Promise.all([launchChromium(), run()]);
    for (const scheme of ["light", "dark"] as const) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(pathToFileURL(full.file).href);
      await page.waitForSelector("body[data-charts-ready]", { timeout: 30_000 });
      pages[scheme] = page;
      charts[scheme] = await chartLegibility(page);
      // To look at them: JURY_REPORT_SHOTS=<dir> saves each chart's card as <dir>/<scheme>-<chart>.png.
      const shots = process.env.JURY_REPORT_SHOTS;
      if (shots)
        for (const card of await page.$$("figure.card")) {
          const id = await card.$eval(".chart", (e) => e.getAttribute("data-chart"));
          await card.screenshot({ path: join(shots, `${scheme}-${id}.png`) });
        }
    }
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
  });

  for (const scheme of ["light", "dark"] as const) {
    it(`${scheme}: every text mark of every chart has 4.5:1 contrast with what is behind it`, () => {
      const all = charts[scheme] ?? [];
      expect(all.length).toBeGreaterThan(10);
      const low = all.flatMap((c) =>
        c.texts
          .filter((t) => t.contrast < 4.5)
          .map((t) => `${c.chart}: "${t.text}" ${t.color} on ${t.background} = ${t.contrast.toFixed(2)}`),
      );
      expect(low).toEqual([]);
    });

    it(`${scheme}: rules, error bars and lines have 3:1 contrast with the chart's background`, () => {
      const all = charts[scheme] ?? [];
      expect(all.flatMap((c) => c.strokes).length).toBeGreaterThan(0);
      const low = all.flatMap((c) =>
        c.strokes
          .filter((s) => s.contrast < 3)
          .map((s) => `${c.chart}: ${s.mark} ${s.color} on ${s.background} = ${s.contrast.toFixed(2)}`),
      );
      expect(low).toEqual([]);
    });

    it(`${scheme}: no text mark overlaps another (percentile rules with close values, coinciding bubbles)`, () => {
      const overlaps = (charts[scheme] ?? []).flatMap((c) => c.overlaps.map((o) => `${c.chart}: ${o}`));
      expect(overlaps).toEqual([]);
      // And no label was dropped to get there: every model is named once, next to its bubble (bubbles at about
      // the same spot, as the twins' are unless the machine's load pulls their latencies apart, share one label).
      const bubble = (charts[scheme] ?? []).find((c) => c.chart === "bubble");
      const named = (bubble?.texts ?? [])
        .filter((t) => t.text.startsWith("mock/"))
        .flatMap((t) => t.text.split(", "));
      expect(named.sort()).toEqual(["mock/flaky", "mock/perfect", "mock/perfect-twin", "mock/sloppy"]);
    });

    it(`${scheme}: no table cell or chart text prints NaN or undefined`, async () => {
      const page = pages[scheme] as Page;
      const cells = await page.$$eval("td, th, #summary p, #summary li", (els) =>
        els.map((e) => e.textContent ?? ""),
      );
      expect(cells.length).toBeGreaterThan(50);
      const texts = (charts[scheme] ?? []).flatMap((c) => c.texts.map((t) => t.text));
      expect([...cells, ...texts].filter((t) => /\bNaN\b|\bundefined\b/.test(t))).toEqual([]);
    });
  }

  it("the failures treemap's areas count failed cases: each model's box is labelled with its failed and errored cases", async () => {
    const page = pages.light as Page;
    const failing = new Map<string, number>();
    const modelOf = new Map(full.report.cases.map((c) => [c.id, c.model]));
    for (const r of full.results)
      if (r.state === "failed" || r.state === "errored") {
        const model = modelOf.get(r.caseId) ?? "?";
        failing.set(model, (failing.get(model) ?? 0) + 1);
      }
    expect(failing.get("mock/sloppy")).toBeGreaterThan(0);
    const treemap = (charts.light ?? []).find((c) => c.chart === "error-treemap");
    const groupLabels = (treemap?.texts ?? []).filter((t) => t.bold).map((t) => t.text);
    expect(groupLabels.sort()).toEqual(
      [...failing].map(([model, n]) => `${model} (${n} ${n === 1 ? "case" : "cases"})`).sort(),
    );
    expect(await page.textContent('figure:has([data-chart="error-treemap"]) figcaption')).toContain(
      "area: number of failed or errored cases",
    );
    // A box too small for its label shows none (its tooltip has it), never a lone ellipsis.
    expect((treemap?.texts ?? []).filter((t) => t.text.includes("…"))).toEqual([]);
  });

  it("a latency-only run's report names no most accurate model: accuracy is N/A everywhere", async () => {
    const latency = await run({ latencyOnly: true });
    expect(latency.results.every((r) => !r.jury?.verdicts.length && !r.checks.length)).toBe(true);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(pathToFileURL(latency.file).href);
    await page.waitForSelector("body[data-charts-ready]", { timeout: 30_000 });
    const summary = (await page.textContent("#summary")) ?? "";
    expect(summary).not.toContain("most accurate");
    expect(summary).toContain("Pass rate N/A");
    const recommendations = await page.$$eval("#recommendations tbody tr", (rows) =>
      rows.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent)),
    );
    expect(recommendations.length).toBe(2);
    for (const row of recommendations) expect(row.slice(1, 3)).toEqual(["N/A", "N/A"]);
    // Every pass-rate cell of every table says N/A; no table claims 100%.
    const rateCells = await page.$$eval("table", (tables) =>
      tables.flatMap((t) => {
        const heads = [...t.querySelectorAll("thead th")].map((th) => th.textContent ?? "");
        return [...t.querySelectorAll("tbody tr")].flatMap((tr) =>
          [...tr.querySelectorAll("td")]
            .filter((_, k) => /^(Pass rate|Pass rate \(95% CI\)|95% CI|Composite)$/.test(heads[k] ?? ""))
            .map((td) => `${heads[[...tr.children].indexOf(td)]}: ${td.textContent}`),
        );
      }),
    );
    expect(rateCells.length).toBeGreaterThan(0);
    expect(rateCells.filter((c) => !/: N\/A$/.test(c))).toEqual([]);
    // No chart plots a pass rate that was never measured.
    const shown = await page.$$eval(".chart", (els) => els.map((e) => e.getAttribute("data-chart")));
    expect(shown).not.toContain("success-heatmap");
    expect(shown).not.toContain("bubble");
    const captions = await page.$$eval("figcaption", (els) => els.map((e) => e.textContent ?? ""));
    expect(captions.filter((c) => /pass rate/i.test(c))).toEqual([]);
    await page.close();
  });
});
