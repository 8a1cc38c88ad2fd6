import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { OutputWriteError } from "../../../src/errors.ts";
import { ResultsWriter } from "../../../src/store/results-writer.ts";
import type { CaseRecord, CaseResult } from "../../../src/types.ts";
import { diskWithRoomFor, type FullDisk } from "../../support/full-disk.ts";
import { tempDir } from "../../support/temp-dir.ts";

const record = (id: string): CaseRecord =>
  ({ id, file: "evals/a.eval.jsonl", evalName: "a", scenarioKey: id, model: "mock/a" }) as CaseRecord;
const result = (id: string, state: CaseResult["state"] = "passed"): CaseResult => ({
  caseId: id,
  state,
  reasons: [],
  checks: [],
  output: `answer ${id} ${"x".repeat(200)}`,
  ...(state === "errored"
    ? { error: { name: "Error", message: "boom", classification: "api_failure" } }
    : {}),
});
const lines = (file: string) => readFileSync(file, "utf8").split("\n").filter(Boolean);

let disk: FullDisk | undefined;
afterEach(() => {
  disk?.restore();
  disk = undefined;
});

describe("ResultsWriter on a disk that fills up", () => {
  it("cuts a half-written line back, keeps every line whole, and names the file, ENOSPC and the results kept", () => {
    const dir = tempDir("jury-writer-");
    writeFileSync(join(dir, "results.jsonl"), `${JSON.stringify(result("old"))}\n`);
    const writer = new ResultsWriter(dir, 1);
    disk = diskWithRoomFor(Buffer.byteLength(JSON.stringify(result("c1"))) * 2 + 100); // 2 lines and a half
    writer.append(result("c1"), record("c1"));
    writer.append(result("c2"), record("c2"));
    let thrown: unknown;
    try {
      writer.append(result("c3"), record("c3"));
    } catch (err) {
      thrown = err;
    }
    writer.close();
    expect(thrown).toBeInstanceOf(OutputWriteError);
    expect((thrown as OutputWriteError).code).toBe("EVALS_OUTPUT_WRITE");
    expect((thrown as OutputWriteError).exitCode).toBe(2);
    expect((thrown as Error).message).toMatch(
      /results\.jsonl: the disk is full \(ENOSPC\) — 3 results kept; free space and run `evals --resume latest`$/,
    );
    const file = join(dir, "results.jsonl");
    const text = readFileSync(file, "utf8");
    expect(text.endsWith("\n")).toBe(true);
    expect(lines(file).map((l) => (JSON.parse(l) as CaseResult).caseId)).toEqual(["old", "c1", "c2"]);
    expect(statSync(file).size).toBe(Buffer.byteLength(text));
  });

  it("an errored result is in both files or in neither: a failed unprocessed.jsonl line also cuts its results.jsonl line", () => {
    const dir = tempDir("jury-writer-");
    const writer = new ResultsWriter(dir);
    disk = diskWithRoomFor(Buffer.byteLength(JSON.stringify(result("e1", "errored"))) + 10);
    expect(() => writer.append(result("e1", "errored"), record("e1"))).toThrow(
      /unprocessed\.jsonl: the disk is full/,
    );
    disk.grow(1e6);
    writer.append(result("e2", "errored"), record("e2"));
    writer.close();
    expect(lines(join(dir, "results.jsonl")).map((l) => (JSON.parse(l) as CaseResult).caseId)).toEqual([
      "e2",
    ]);
    expect(lines(join(dir, "unprocessed.jsonl")).map((l) => JSON.parse(l).caseId)).toEqual(["e2"]);
  });

  it.each([
    ["EDQUOT", "the disk quota is exceeded (EDQUOT)"],
    ["EIO", "the device failed to write (EIO)"],
    ["EROFS", "the file system is read-only (EROFS)"],
  ])("%s is named too", (code, words) => {
    const dir = tempDir("jury-writer-");
    const writer = new ResultsWriter(dir);
    disk = diskWithRoomFor(0, code);
    expect(() => writer.append(result("c1"), record("c1"))).toThrow(
      `results.jsonl: ${words} — 0 results kept`,
    );
    writer.close();
    expect(readFileSync(join(dir, "results.jsonl"), "utf8")).toBe("");
  });
});
