// Issue 15 #17: a scenario's local image is checked at load, before anything runs: too large for a provider the
// plan sends it to, not an image, or missing, the run stops with exit 2 at the scenario's file:line. Only the
// file's size and first bytes are read (a 300 MB file is a sparse one here: nothing reads it whole).
import { existsSync, mkdirSync, readFileSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createFixtureProject } from "../support/fixture-project.ts";
import { runCli } from "../support/run-cli.ts";

const IMAGES = join(import.meta.dirname, "..", "..", "fixtures", "images");
const line = (o: object) => JSON.stringify(o);
const scenario = (image: string) =>
  line({ text_prompt: "Describe it.", task: { task_type: "Vision", task_criteria: "c" }, url_image: image });

/** A PNG of `bytes` bytes (its signature, then a hole). */
function bigPng(path: string, bytes: number): void {
  writeFileSync(path, readFileSync(join(IMAGES, "pixel.png")));
  truncateSync(path, bytes);
}

function project(files: Record<string, string | Uint8Array>): string {
  return createFixtureProject({
    "config/models_profiles.jsonl": [
      line({ model_id: "bedrock/us.amazon.nova-pro-v1:0", region: "us-east-1" }),
      line({ model_id: "openai-compatible/llava", base_url: "http://127.0.0.1:9/v1" }),
    ].join("\n"),
    "config/judge_profiles.jsonl": line({ model_id: "mock/j" }),
    ...files,
  });
}

describe("images are checked at load", () => {
  it("an image larger than a provider of the plan takes: exit 2, naming the file, its size and the limit", async () => {
    const root = project({
      "evals/v.eval.jsonl": [scenario("img/five.png"), scenario("img/huge.png")].join("\n"),
    });
    mkdirSync(join(root, "evals", "img"));
    bigPng(join(root, "evals", "img", "five.png"), 5_000_000);
    bigPng(join(root, "evals", "img", "huge.png"), 300_000_000);
    const res = await runCli(root, []);
    expect(res.code).toBe(2);
    expect(res.stderr).toBe(
      [
        "error: 3 problems in the input; nothing was run.",
        "  evals/v.eval.jsonl:1: url_image: evals/img/five.png is 5 MB, too large for bedrock/us.amazon.nova-pro-v1:0@us-east-1: Bedrock Converse takes images up to 3.75 MB",
        "  evals/v.eval.jsonl:2: url_image: evals/img/huge.png is 300 MB, too large for bedrock/us.amazon.nova-pro-v1:0@us-east-1: Bedrock Converse takes images up to 3.75 MB",
        "  evals/v.eval.jsonl:2: url_image: evals/img/huge.png is 300 MB, too large for openai-compatible/llava: OpenAI-compatible servers are held to OpenAI's 20 MB",
        "",
      ].join("\n"),
    );
    expect(existsSync(join(root, "outputs"))).toBe(false);
  });

  it("a file that is not an image: exit 2 at load, not a 'does not support vision' per case", async () => {
    const root = project({
      "evals/v.eval.jsonl": scenario("not-an-image.png"),
      "evals/not-an-image.png": readFileSync(join(IMAGES, "not-an-image.png")),
    });
    const res = await runCli(root, []);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(
      "evals/v.eval.jsonl:1: url_image: not an image: evals/not-an-image.png is not a JPG, PNG, GIF, WebP or BMP file",
    );
    expect(res.stderr).not.toContain("vision");
    expect(existsSync(join(root, "outputs"))).toBe(false);
  });

  it("in an .eval.ts too: a missing image and one too large, exit 2 before any case runs", async () => {
    const root = project({
      "evals/v.eval.ts": [
        'import { defineEval } from "jury";',
        'defineEval("vision", { scenarios: [',
        '  { id: "gone", prompt: "p", golden: "g", taskType: "T", criteria: "c", image: "missing.png" },',
        '  { id: "big", prompt: "p", golden: "g", taskType: "T", criteria: "c", image: "big.png" },',
        "] });",
      ].join("\n"),
    });
    bigPng(join(root, "evals", "big.png"), 25_000_000);
    const res = await runCli(root, []);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(
      "evals/v.eval.ts:2: vision › gone › image: file not found: evals/missing.png",
    );
    expect(res.stderr).toContain(
      "evals/v.eval.ts:2: vision › big › image: evals/big.png is 25 MB, too large for openai-compatible/llava: OpenAI-compatible servers are held to OpenAI's 20 MB",
    );
    expect(res.stderr).not.toContain("    at ");
    expect(existsSync(join(root, "outputs"))).toBe(false);
  });
});
