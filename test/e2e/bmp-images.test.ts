// Issue 17 #10: no provider takes BMP. A BMP is sent as a PNG of the same pixels (real SDKs, the simulator, which
// answers with the media type and hash of the image it received); one that cannot be converted says just that.
import { createHash } from "node:crypto";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startEvals } from "../../src/node.ts";
import { bmpToPng } from "../../src/providers/bmp-to-png.ts";
import { type Simulator, startSimulator } from "../../src/simulator/server.ts";
import { decodePng, pixels, writeBmp } from "../support/bitmaps.ts";
import { createFixtureProject } from "../support/fixture-project.ts";
import { runCli } from "../support/run-cli.ts";
import { stubProviderCredentials } from "../support/simulated-credentials.ts";

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ ttftMs: 0, tokensPerS: 0, seed: "bmp" });
  stubProviderCredentials();
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await sim.close();
});

const line = (o: object) => JSON.stringify(o);
const image = pixels(7, 4, (x, y) => [x * 36, y * 80, 255 - x * 30, 255]);
const bmp = writeBmp(image, { bpp: 24 });
const rle = Buffer.from(bmp);
rle.writeUInt32LE(1, 30); // BI_RLE8
const MODELS = () =>
  [
    { model_id: "bedrock/us.amazon.nova-pro-v1:0", region: "us-east-1", base_url: sim.url },
    { model_id: "openai/gpt-4o-mini", base_url: `${sim.url}/v1` },
    { model_id: "gemini/gemini-2.0-flash", base_url: sim.url },
  ]
    .map(line)
    .join("\n");
/** A project whose one scenario sends `name` (holding `image`) to every model of MODELS. */
const visionProject = (name: string, image: Uint8Array) =>
  createFixtureProject({
    "config/models_profiles.jsonl": MODELS(),
    "config/judge_profiles.jsonl": line({ model_id: "mock/judge" }),
    "evals/v.eval.jsonl": line({
      text_prompt: "Describe the image.",
      task: { task_type: "Vision", task_criteria: "c" },
      url_image: name,
    }),
    [`evals/${name}`]: image,
  });
const quiet = new Writable({ write: (_c, _e, cb) => cb() });

describe("BMP images", () => {
  it("reach Bedrock, OpenAI and Gemini as a PNG of the same pixels", async () => {
    const root = visionProject("photo.bmp", bmp);
    const { report, results } = await startEvals({ root, stdout: quiet, stderr: quiet, minPassRate: 0 });
    const png = bmpToPng(bmp);
    const decoded = decodePng(png);
    expect({ width: decoded.width, height: decoded.height }).toEqual({ width: 7, height: 4 });
    expect(Buffer.from(decoded.rgba).equals(Buffer.from(image.rgba))).toBe(true);
    const sent = `[image image/png ${png.length} bytes sha256:${createHash("sha256").update(png).digest("hex").slice(0, 12)}]`;
    const byModel = Object.fromEntries(
      (await results.all()).map((r) => [
        report.cases.find((c) => c.id === r.caseId)?.model,
        r.error?.message ?? r.output?.match(/\[image [^\]]*\]/)?.[0],
      ]),
    );
    expect(byModel).toEqual({
      "bedrock/us.amazon.nova-pro-v1:0@us-east-1": sent,
      "openai/gpt-4o-mini": sent,
      "gemini/gemini-2.0-flash": sent,
    });
  });

  it("an RLE-compressed BMP in a scenario: exit 2 at load, saying only what is true", async () => {
    const root = visionProject("rle.bmp", rle);
    const res = await runCli(root, []);
    expect(res.code).toBe(2);
    expect(res.stderr).toBe(
      [
        "error: 1 problem in the input; nothing was run.",
        "  evals/v.eval.jsonl:1: url_image: evals/rle.bmp: BMP with RLE8 compression is not supported; convert it to PNG",
        "",
      ].join("\n"),
    );
  });

  it("an RLE-compressed BMP a task sends: the case errors saying only what is true, not 'does not support vision'", async () => {
    const root = createFixtureProject({
      "config/models_profiles.jsonl": MODELS(),
      "config/judge_profiles.jsonl": line({ model_id: "mock/judge" }),
      "evals/v.eval.ts": `
import { defineEval } from "jury";
defineEval("task image", {
  models: ["bedrock/us.amazon.nova-pro-v1:0@us-east-1"],
  scenarios: [{ prompt: "Describe the image." }],
  task: ({ scenario, generate }) => generate({ prompt: scenario.prompt, image: "./rle.bmp" }),
});
`,
      "evals/rle.bmp": rle,
    });
    const { results } = await startEvals({ root, stdout: quiet, stderr: quiet, minPassRate: 0 });
    const [result] = await results.all();
    expect(result?.state).toBe("errored");
    expect(result?.error?.message).toBe(
      `image ${root}/evals/rle.bmp: BMP with RLE8 compression is not supported; convert it to PNG`,
    );
  });
});
