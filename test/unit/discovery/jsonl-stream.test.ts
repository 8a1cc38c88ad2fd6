// A `.eval.jsonl` is read as a stream and its scenarios are not held: each is read again from its line when asked.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadEvalJsonl, parseEvalJsonl } from "../../../src/discovery/jsonl.ts";
import { formatProblem } from "../../../src/errors.ts";
import { planCases } from "../../../src/plan/expand.ts";
import { planInput } from "../../support/plan.ts";
import { tempDir } from "../../support/temp-dir.ts";

const row = (i: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    text_prompt: `question ${i} — café ☕ ${"é".repeat(i % 7)}`,
    task: { task_type: `T${i % 3}`, task_criteria: "c" },
    golden_answer: `answer ${i}`,
    ...extra,
  });

const write = (text: string | Buffer): { abs: string; file: string } => {
  const abs = join(tempDir("jury-jsonl-stream-"), "s.eval.jsonl");
  writeFileSync(abs, text);
  return { abs, file: "evals/s.eval.jsonl" };
};

describe("loadEvalJsonl as a stream", () => {
  it("gives the scenarios, problems and warnings parseEvalJsonl gives for the same text, over many 1 MB reads", async () => {
    // Multi-byte characters everywhere, CRLF line ends, a byte order mark, blank lines, ids, a bad line and a
    // duplicate: ~2.5 MB, so lines and characters straddle the reader's 1 MB chunks.
    const lines = Array.from({ length: 24_000 }, (_, i) =>
      i === 5
        ? "{not json"
        : i === 9
          ? ""
          : row(i, {
              ...(i % 5 === 0 ? { id: `s-${i}` } : {}),
              ...(i === 7 ? { id: "s-0" } : {}),
              ...(i % 11 === 0 ? { temperature: 0.3, user_defined_metrics: "tone" } : {}),
              ...(i === 13 ? { skip: true } : {}),
            }),
    );
    const text = `\uFEFF${lines.join("\r\n")}\r\n`;
    const { abs, file } = write(text);
    const streamed = await loadEvalJsonl(abs, file);
    const whole = parseEvalJsonl(text, abs, file);
    expect(streamed.problems.map(formatProblem)).toEqual(whole.problems.map(formatProblem));
    expect(streamed.problems.map(formatProblem)).toEqual([
      "evals/s.eval.jsonl:6: invalid JSON: Expected property name or '}' at column 2",
      'evals/s.eval.jsonl:8: id: duplicate id "s-0" (first used on line 1); ids must be unique in a file',
    ]);
    expect(streamed.warnings).toEqual(whole.warnings);
    expect(streamed.eval.scenarios).toHaveLength(whole.eval.scenarios.length);
    expect([...streamed.eval.scenarios]).toEqual(whole.eval.scenarios);
    expect(JSON.stringify(streamed.eval.scenarios)).toBe(JSON.stringify(whole.eval.scenarios));
  });

  it("holds no scenario: each is read again from its line when asked, and a changed line is an error naming it", async () => {
    const { abs, file } = write([row(1), row(2), row(3)].join("\n"));
    const loaded = await loadEvalJsonl(abs, file);
    const second = loaded.eval.scenarios[1];
    expect(second?.prompt).toBe("question 2 — café ☕ éé");
    // A new object at each read, of the same content.
    expect(loaded.eval.scenarios[1]).not.toBe(second);
    expect(loaded.eval.scenarios[1]).toEqual(second);
    // A prompt edited in place (same line, same length, same key) is a changed file too: a run never mixes a
    // scenario's old and new text under one case id.
    const fresh = await loadEvalJsonl(abs, file);
    writeFileSync(abs, readFileSync(abs, "utf8").replace("question 2", "question X"));
    expect(() => fresh.eval.scenarios[1]).toThrow(
      expect.objectContaining({
        code: "EVALS_EVAL_FILE_CHANGED",
        message: expect.stringMatching(/^evals\/s\.eval\.jsonl:2: the file changed after it was read/),
      }),
    );
    // A line that no longer holds the scenario it held is refused, with its file and line.
    const again = await loadEvalJsonl(abs, file);
    writeFileSync(abs, readFileSync(abs, "utf8").replace('"text_prompt"', '"text_promp_"'));
    expect(() => again.eval.scenarios[0]).toThrow(
      expect.objectContaining({
        code: "EVALS_EVAL_FILE_CHANGED",
        message: expect.stringMatching(/^evals\/s\.eval\.jsonl:1: the file changed after it was read/),
      }),
    );
  });

  it("plans from what it keeps of each scenario, and a task's scenario is the one parseEvalJsonl gives", async () => {
    const text = [
      row(1),
      row(2, { id: "two", temperature: 0.2, user_defined_metrics: ["brand"] }),
      row(3, { skip: true }),
      row(4, { url_image: "https://example.com/a.png" }),
    ].join("\n");
    const { abs, file } = write(text);
    const streamed = await loadEvalJsonl(abs, file);
    const whole = parseEvalJsonl(text, abs, file);
    const input = { temperatureVariations: 1, invocations: 2 } as const;
    const lazy = planCases(planInput([streamed.eval], input));
    const eager = planCases(planInput([whole.eval], input));
    expect(lazy.cases.map((c) => c.record)).toEqual(eager.cases.map((c) => c.record));
    expect(lazy.skipped).toEqual(eager.skipped);
    expect(lazy.cases.map((c) => c.task)).toEqual(eager.cases.map((c) => c.task));
    expect(lazy.cases.map((c) => c.task.scenario)).toEqual(eager.cases.map((c) => c.task.scenario));
    const noImages = planCases(planInput([streamed.eval], { vision: false }));
    expect(noImages.cases.map((c) => c.task.scenario.image)).toEqual(noImages.cases.map(() => undefined));
  });

  it("names a UTF-16 file's encoding, once", async () => {
    const { abs, file } = write(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(row(1), "utf16le")]));
    const loaded = await loadEvalJsonl(abs, file);
    expect(loaded.problems.map(formatProblem)).toEqual([
      "evals/s.eval.jsonl: encoded as UTF-16; save it as UTF-8",
    ]);
  });
});
