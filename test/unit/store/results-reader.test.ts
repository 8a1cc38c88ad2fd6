import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readResultsFile } from "../../../src/store/report-file.ts";
import { resultsInMemory, resultsReader } from "../../../src/store/results-reader.ts";
import type { CaseResult, ResultsReader } from "../../../src/types.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const dir = () => {
  const d = mkdtempSync(join(tmpdir(), "jury-results-reader-"));
  dirs.push(d);
  return d;
};

const result = (id: string, state: CaseResult["state"] = "passed"): CaseResult => ({
  caseId: id,
  state,
  reasons: [],
  checks: [],
  output: `answer of ${id} — ünïcödé ✓`,
});

async function collect(reader: ResultsReader): Promise<CaseResult[]> {
  const out: CaseResult[] = [];
  for await (const r of reader) out.push(r);
  return out;
}

describe("resultsReader", () => {
  it("reads nothing until asked, then one result per case, the last line of a case winning, in first-seen order", async () => {
    const d = dir();
    const file = join(d, "results.jsonl");
    const reader = resultsReader(file); // the file does not exist yet: nothing is read here
    const rows = [result("a", "failed"), result("b"), result("a")];
    writeFileSync(file, `${rows.map((r) => JSON.stringify(r)).join("\n")}\n{"torn`);
    expect(reader.file).toBe(file);
    expect(await collect(reader)).toEqual([result("a"), result("b")]);
    expect(await reader.all()).toEqual([result("a"), result("b")]);
    // Not kept: read again on each use.
    writeFileSync(file, `${JSON.stringify(result("c"))}\n`);
    expect(await reader.all()).toEqual([result("c")]);
    expect(await collect(reader)).toEqual([result("c")]);
  });

  it("says the file is gone when the run dir was removed, never an empty list", async () => {
    const reader = resultsReader(join(dir(), "nowhere.jsonl"));
    await expect(reader.all()).rejects.toThrow(/nowhere\.jsonl is gone: read the run's results before/);
    await expect(collect(reader)).rejects.toThrow(/is gone/);
    expect(readResultsFile(join(dir(), "nowhere.jsonl"))).toEqual([]);
  });
});

describe("resultsInMemory", () => {
  it("hands out the results it holds, with no file", async () => {
    const rows = [result("a"), result("b", "errored")];
    const reader = resultsInMemory(rows);
    expect(reader.file).toBeUndefined();
    expect(await collect(reader)).toEqual(rows);
    const all = await reader.all();
    expect(all).toEqual(rows);
    expect(all).not.toBe(rows);
  });
});
