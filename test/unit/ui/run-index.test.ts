// The dashboard's run page from the index written with a run (results.idx) and run.json's head: offsets that read
// back the results, an index made up for runs without one (older runs, a run killed before it was written), pages
// equal to a reference computed from results.jsonl, and a finished run's run.json results never read.
import { closeSync, existsSync, openSync, readFileSync, readSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEvals } from "../../../src/runner/start.ts";
import { readResultsFile } from "../../../src/store/report-file.ts";
import {
  entryAt,
  entryFacts,
  entryRecord,
  loadResultsIndex,
  RESULTS_INDEX,
  readIndexSummary,
  resultFacts,
} from "../../../src/store/results-index.ts";
import type { CaseRecord, RunReportWithResults } from "../../../src/types.ts";
import { caseRow, queryCases } from "../../../src/ui/case-query.ts";
import { finishedRunHead, quickFirstPage } from "../../../src/ui/run-page.ts";
import { createUiServer, type UiServer } from "../../../src/ui/server.ts";
import { createFixtureProject } from "../../support/fixture-project.ts";
import { raw } from "../../support/raw-http.ts";

const line = (o: object) => JSON.stringify(o);
const quiet = () => new Writable({ write: (_c, _e, cb) => cb() });

const QUERIES = [
  "page=1&pageSize=10",
  "page=3&pageSize=10",
  "state=failed&pageSize=500",
  "state=errored",
  "model=mock%2Fsloppy&sort=score&desc=1&pageSize=7&page=2",
  "sort=score&pageSize=500",
  "sort=cost&desc=1",
  "q=q1",
];

