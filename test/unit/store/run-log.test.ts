import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { RunLog, runLogFile } from "../../../src/store/run-log.ts";
import { tempDir } from "../../support/temp-dir.ts";

describe("runLogFile", () => {
  it("is 360-benchmark-<runId>[-<name>].log in the run dir, the one there already for a resumed run", () => {
    const dir = tempDir("jury-runlog-");
    expect(runLogFile(dir, "20261207-010203-004-abcd")).toBe(
      join(dir, "360-benchmark-20261207-010203-004-abcd.log"),
    );
    expect(runLogFile(dir, "r1", "Nightly run/../x")).toBe(
      join(dir, "360-benchmark-r1-Nightly-run-..-x.log"),
    );
    writeFileSync(join(dir, "360-benchmark-r0-first.log"), "");
    expect(runLogFile(dir, "r1", "renamed")).toBe(join(dir, "360-benchmark-r0-first.log"));
  });
});

describe("RunLog", () => {
  it("appends timestamped lines in the seed's format, each on disk when line() returns", () => {
    const file = join(tempDir("jury-runlog-"), "a.log");
    const log = new RunLog(file);
    log.line("INFO", "Starting", new Date("2026-12-07T01:02:03.004Z"));
    expect(readFileSync(file, "utf8")).toBe("2026-12-07T01:02:03.004Z - INFO - Starting\n");
    log.line("ERROR", "Case x errored", new Date("2026-12-07T01:02:04.000Z"));
    expect(readFileSync(file, "utf8").split("\n")[1]).toBe(
      "2026-12-07T01:02:04.000Z - ERROR - Case x errored",
    );
  });

  it("queue()d lines (a line per case) are written at the end of the turn, before any later line()", async () => {
    const file = join(tempDir("jury-runlog-"), "a.log");
    const log = new RunLog(file);
    const at = new Date("2026-12-07T01:02:03.004Z");
    log.queue("INFO", "Case a passed", at);
    log.queue("WARNING", "Case b failed", at);
    expect(existsSync(file)).toBe(false);
    await new Promise((resolve) => setImmediate(resolve));
    expect(readFileSync(file, "utf8")).toBe(
      `${at.toISOString()} - INFO - Case a passed\n${at.toISOString()} - WARNING - Case b failed\n`,
    );
    log.queue("INFO", "Case c passed", at);
    log.line("INFO", "Run done", at);
    expect(readFileSync(file, "utf8").split("\n").slice(2, 4)).toEqual([
      `${at.toISOString()} - INFO - Case c passed`,
      `${at.toISOString()} - INFO - Run done`,
    ]);
  });

  it("a log that cannot be opened or written (a full disk: /dev/full) stops logging without throwing", () => {
    const missing = new RunLog(join(tempDir("jury-runlog-"), "no", "such", "dir.log"));
    expect(() => missing.line("INFO", "x")).not.toThrow();
    if (existsSync("/dev/full")) {
      const full = new RunLog("/dev/full");
      expect(() => full.line("INFO", "x")).not.toThrow();
      expect(() => full.line("INFO", "y")).not.toThrow();
    }
  });
});
