// The dashboard server over real HTTP: Host/Origin checks, path traversal, body limits, the JSON API.
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEvals } from "../../../src/runner/start.ts";
import { createUiServer, type UiServer } from "../../../src/ui/server.ts";
import { createFixtureProject } from "../../support/fixture-project.ts";
import { raw } from "../../support/raw-http.ts";

const line = (o: object) => JSON.stringify(o);
const quiet = () => new Writable({ write: (_c, _e, cb) => cb() });

describe("the dashboard server", () => {
  let server: UiServer;
  let root: string;
  let runId: string;

  beforeAll(async () => {
    root = createFixtureProject({
      "config/models_profiles.jsonl": [
        line({ model_id: "mock/good", mock: { quality: 1, ttft_ms: 0, tokens_per_s: 0 } }),
        line({ model_id: "mock/<b>bad</b>", mock: { quality: 0, ttft_ms: 0, tokens_per_s: 0 } }),
      ].join("\n"),
      "config/judge_profiles.jsonl": line({ model_id: "mock/judge" }),
      "evals/a.eval.jsonl": [1, 2, 3]
        .map((i) =>
          line({
            text_prompt: `Q${i}`,
            task: { task_type: "T", task_criteria: "c" },
            golden_answer: `Answer ${i}.`,
          }),
        )
        .join("\n"),
      "secret.txt": "do not serve me",
    });
    const run = await startEvals({ root, stdout: quiet(), stderr: quiet(), minPassRate: 0 });
    runId = run.report.runId;
    server = await createUiServer({ root, port: 0, maxBodyBytes: 4096 });
  });
  afterAll(async () => {
    await server?.close();
  });

  it("serves the app with a Content-Security-Policy, on 127.0.0.1 by default", async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await raw(server.url, "/");
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(res.headers["content-security-policy"]).toContain("script-src 'self'");
    expect(res.body).toContain('<main id="app">');
    const local = await raw(server.url, "/", { headers: { host: `localhost:${new URL(server.url).port}` } });
    expect(local.status).toBe(200);
  });

  it("refuses another Host (DNS rebinding) and another Origin (CSRF)", async () => {
    const port = new URL(server.url).port;
    const rebound = await raw(server.url, "/api/runs", { headers: { host: `attacker.example:${port}` } });
    expect(rebound.status).toBe(403);
    expect(JSON.parse(rebound.body)).toEqual({
      error: `forbidden: unexpected Host header "attacker.example:${port}"`,
    });
    expect((await raw(server.url, "/", { headers: { host: "127.0.0.1:1" } })).status).toBe(403);

    const csrf = await raw(server.url, `/api/runs/${runId}/rerun-failed`, {
      method: "POST",
      headers: { origin: "http://attacker.example", "content-type": "application/json" },
      body: "{}",
    });
    expect(csrf.status).toBe(403);
    expect(JSON.parse(csrf.body)).toEqual({
      error: 'forbidden: cross-origin request from "http://attacker.example"',
    });
    const crossSite = await raw(server.url, "/api/reports", {
      method: "POST",
      headers: { "sec-fetch-site": "cross-site", "content-type": "application/json" },
      body: "{}",
    });
    expect(crossSite.status).toBe(403);
    // A form post (no JSON content type) is refused even from the same origin.
    const form = await raw(server.url, "/api/reports", {
      method: "POST",
      headers: { origin: server.url, "content-type": "application/x-www-form-urlencoded" },
      body: "runIds=x",
    });
    expect(form.status).toBe(415);
    expect(queueLength(server)).toBe(0);
  });

  it("serves files of the output dir only: traversal attempts get 404", async () => {
    const ok = await raw(server.url, `/files/runs/${runId}/run.json`);
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body).runId).toBe(runId);
    expect(ok.headers["content-security-policy"]).toContain("sandbox");
    for (const path of [
      "/files/../secret.txt",
      "/files/..%2fsecret.txt",
      "/files/%2e%2e/secret.txt",
      "/files/%2e%2e%2fsecret.txt",
      "/files/runs/..%2f..%2fsecret.txt",
      "/files/..%5csecret.txt",
      "/files/%2fetc%2fpasswd",
      "/files//etc/passwd",
      "/files/runs%00.json",
      "/files/",
      "/assets/../../package.json",
      "/assets/..%2f..%2fpackage.json",
    ]) {
      const res = await raw(server.url, path);
      expect([400, 404], `${path} → ${res.status}`).toContain(res.status);
      expect(res.body).not.toContain("do not serve me");
      expect(res.body).not.toContain('"name": "jury"');
    }
  });

  it("limits the size of uploads", async () => {
    const res = await raw(server.url, "/api/setup/columns", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ file: "big.csv", text: "x".repeat(10_000) }),
    });
    expect(res.status).toBe(413);
  });

  it("lists runs and pages a run's cases with filters", async () => {
    const runs = JSON.parse((await raw(server.url, "/api/runs")).body) as {
      runs: { runId: string; status: string; total: number }[];
    };
    expect(runs.runs.map((r) => [r.runId, r.status, r.total])).toEqual([[runId, "completed", 6]]);
    const page = JSON.parse(
      (await raw(server.url, `/api/runs/${runId}/cases?pageSize=4&page=2&sort=scenarioKey`)).body,
    );
    expect([page.total, page.page, page.pages, page.rows.length]).toEqual([6, 2, 2, 2]);
    expect(page.facets.models).toEqual(["mock/<b>bad</b>", "mock/good"]);
    const failed = JSON.parse((await raw(server.url, `/api/runs/${runId}/cases?state=failed`)).body);
    expect(failed.rows.map((r: { model: string }) => r.model)).toEqual([
      "mock/<b>bad</b>",
      "mock/<b>bad</b>",
      "mock/<b>bad</b>",
    ]);
    const id = failed.rows[0].id as string;
    const detail = JSON.parse((await raw(server.url, `/api/runs/${runId}/case?id=${id}`)).body);
    expect(detail.result.state).toBe("failed");
    expect(detail.scenario.prompt).toMatch(/^Q\d$/);
    expect((await raw(server.url, "/api/runs/..%2f..%2fsecret")).status).toBe(404);
  });
});

function queueLength(s: UiServer): number {
  return s.queue.list().length;
}
