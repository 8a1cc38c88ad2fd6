import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createUiServer } from "../../src/ui/server.ts";
import { createFixtureProject } from "../support/fixture-project.ts";
import { runCli } from "../support/run-cli.ts";

const line = (o: object) => JSON.stringify(o);

/** A project of one mock model and judge and three scenarios, scenario i's golden answer `golden(i)`. */
const reportProject = (golden: (i: number) => string) =>
  createFixtureProject({
    "config/models_profiles.jsonl": line({
      model_id: "mock/m",
      mock: { quality: 0.9, ttft_ms: 0, tokens_per_s: 0 },
    }),
    "config/judge_profiles.jsonl": line({ model_id: "mock/j" }),
    "evals/r.eval.jsonl": [1, 2, 3]
      .map((i) =>
        line({
          text_prompt: `Q${i}`,
          task: { task_type: "T", task_criteria: "c" },
          golden_answer: golden(i),
        }),
      )
      .join("\n"),
  });

describe("evals report", () => {
  it("builds the HTML report of the newest run, or the history of every run of its config, without a model", async () => {
    const root = reportProject((i) => `Answer number ${i}.`);
    for (let i = 0; i < 2; i++) expect((await runCli(root, ["--min-pass-rate", "0"])).code).toBe(0);
    // A run of another config (another threshold) must not mix into the history.
    expect(
      (await runCli(root, ["--min-pass-rate", "0", "--threshold", "4", "--invocations", "1"])).code,
    ).toBe(0);
    expect((await runCli(root, ["--min-pass-rate", "0"])).code).toBe(0);

    const newest = await runCli(root, ["report", "-o", "newest.html"]);
    expect(newest.code).toBe(0);
    expect(newest.stdout).toBe("HTML report of 1 run, 3 results, written to newest.html\n");

    const all = await runCli(root, ["report", "--all", "-o", "history.html"]);
    expect(all.code).toBe(0);
    expect(all.stdout).toBe("HTML report of 3 runs, 9 results, written to history.html\n");
    expect(all.stderr).toMatch(/^warning: left out runs of another config: \S+\n$/);
    const html = readFileSync(join(root, "history.html"), "utf8");
    expect(html).toContain("history of 3 runs");
    expect(html).not.toMatch(/<script[^>]+src=/);

    const bad = await runCli(root, ["report", "--since", "yesterday-ish"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--since must be a date such as 2026-11-01 (got "yesterday-ish")');
  });
});

describe("runs named explicitly", () => {
  it("are all reported, each task labelled with its config, by evals report and by the dashboard", async () => {
    const root = reportProject((i) => `A ${i}.`);
    expect((await runCli(root, ["--min-pass-rate", "0"])).code).toBe(0);
    expect((await runCli(root, ["--min-pass-rate", "0", "--threshold", "4"])).code).toBe(0);
    expect((await runCli(root, ["--min-pass-rate", "0"])).code).toBe(0);
    const ids = readdirSync(join(root, "outputs", "runs")).sort();
    const [first, other, last] = ids as [string, string, string];
    const signature = (id: string) =>
      (
        JSON.parse(readFileSync(join(root, "outputs", "runs", id, "run.json"), "utf8")) as {
          config: { signature: string };
        }
      ).config.signature;

    const res = await runCli(root, ["report", ...ids.map((id) => `outputs/runs/${id}`), "-o", "named.html"]);
    expect(res.code).toBe(0);
    expect(res.stderr).toBe("");
    expect(res.stdout).toBe(
      "HTML report of 3 runs, 9 results, written to named.html\n" +
        'The runs ran 2 configs: each task is labelled with its config, "<task> (config k)":\n' +
        `  config 1 is signature ${signature(first)} (runs ${first}, ${last})\n` +
        `  config 2 is signature ${signature(other)} (run ${other})\n`,
    );
    const html = readFileSync(join(root, "named.html"), "utf8");
    expect(html).toContain("<tr><td>T (config 1)</td>");
    expect(html).toContain("<tr><td>T (config 2)</td>");

    const server = await createUiServer({ root, port: 0 });
    try {
      const made = await fetch(`${server.url}/api/reports`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ runIds: [first, other] }),
      });
      expect(made.status).toBe(200);
      const { path } = (await made.json()) as { path: string };
      const page = readFileSync(join(root, "outputs", path), "utf8");
      expect(page).toContain("<tr><td>T (config 1)</td>");
      expect(page).toContain("<tr><td>T (config 2)</td>");
    } finally {
      await server.close();
    }
  });
});

describe("--summary-model", () => {
  it("rewrites the executive summary with a model, and a failing model never blocks the report", async () => {
    const root = createFixtureProject({
      "config/models_profiles.jsonl": [
        line({ model_id: "mock/m", mock: { quality: 0.9, ttft_ms: 0, tokens_per_s: 0 } }),
        line({ model_id: "mock/writer", mock: { quality: 1, ttft_ms: 0, tokens_per_s: 0 } }),
        line({ model_id: "openai-compatible/down", base_url: "http://127.0.0.1:9/v1" }),
      ].join("\n"),
      "config/judge_profiles.jsonl": line({ model_id: "mock/j" }),
      "evals/r.eval.jsonl":
        line({ $eval: { models: ["mock/m"] } }) +
        "\n" +
        line({
          text_prompt: "Q",
          task: { task_type: "T", task_criteria: "c" },
          golden_answer: "A <b>bold</b> answer.",
        }),
    });
    expect((await runCli(root, ["--min-pass-rate", "0"])).code).toBe(0);

    const ok = await runCli(root, ["report", "--summary-model", "mock/writer", "-o", "r.html"]);
    expect(ok.code).toBe(0);
    expect(readFileSync(join(root, "r.html"), "utf8")).toContain(
      "Rewritten by mock/writer from the figures below",
    );

    const down = await runCli(root, ["report", "--summary-model", "openai-compatible/down", "-o", "d.html"]);
    expect(down.code).toBe(0);
    expect(down.stderr).toContain(
      "warning: summary model failed, the report keeps the summary from the data:",
    );
    expect(readFileSync(join(root, "d.html"), "utf8")).not.toContain("Rewritten by");

    // The same on a run with the html reporter.
    const run = await runCli(root, [
      "--min-pass-rate",
      "0",
      "--reporter",
      "html",
      "--outputFile",
      "run.html",
      "--summary-model",
      "mock/writer",
    ]);
    expect(run.code).toBe(0);
    expect(readFileSync(join(root, "run.html"), "utf8")).toContain(
      "Rewritten by mock/writer from the figures below",
    );

    const unknown = await runCli(root, ["report", "--summary-model", "nope"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--summary-model: no profile "nope" among the model and judge profiles');
  });
});
