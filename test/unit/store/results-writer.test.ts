import { spawnSync } from "node:child_process";
import { fstatSync, readFileSync, readlinkSync, statSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { OutputWriteError } from "../../../src/errors.ts";
import { ResultsWriter } from "../../../src/store/results-writer.ts";
import { replaceWriteForTests } from "../../../src/store/write-all.ts";
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

describe("ResultsWriter.queue: the results of one turn in one write per file", () => {
  /** Counts the write(2) calls per file name while `run` runs. */
  const countWrites = async (run: () => Promise<void>) => {
    const writes = new Map<string, number>();
    const restore = replaceWriteForTests((fd, buf, offset, length) => {
      const name = readlinkSync(`/proc/self/fd/${fd}`).split("/").at(-1) as string;
      writes.set(name, (writes.get(name) ?? 0) + 1);
      return writeSync(fd, buf, offset, length);
    });
    try {
      await run();
    } finally {
      restore();
    }
    return Object.fromEntries(writes);
  };

  it.skipIf(process.platform !== "linux")(
    "writes the same lines as append, one write per file for all the results queued in a turn",
    async () => {
      const ids = ["c1", "c2", "e3", "c4", "e5"];
      const resultOf = (id: string) => result(id, id.startsWith("e") ? "errored" : "passed");
      const appended = tempDir("jury-writer-");
      const one = new ResultsWriter(appended);
      for (const id of ids) one.append(resultOf(id), record(id));
      one.close();

      const queued = tempDir("jury-writer-");
      const writer = new ResultsWriter(queued);
      const writes = await countWrites(async () => {
        const done = ids.map((id) => writer.queue(resultOf(id), record(id)));
        // Not on disk before the turn ends: nothing was reported yet either.
        expect(readFileSync(join(queued, "results.jsonl"), "utf8")).toBe("");
        await Promise.all(done);
      });
      writer.close();
      expect(writes).toEqual({ "results.jsonl": 1, "unprocessed.jsonl": 1, "results.idx": 1 });
      expect(readFileSync(join(queued, "results.jsonl"), "utf8")).toBe(
        readFileSync(join(appended, "results.jsonl"), "utf8"),
      );
      expect(readFileSync(join(queued, "results.idx"), "utf8")).toBe(
        readFileSync(join(appended, "results.idx"), "utf8"),
      );
      const unprocessed = (dir: string) =>
        lines(join(dir, "unprocessed.jsonl")).map((l) => ({ ...JSON.parse(l), at: undefined }));
      expect(unprocessed(queued)).toEqual(unprocessed(appended));
    },
  );

  it.skipIf(process.platform !== "linux")(
    "on a disk that fills up mid-batch: the results that fit are kept whole, the first that does not and every one after it reject",
    async () => {
      const dir = tempDir("jury-writer-");
      writeFileSync(join(dir, "results.jsonl"), `${JSON.stringify(result("old"))}\n`);
      const writer = new ResultsWriter(dir, 1);
      // A results.jsonl that can grow to 3 lines and a half: a cut frees its space, as on a real disk.
      const room = Math.floor(Buffer.byteLength(JSON.stringify(result("c1"))) * 3.5);
      const restore = replaceWriteForTests((fd, buf, offset, length) => {
        const free = readlinkSync(`/proc/self/fd/${fd}`).endsWith("results.jsonl")
          ? room - fstatSync(fd).size
          : length;
        if (free <= 0) throw Object.assign(new Error("ENOSPC: write failed"), { code: "ENOSPC" });
        return writeSync(fd, buf, offset, Math.min(length, free));
      });
      disk = { free: 0, grow: () => undefined, restore };
      const outcomes = await Promise.allSettled(
        ["c1", "c2", "c3", "c4"].map((id) => writer.queue(result(id), record(id))),
      );
      writer.close();
      expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "fulfilled", "rejected", "rejected"]);
      const [, , third, fourth] = outcomes as [
        unknown,
        unknown,
        PromiseRejectedResult,
        PromiseRejectedResult,
      ];
      expect(third.reason).toBeInstanceOf(OutputWriteError);
      expect((third.reason as Error).message).toMatch(
        /results\.jsonl: the disk is full \(ENOSPC\) — 3 results kept; free space and run `evals --resume latest`$/,
      );
      expect(fourth.reason).toBe(third.reason);
      const file = join(dir, "results.jsonl");
      expect(readFileSync(file, "utf8").endsWith("\n")).toBe(true);
      expect(lines(file).map((l) => (JSON.parse(l) as CaseResult).caseId)).toEqual(["old", "c1", "c2"]);
    },
  );

  // The process is the subject: it ends before the turn does.
  it.each([
    ["process.exit (a second Ctrl-C)", "process.exit(130)", 130],
    ["an uncaught error", "throw new Error('crash')", 1],
  ])("results queued are on disk when the process ends by %s in the same turn", (_, end, code) => {
    const dir = tempDir("jury-writer-");
    const writer = fileURLToPath(new URL("../../../src/store/results-writer.ts", import.meta.url));
    const script = `
      const { ResultsWriter } = await import(${JSON.stringify(writer)});
      const w = new ResultsWriter(${JSON.stringify(dir)});
      for (const id of ["a", "b", "c"]) w.queue({ caseId: id, state: "passed", reasons: [], checks: [], output: id }, { id, file: "f" }).catch(() => {});
      ${end};
    `;
    const child = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      encoding: "utf8",
    });
    expect(child.status).toBe(code);
    expect(lines(join(dir, "results.jsonl")).map((l) => (JSON.parse(l) as CaseResult).caseId)).toEqual([
      "a",
      "b",
      "c",
    ]);
  });
});
