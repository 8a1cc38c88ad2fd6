// The access check's head start: a run's first cases go out while its probes are under way, and count only once the
// check kept the plan. In front of the simulator, a server that holds the probes until a case's call arrives (a run
// whose cases wait for the check never gets past them: the test times out), answers `judge-down` as an unknown
// model, and logs what it saw.
import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEvals } from "../../src/node.ts";
import { type Simulator, startSimulator } from "../../src/simulator/server.ts";
import { createFixtureProject } from "../support/fixture-project.ts";
import { capture } from "../support/streams.ts";

const PROBE = "Reply with OK.";
let sim: Simulator;
let server: Server;
let url: string;
/** What the server saw, in order: a probe held, a case's call, a probe let through. */
let seen: ("probe held" | "case call" | "probe answered")[] = [];
let caseArrived: () => void = () => undefined;
/** Resolves at the first case call since the last reset. */
let firstCase: Promise<void>;
const reset = () => {
  seen = [];
  firstCase = new Promise<void>((resolve) => {
    caseArrived = resolve;
  });
};

beforeAll(async () => {
  sim = await startSimulator({ ttftMs: 20, tokensPerS: 0, seed: "head-start" });
  // A call abandoned with its run (a dropped head start, the pool closed) may still be under way here: its failure
  // ends that response, never the test process.
  server = createServer((req, res) => void forward(req, res).catch(() => res.destroy()));
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await sim.close();
});

async function forward(req: IncomingMessage, res: ServerResponse): Promise<void> {
  let body = "";
  for await (const chunk of req) body += chunk;
  const request = JSON.parse(body) as { model: string; messages: { content: string }[] };
  if (request.model === "judge-down") {
    res.writeHead(404, { "content-type": "application/json" });
    res.end(
      JSON.stringify({
        error: {
          message: "The model `judge-down` does not exist",
          type: "invalid_request_error",
          code: "model_not_found",
        },
      }),
    );
    return;
  }
  if (request.messages.some((m) => m.content === PROBE)) {
    seen.push("probe held");
    await firstCase;
    seen.push("probe answered");
  } else {
    seen.push("case call");
    caseArrived();
  }
  const answer = await fetch(`${sim.url}${req.url}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: String(req.headers.authorization) },
    body,
  });
  res.writeHead(answer.status, {
    "content-type": answer.headers.get("content-type") ?? "application/json",
  });
  for await (const chunk of answer.body ?? []) res.write(chunk);
  res.end();
}

const profile = (model: string) => JSON.stringify({ model_id: `openai-compatible/${model}`, base_url: url });
const project = (judges: string[]) =>
  createFixtureProject({
    "config/models_profiles.jsonl": profile("target"),
    "config/judge_profiles.jsonl": judges.map(profile).join("\n"),
    "evals/q.eval.jsonl": ["Paris", "Rome", "Oslo", "Bern"]
      .map((city) =>
        JSON.stringify({
          text_prompt: `Which city is ${city}?`,
          task: { task_type: "QA", task_criteria: "Names the city." },
          golden_answer: city,
        }),
      )
      .join("\n"),
  });

describe("the access check's head start", () => {
  it("sends the first cases while the probes are under way, and records each case once", async () => {
    reset();
    const root = project(["judge-a", "judge-b"]);
    const out = capture();
    const { report, results } = await startEvals({ root, stdout: out.stream, stderr: capture().stream });
    // A case's call reached the server while the probes were held: the cases did not wait for the check.
    expect(seen.indexOf("case call")).toBeGreaterThanOrEqual(0);
    expect(seen.indexOf("case call")).toBeLessThan(seen.indexOf("probe answered"));
    expect(out.text()).toMatch(/Access check\n(\s+openai-compatible\/\S+\s+\S+\s+✓ \d+ms\n){3}/);
    const all = await results.all();
    // Judged by both judges (the simulator's answers do not all pass: what counts is that each was judged).
    for (const r of all) expect(r.jury?.verdicts.map((v) => v.status)).toEqual(["scored", "scored"]);
    expect(new Set(all.map((r) => r.caseId)).size).toBe(4);
    expect(report.cases).toHaveLength(4);
  }, 60_000);

  it("sends the first case at concurrency 1 too: the probes do not take the case's place on its thread", async () => {
    reset();
    const root = project(["judge-a"]);
    const { report } = await startEvals({
      root,
      concurrency: 1,
      stdout: capture().stream,
      stderr: capture().stream,
    });
    expect(seen.indexOf("case call")).toBeGreaterThanOrEqual(0);
    expect(seen.indexOf("case call")).toBeLessThan(seen.indexOf("probe answered"));
    expect(report.cases).toHaveLength(4);
  }, 30_000);

  it("is dropped when the check changes the plan: the cases run again with the jury the check left", async () => {
    reset();
    const root = project(["judge-a", "judge-down"]);
    const err = capture();
    const { results } = await startEvals({ root, stdout: capture().stream, stderr: err.stream });
    expect(err.text()).toContain(
      "warning: judge openai-compatible/judge-down is not reachable and leaves the jury",
    );
    const all = await results.all();
    expect(new Set(all.map((r) => r.caseId)).size).toBe(4);
    // The head-started cases had judge-down on their jury: none of their answers was recorded.
    expect(JSON.stringify(all)).not.toContain("judge-down");
    for (const r of all)
      expect(r.jury?.verdicts.map((v) => `${v.judge} ${v.status}`)).toEqual([
        "openai-compatible/judge-a scored",
      ]);
  }, 60_000);

  it("is abandoned when the run is interrupted during the check: nothing recorded, the run interrupted", async () => {
    reset();
    const root = project(["judge-a"]);
    const stop = new AbortController();
    void firstCase.then(() => stop.abort());
    const { report, results } = await startEvals({
      root,
      signal: stop.signal,
      stdout: capture().stream,
      stderr: capture().stream,
    });
    expect(report.status).toBe("interrupted");
    expect(await results.all()).toEqual([]);
  }, 60_000);
});
