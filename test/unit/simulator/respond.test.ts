import { crc32 } from "node:zlib";
import { describe, expect, it } from "vitest";
import { STANDARD_DIMENSIONS } from "../../../src/discovery/metric-keys.ts";
import { parseVerdict } from "../../../src/jury/parse-verdict.ts";
import { buildJudgePrompt } from "../../../src/jury/prompt.ts";
import { encodeEventStreamMessage } from "../../../src/simulator/event-stream.ts";
import { countTokens, parseJudgePrompt, simulatedAnswer } from "../../../src/simulator/respond.ts";

const dims = [...STANDARD_DIMENSIONS, { key: "brand_voice", name: "brand voice" }];

describe("the simulator reads our judge prompt back", () => {
  it("finds prompt, golden answer, response and dimensions", () => {
    const { user } = buildJudgePrompt({
      taskType: "QA",
      criteria: "c",
      prompt: "Q?\n\nwith a blank line",
      golden: "G.",
      response: "R.",
      dimensions: dims,
    });
    expect(parseJudgePrompt(user)).toEqual({
      prompt: "Q?\n\nwith a blank line",
      golden: "G.",
      response: "R.",
      dimensions: dims,
    });
  });

  it("answers a judge request with a verdict our parser accepts: exact → 5s", () => {
    const { user } = buildJudgePrompt({
      taskType: "QA",
      criteria: "",
      prompt: "Q?",
      golden: "The answer.",
      response: "The answer.",
      dimensions: dims,
    });
    const answer = simulatedAnswer(
      { model: "m", system: "", prompt: user, images: [], maxTokens: 2048 },
      "seed",
    );
    expect(answer.judge).toBe(true);
    const verdict = parseVerdict(answer.text, dims);
    expect(verdict.ok && Object.values(verdict.scores)).toEqual([5, 5, 5, 5, 5, 5, 5]);
  });

  it("answers other prompts deterministically, within max tokens", () => {
    const req = { model: "m", system: "", prompt: "one two three four five six", images: [], maxTokens: 5 };
    expect(simulatedAnswer(req, "a")).toEqual({ text: "Simulated answer from m. You", judge: false });
    expect(parseJudgePrompt("just a question")).toBeUndefined();
  });
});

describe("the simulator's token count", () => {
  // The usage it reports counts the runs of non-whitespace, as /\S+/g matches them: every code unit the regex
  // calls whitespace splits a token, every other one (surrogates included) belongs to one.
  const regexCount = (s: string) => s.match(/\S+/g)?.length ?? 0;

  it("splits where /\\s/ matches, for every UTF-16 code unit", () => {
    for (let c = 0; c < 0x10000; c++) {
      const ch = String.fromCharCode(c);
      const text = `a${ch}b ${ch}${ch}c${ch}`;
      if (countTokens(text) !== regexCount(text)) expect.fail(`U+${c.toString(16)}: ${countTokens(text)}`);
    }
  });

  it("counts texts as the regex does", () => {
    for (const text of [
      "",
      " ",
      "one",
      "  two  words ",
      "a\tb\nc\r\nd",
      "x\u00a0y\u3000z\ufeff",
      "😀 😀😀 é",
    ])
      expect(countTokens(text)).toBe(regexCount(text));
  });
});

describe("AWS event-stream framing", () => {
  it("writes lengths, a prelude CRC and a message CRC", () => {
    const msg = encodeEventStreamMessage({ ":event-type": "x" }, Buffer.from("{}"));
    const headers = 1 + 11 + 1 + 2 + 1;
    expect(msg.readUInt32BE(0)).toBe(12 + headers + 2 + 4);
    expect(msg.readUInt32BE(4)).toBe(headers);
    expect(msg.readUInt32BE(8)).toBe(crc32(msg.subarray(0, 8)));
    expect(msg.readUInt32BE(msg.length - 4)).toBe(crc32(msg.subarray(0, msg.length - 4)));
    expect(msg.subarray(12, 12 + headers).toString("latin1")).toBe("\u000b:event-type\u0007\u0000\u0001x");
  });
});
