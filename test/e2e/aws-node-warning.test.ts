// The AWS SDK warns in 9 lines, from every thread that creates a client, that it needs Node 22 after January 2027.
// A run with a bedrock/ profile says it once, in one line of jury's, and the SDK's own warning never shows. The
// process's stderr is the subject (the SDK writes there, from the main thread and from workers): the built binary.
import { stripVTControlCharacters } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awsNodeSupportWarning } from "../../src/providers/aws-node-support.ts";
import { type Simulator, startSimulator } from "../../src/simulator/server.ts";
import { createFixtureProject } from "../support/fixture-project.ts";
import { startBuiltCli } from "../support/run-cli.ts";

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ ttftMs: 0, tokensPerS: 0, seed: "aws-node-warning" });
});
afterAll(async () => {
  await sim.close();
});

const NODE_MAJOR = Number(process.versions.node.split(".")[0]);
const OUR_LINE = `warning: Node ${NODE_MAJOR} is past end of life; the AWS SDK drops support for it in January 2027 — upgrade to Node 22 or 24`;

describe("Node 20 and the AWS SDK", () => {
  it("a run with a bedrock/ profile: one line of ours on Node 20 (none on 22+), never the SDK's warning", async () => {
    const root = createFixtureProject({
      "config/models_profiles.jsonl": `${JSON.stringify({
        model_id: "bedrock/us.amazon.nova-lite-v1:0",
        region: "us-west-2",
        base_url: sim.url,
        input_token_cost: 0.00006,
        output_token_cost: 0.00024,
      })}\n`,
      "config/judge_profiles.jsonl": `${JSON.stringify({
        model_id: "bedrock/us.anthropic.claude-3-7-sonnet-20250219-v1:0",
        region: "us-west-2",
        base_url: sim.url,
      })}\n`,
      "evals/hi.eval.jsonl": [1, 2, 3]
        .map((i) =>
          JSON.stringify({ text_prompt: `Say hello ${i}.`, task: { task_type: "T", task_criteria: "c" } }),
        )
        .join("\n"),
    });
    // Two workers taking one case each at a time (so both start, 3 cases): the SDK is loaded by more than one thread.
    const cli = startBuiltCli(root, ["--workers", "2", "--concurrency", "2", "--min-pass-rate", "0"], {
      AWS_ACCESS_KEY_ID: "AKIASIMULATED0000000",
      AWS_SECRET_ACCESS_KEY: "simulated-secret-key-0000000000",
    });
    expect(await cli.exited).toBe(0);
    const stderr = stripVTControlCharacters(cli.stderr);
    expect(stderr).not.toMatch(/NodeVersionSupportWarning|AWS SDK for JavaScript|a\.co\/c895JFp/);
    const ours = stderr.split("\n").filter((l) => l.includes("past end of life"));
    expect(ours).toEqual(NODE_MAJOR < 22 ? [OUR_LINE] : []);
  });

  it("names the Node major and what to do, only below Node 22 and only with an AWS provider", () => {
    expect(awsNodeSupportWarning("v20.19.1", ["mock", "bedrock"])).toBe(
      "Node 20 is past end of life; the AWS SDK drops support for it in January 2027 — upgrade to Node 22 or 24",
    );
    expect(awsNodeSupportWarning("v20.19.1", ["openai", "mock"])).toBeUndefined();
    expect(awsNodeSupportWarning("v22.12.0", ["bedrock"])).toBeUndefined();
    expect(awsNodeSupportWarning("v24.1.0", ["bedrock"])).toBeUndefined();
  });
});
