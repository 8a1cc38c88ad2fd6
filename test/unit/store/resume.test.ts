import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readResults } from "../../../src/store/resume.ts";
import { caseRecord, errored, passed } from "../../support/records.ts";
import { tempDir } from "../../support/temp-dir.ts";

describe("readResults (resume)", () => {
  it("cuts a torn last line off the file, however long, and skips a mangled one; the last line of a case wins", () => {
    const dir = tempDir("jury-resume-");
    const [a, b] = [caseRecord({ id: "a" }), caseRecord({ id: "b", scenarioKey: "L2" })];
    const lines = [errored(a), passed(b), passed(a)].map((r) => JSON.stringify(r));
    const whole = `${lines[0]}\n{"caseId":"mangled\n${lines[1]}\n${lines[2]}\n`;
    // A torn line longer than the 64 KB read back from the end at a time.
    writeFileSync(join(dir, "results.jsonl"), `${whole}{"caseId":"c","output":"${"x".repeat(200_000)}`);
    const { results, droppedTornLine } = readResults(dir);
    expect(droppedTornLine).toBe(true);
    expect(results).toEqual([passed(a), passed(b)]);
    expect(readFileSync(join(dir, "results.jsonl"), "utf8")).toBe(whole);
    // A whole file is left as it is.
    expect(readResults(dir).results).toEqual([passed(a), passed(b)]);
    expect(readFileSync(join(dir, "results.jsonl"), "utf8")).toBe(whole);
  });

  it("reads an intact file without changing it, and a file that is one torn line as empty", () => {
    const dir = tempDir("jury-resume-");
    const line = `${JSON.stringify(passed(caseRecord({ id: "a" })))}\n`;
    writeFileSync(join(dir, "results.jsonl"), line);
    expect(readResults(dir)).toEqual({ results: [passed(caseRecord({ id: "a" }))], droppedTornLine: false });
    writeFileSync(join(dir, "results.jsonl"), '{"caseId":"torn');
    expect(readResults(dir)).toEqual({ results: [], droppedTornLine: true });
    expect(readFileSync(join(dir, "results.jsonl"), "utf8")).toBe("");
  });
});