describe("the run page from the run's index", () => {
  let server: UiServer;
  let root: string;
  let runId: string;
  let runDir: string;
  let report: RunReportWithResults;

  beforeAll(async () => {
    root = createFixtureProject({
      "config/models_profiles.jsonl": [
        line({ model_id: "mock/good", mock: { quality: 1, ttft_ms: 0, tokens_per_s: 0 } }),
        line({
          model_id: "mock/sloppy",
          mock: { quality: 0.4, ttft_ms: 0, tokens_per_s: 0, error_rate: 0.2 },
        }),
      ].join("\n"),
      "config/judge_profiles.jsonl": line({ model_id: "mock/judge" }),
      "evals/a.eval.jsonl": Array.from({ length: 12 }, (_, i) =>
        line({
          text_prompt: `Q${i}`,
          task: { task_type: "T", task_criteria: "c" },
          golden_answer: `A ${i}.`,
        }),
      ).join("\n"),
    });
    const run = await startEvals({
      root,
      stdout: quiet(),
      stderr: quiet(),
      minPassRate: 0,
      maxAttempts: 1,
      invocations: 3,
      concurrency: 8,
    });
    runId = run.report.runId;
    runDir = run.runDir;
    report = JSON.parse(readFileSync(join(runDir, "run.json"), "utf8")) as RunReportWithResults;
    server = await createUiServer({ root, port: 0 });
  });
  afterAll(async () => {
    await server?.close();
  });

  const get = async (path: string) => {
    const res = await raw(server.url, path);
    expect(res.status, `${path}: ${res.body.slice(0, 300)}`).toBe(200);
    return JSON.parse(res.body);
  };

  /** The pages computed from results.jsonl (its last line per case, in order) and the run's cases. */
  const reference = (query: string) => {
    const records = new Map<string, CaseRecord>(report.cases.map((c) => [c.id, c]));
    const rows = readResultsFile(join(runDir, "results.jsonl")).map((r) =>
      caseRow(r.caseId, records.get(r.caseId) as CaseRecord, r),
    );
    const q = new URLSearchParams(query);
    return queryCases(rows, {
      ...(q.get("state") ? { state: q.get("state") as string } : {}),
      ...(q.get("model") ? { model: q.get("model") as string } : {}),
      ...(q.get("q") ? { text: q.get("q") as string } : {}),
      ...(q.get("sort") ? { sort: q.get("sort") as "score" } : {}),
      desc: q.get("desc") === "1",
      page: Number(q.get("page") ?? 1),
      pageSize: Number(q.get("pageSize") ?? 50),
    });
  };

  const expectPagesAsReference = async () => {
    for (const query of QUERIES)
      expect(await get(`/api/runs/${runId}/cases?${query}`), query).toEqual(
        JSON.parse(JSON.stringify(reference(query))),
      );
  };

  it("writes results.idx with the run: each entry's offset and length read back exactly its result", () => {
    expect(existsSync(join(runDir, RESULTS_INDEX))).toBe(true);
    const index = loadResultsIndex(runDir, () => () => undefined);
    expect(index.rebuilt).toBe(false);
    const results = readResultsFile(join(runDir, "results.jsonl"));
    expect(index.entries.map((e) => entryRecord(e).id)).toEqual(results.map((r) => r.caseId));
    const fd = openSync(join(runDir, "results.jsonl"), "r");
    try {
      for (const [i, e] of index.entries.entries()) {
        const at = entryAt(e);
        const buf = Buffer.alloc(at.length + 1);
        readSync(fd, buf, 0, buf.length, at.offset);
        expect(buf.at(-1)).toBe(0x0a); // the whole line, up to its newline
        expect(JSON.parse(buf.subarray(0, -1).toString("utf8"))).toEqual(results[i]);
        expect(entryFacts(e)).toEqual(resultFacts(results[i] as never));
        expect(entryRecord(e)).toEqual(report.cases.find((c) => c.id === entryRecord(e).id));
      }
    } finally {
      closeSync(fd);
    }
  });

  it("opens a run with its first page from the index's first lines and summary (results.idx.json)", () => {
    expect(readIndexSummary(join(runDir, RESULTS_INDEX))?.lines).toBe(72);
    const head = finishedRunHead(runDir);
    expect(head?.summaries.overall).toEqual(report.summaries.overall);
    for (const query of ["page=1&pageSize=10", "page=1", "pageSize=500"])
      expect(
        quickFirstPage(runDir, head as never, {
          pageSize: Number(new URLSearchParams(query).get("pageSize") ?? 50),
        }),
      ).toEqual(reference(query));
  });

  it("pages, sorts and filters through the API as a reference computed from results.jsonl", async () => {
    expect(reference("state=failed").total).toBeGreaterThan(0);
    expect(reference("state=errored").total).toBeGreaterThan(0);
    await expectPagesAsReference();
    const detail = await get(`/api/runs/${runId}`);
    expect(detail.summaries.overall).toEqual(report.summaries.overall);
    expect([detail.total, detail.done]).toEqual([72, 72]);
    const id = reference("state=failed").rows[0]?.id as string;
    const one = await get(`/api/runs/${runId}/case?id=${id}`);
    expect(one.result).toEqual(report.results.find((r) => r.caseId === id));
    expect(one.scenario).toEqual(
      report.scenarios?.[`a.eval.jsonl#a#${one.record.scenarioKey}`] ?? one.scenario,
    );
    expect(one.scenario.prompt).toMatch(/^Q\d+$/);
  });

  it("indexes a run without an index (older run) or with a short one (killed mid-way) on first open: same pages", async () => {
    const indexFile = join(runDir, RESULTS_INDEX);
    const written = readFileSync(indexFile);
    rmSync(indexFile);
    await expectPagesAsReference();
    // Saved for the next open, the same as the one the run wrote.
    expect(readFileSync(indexFile)).toEqual(written);

    // Killed between a result and its index line, and mid-way through an index line.
    const lines = written.toString("utf8").split("\n");
    const short = `${lines.slice(0, 40).join("\n")}\n${(lines[40] ?? "").slice(0, 25)}`;
    writeFileSync(indexFile, short);
    await expectPagesAsReference();
    expect(readFileSync(indexFile)).toEqual(written);
  });

  it("serves a finished run's page without reading the results of its run.json", async () => {
    const runJson = join(runDir, "run.json");
    const text = readFileSync(runJson, "utf8");
    const results = text.indexOf('\n  "results": [');
    expect(results).toBeGreaterThan(0);
    // Its results cut off and garbage in their place: a parse of the whole file fails.
    writeFileSync(runJson, `${text.slice(0, results)},\n  "results": [\n    {not json`);
    expect(() => JSON.parse(readFileSync(runJson, "utf8"))).toThrow();
    await expectPagesAsReference();
    const detail = await get(`/api/runs/${runId}`);
    expect(detail.summaries.byModel).toEqual(report.summaries.byModel);
    const id = reference("page=1").rows[5]?.id as string;
    expect((await get(`/api/runs/${runId}/case?id=${id}`)).result).toEqual(
      report.results.find((r) => r.caseId === id),
    );
    const listed = (await get("/api/runs")).runs.find((r: { runId: string }) => r.runId === runId);
    expect([listed.status, listed.total, listed.passRate]).toEqual([
      report.status,
      72,
      report.summaries.overall.passRate,
    ]);
  });
});
