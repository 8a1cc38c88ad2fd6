// The dashboard's controls of issue 18 over real HTTP: deleting runs and reports (never outside the output dir,
// never a run in progress, always through the Host/Origin/JSON checks), the log of a run, the Setup form's run
// settings, prices and table preview, and "Load config".
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { startEvals } from "../../../src/runner/start.ts";
import type { RunReportWithResults } from "../../../src/types.ts";
import { LOG_CHUNK } from "../../../src/ui/api/run-log.ts";
import type { Deleted, RunLog, SetupFromRun } from "../../../src/ui/api-types.ts";
import { createUiServer, type UiServer } from "../../../src/ui/server.ts";
import { createFixtureProject } from "../../support/fixture-project.ts";
import { raw } from "../../support/raw-http.ts";

const line = (o: object) => JSON.stringify(o);
const quiet = () => new Writable({ write: (_c, _e, cb) => cb() });
const JSON_HEADERS = { "content-type": "application/json" };

describe("the dashboard's controls (issue 18)", () => {
  let server: UiServer;
  let root: string;
  let out: string;
  const runs: string[] = [];

  const newRun = async (extra: Record<string, unknown> = {}) => {
    const run = await startEvals({ root, stdout: quiet(), stderr: quiet(), minPassRate: 0, ...extra });
    runs.push(run.report.runId);
    return run.report.runId;
  };
  const del = (path: string, body: object = {}, headers: Record<string, string> = JSON_HEADERS) =>
    raw(server.url, path, { method: "DELETE", headers, body: JSON.stringify(body) });

  beforeAll(async () => {
    root = createFixtureProject({
      "config/models_profiles.jsonl": line({
        model_id: "mock/good",
        input_token_cost: 0.001,
        output_token_cost: 0.002,
        mock: { quality: 1, ttft_ms: 0, tokens_per_s: 0 },
      }),
      "config/judge_profiles.jsonl": line({ model_id: "mock/judge" }),
      "evals/a.eval.jsonl": [1, 2]
        .map((i) => line({ text_prompt: `Q${i}`, task: { task_type: "T", task_criteria: "c" } }))
        .join("\n"),
      "secret.txt": "do not delete me",
      "outputs/keep.txt": "not a report",
    });
    out = join(root, "outputs");
    await newRun();
    await newRun();
    server = await createUiServer({ root, port: 0 });
  });
  afterAll(async () => {
    await server?.close();
  });

  it("deletes a run dir and says what it deleted", async () => {
    const runId = runs[0] as string;
    const res = await del(`/api/runs/${runId}`);
    expect(res.status, res.body).toBe(200);
    const body = JSON.parse(res.body) as Deleted;
    expect(body.deleted).toBe(`runs/${runId}`);
    expect(body.files).toBeGreaterThanOrEqual(1);
    expect(body.bytes).toBeGreaterThan(0);
    expect(existsSync(join(out, "runs", runId))).toBe(false);
    expect((await del(`/api/runs/${runId}`)).status).toBe(404);
  });

  it("refuses run ids and report paths outside the output dir (path traversal)", async () => {
    for (const id of ["..", "..%2F..%2Fsecret.txt", "%2e%2e", "..%2f..", "runs%2F..%2F..", "x%00"]) {
      const res = await del(`/api/runs/${id}`);
      expect([400, 404], `${id} → ${res.status}`).toContain(res.status);
    }
    for (const path of [
      "../secret.txt",
      "../../etc/passwd",
      "/etc/passwd",
      "keep.txt",
      `runs/${runs[1]}/run.json`,
      "ui-reports/../../secret.txt",
      "..\\secret.txt",
      "",
    ]) {
      const res = await del("/api/reports", { path });
      expect(res.status, `${path} → ${res.status}`).toBe(404);
    }
    expect(readFileSync(join(root, "secret.txt"), "utf8")).toBe("do not delete me");
    expect(existsSync(join(out, "keep.txt"))).toBe(true);
    expect(existsSync(join(out, "runs", runs[1] as string, "run.json"))).toBe(true);
  });

  it("refuses a run in progress: run.lock held by a live process, or run.json running with a live pid", async () => {
    const runId = runs[1] as string;
    const dir = join(out, "runs", runId);
    const lock = join(dir, "run.lock");
    writeFileSync(lock, line({ pid: process.pid, host: hostname(), startedAt: new Date().toISOString() }));
    const locked = await del(`/api/runs/${runId}`);
    expect(locked.status).toBe(409);
    expect(JSON.parse(locked.body).error).toBe(
      `run ${runId} was not deleted: it is in progress (run.lock held by pid ${process.pid} on ${hostname()}); wait for it to end or stop it`,
    );
    expect(existsSync(join(dir, "run.json"))).toBe(true);

    // A lock left by a process that is gone does not keep the run.
    writeFileSync(lock, line({ pid: 2 ** 22 + 12345, host: hostname(), startedAt: "2026-01-01T00:00:00Z" }));
    const runJson = readFileSync(join(dir, "run.json"), "utf8");
    writeFileSync(
      join(dir, "run.json"),
      runJson.replace(/"status":\s*"\w+"/, `"status":"running","pid":${process.pid},"host":"${hostname()}"`),
    );
    const running = await del(`/api/runs/${runId}`);
    expect(running.status).toBe(409);
    expect(JSON.parse(running.body).error).toContain("it is in progress (pid ");
    writeFileSync(join(dir, "run.json"), runJson);
    expect((await del(`/api/runs/${runId}`)).status).toBe(200);
  });

  it("puts every state-changing endpoint behind the Host, Origin, Sec-Fetch-Site and JSON checks", async () => {
    const runId = await newRun();
    mkdirSync(join(out, "ui-reports"), { recursive: true });
    writeFileSync(join(out, "ui-reports", "r.html"), "<p>report</p>");
    const port = new URL(server.url).port;
    const attempts: [string, object, Record<string, string>, number][] = [
      [`/api/runs/${runId}`, {}, { ...JSON_HEADERS, origin: "http://attacker.example" }, 403],
      [`/api/runs/${runId}`, {}, { ...JSON_HEADERS, "sec-fetch-site": "cross-site" }, 403],
      [`/api/runs/${runId}`, {}, { ...JSON_HEADERS, host: `attacker.example:${port}` }, 403],
      [`/api/runs/${runId}`, {}, { "content-type": "text/plain" }, 415],
      ["/api/reports", { path: "ui-reports/r.html" }, { ...JSON_HEADERS, origin: "null" }, 403],
      [
        "/api/reports",
        { path: "ui-reports/r.html" },
        { "content-type": "application/x-www-form-urlencoded" },
        415,
      ],
    ];
    for (const [path, body, headers, status] of attempts)
      expect((await del(path, body, headers)).status, `${path} ${JSON.stringify(headers)}`).toBe(status);
    const setup = await raw(server.url, "/api/setup/evals", {
      method: "POST",
      headers: { ...JSON_HEADERS, origin: "http://attacker.example" },
      body: "{}",
    });
    expect(setup.status).toBe(403);
    // Reads too: a rebound DNS name gets neither a run's log nor its settings.
    for (const path of [`/api/runs/${runId}/log`, `/api/setup/from/${runId}`])
      expect((await raw(server.url, path, { headers: { host: `attacker.example:${port}` } })).status).toBe(
        403,
      );
    expect(existsSync(join(out, "runs", runId, "run.json"))).toBe(true);
    expect(existsSync(join(out, "ui-reports", "r.html"))).toBe(true);

    const ok = await del(
      "/api/reports",
      { path: "ui-reports/r.html" },
      { ...JSON_HEADERS, origin: server.url },
    );
    expect(JSON.parse(ok.body)).toEqual({ deleted: "ui-reports/r.html", files: 1, bytes: 13 });
    expect(existsSync(join(out, "ui-reports", "r.html"))).toBe(false);
  });

  it("serves a run's log file from an offset, its tail first, and says when there is none", async () => {
    const runId = await newRun();
    const get = async (q = "") =>
      JSON.parse((await raw(server.url, `/api/runs/${runId}/log${q}`)).body) as RunLog;
    // Every run writes its run log now: without it, the run is one from before (or one whose log was removed).
    const runDir = join(out, "runs", runId);
    expect((await get()).source).toMatch(/^360-benchmark-.+\.log$/);
    for (const f of readdirSync(runDir)) if (f.endsWith(".log")) rmSync(join(runDir, f));
    expect(await get()).toEqual({ source: null, text: "", next: 0, reset: true, skipped: 0, running: false });

    const file = join(out, "runs", runId, "logs", "360-benchmark-x.log");
    mkdirSync(join(out, "runs", runId, "logs"));
    writeFileSync(file, "\x1b[32mfirst\x1b[39m line\n");
    const first = await get();
    expect(first).toMatchObject({
      source: "logs/360-benchmark-x.log",
      text: "first line\n",
      next: 21,
      reset: true,
    });
    appendFileSync(file, "second — line\n");
    const next = await get(`?offset=${first.next}`);
    expect(next).toMatchObject({ text: "second — line\n", reset: false, skipped: 0 });
    expect(next.next).toBe(Buffer.byteLength("\x1b[32mfirst\x1b[39m line\nsecond — line\n"));

    writeFileSync(file, `${"x".repeat(LOG_CHUNK)}\nlast\n`);
    const tail = await get();
    expect(tail.skipped).toBe(6);
    expect(tail.text.endsWith("\nlast\n")).toBe(true);
    expect((await raw(server.url, "/api/runs/..%2F..%2Fsecret.txt/log")).status).toBe(404);
  });

  it("saves the Setup form's run settings, prices and task evaluations per CSV; the run records them", async () => {
    const csv = ["question,answer,task_type", "q1,a1,A", "q2,a2,A", "q3,a3,A", "q4,a4,B"].join("\n");
    const cols = await raw(server.url, "/api/setup/columns", {
      method: "POST",
      headers: JSON_HEADERS,
      body: JSON.stringify({ file: "t.csv", text: csv }),
    });
    expect(JSON.parse(cols.body)).toEqual({
      columns: ["question", "answer", "task_type"],
      rows: 4,
      preview: [
        ["q1", "a1", "A"],
        ["q2", "a2", "A"],
        ["q3", "a3", "A"],
        ["q4", "a4", "B"],
      ],
    });
    const post = (body: object) =>
      raw(server.url, "/api/setup/evals", {
        method: "POST",
        headers: JSON_HEADERS,
        body: JSON.stringify(body),
      });
    const form = {
      name: "Controls",
      file: "t.csv",
      text: csv,
      taskCriteria: "c",
      models: [{ key: "mock/good", inputCostPer1k: 0.5, outputCostPer1k: 1.5 }],
      judges: ["mock/judge"],
      perTask: 2,
      latencyOnly: true,
      promptOptimization: "optimize_only",
      stream: false,
      invocationSleepMs: 5,
      experiments: 2,
      experimentWaitMs: 7,
    };
    const bad = await post({ ...form, experiments: 0, invocationSleepMs: -1, perTask: 1.5, stream: "no" });
    expect(JSON.parse(bad.body).problems).toEqual([
      "perTask: must be a whole number ≥ 1 (got 1.5)",
      "experiments: must be a whole number ≥ 1 (got 0)",
      "invocationSleepMs: must be a number of ms ≥ 0 (got -1)",
      "stream: must be true or false",
    ]);
    const saved = await post(form);
    expect(saved.status, saved.body).toBe(200);
    expect(JSON.parse(saved.body).scenarios).toBe(3);
    const dir = join(root, "ui-evals", "controls");
    expect(parse(readFileSync(join(dir, "evals.config.yaml"), "utf8")).run).toEqual({
      experiments: 2,
      experimentWaitMs: 7,
      invocationSleepMs: 5,
      stream: false,
      latencyOnly: true,
      promptOptimization: "optimize_only",
    });
    expect(JSON.parse(readFileSync(join(dir, "models.jsonl"), "utf8"))).toMatchObject({
      model_id: "mock/good",
      input_token_cost: 0.5,
      output_token_cost: 1.5,
    });

    // The saved config is what a run from it (the dashboard's queue or `evals -c`) is started with.
    const runId = await newRun({ config: join(dir, "evals.config.yaml") });
    const report = JSON.parse(
      readFileSync(join(out, "runs", runId, "run.json"), "utf8"),
    ) as RunReportWithResults;
    expect(report.config.run).toMatchObject({
      latencyOnly: true,
      promptOptimization: "optimize_only",
      stream: false,
      invocationSleepMs: 5,
      experiments: 2,
      experimentWaitMs: 7,
    });
    expect(report.config.models[0]).toMatchObject({ inputCostPer1k: 0.5, outputCostPer1k: 1.5 });
    expect(report.cases).toHaveLength(3 * 2);

    // Load config: the run's settings back in the form's terms.
    const from = JSON.parse((await raw(server.url, `/api/setup/from/${runId}`)).body) as SetupFromRun;
    expect(from).toMatchObject({
      runId,
      models: [{ key: "mock/good", inputCostPer1k: 0.5, outputCostPer1k: 1.5, serviceTier: null }],
      // A latency-only run reads no judge file (the seed's dashboard writes an empty one), so it has no judges to load.
      judges: [],
      run: {
        latencyOnly: true,
        promptOptimization: "optimize_only",
        stream: false,
        invocationSleepMs: 5,
        experiments: 2,
        experimentWaitMs: 7,
      },
    });
    expect((await raw(server.url, "/api/setup/from/nope")).status).toBe(404);

    // A run of an older jury, whose run.json lacks the newer settings: they load as the defaults it ran with.
    const older = await newRun();
    const file = join(out, "runs", older, "run.json");
    const json = JSON.parse(readFileSync(file, "utf8")) as RunReportWithResults;
    const { latencyOnly: _l, invocationSleepMs: _s, experimentWaitMs: _w, ...run } = json.config.run;
    writeFileSync(file, JSON.stringify({ ...json, config: { ...json.config, run } }));
    const olderFrom = JSON.parse((await raw(server.url, `/api/setup/from/${older}`)).body) as SetupFromRun;
    expect(olderFrom.run).toMatchObject({ latencyOnly: false, invocationSleepMs: 0, experimentWaitMs: 0 });
  });
});
