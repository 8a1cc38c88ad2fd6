import { describe, expect, it } from "vitest";
import { planOptionsOf, retryOptions } from "../../../src/plan/plan-options.ts";

describe("planOptionsOf", () => {
  it("keeps the options that decide a run's cases, as given, and nothing else", () => {
    expect(
      planOptionsOf({
        filters: [],
        invocations: 2,
        threshold: 4,
        concurrency: 8,
        maxAttempts: 3,
        reporters: ["json"],
      }),
    ).toEqual({ invocations: 2, threshold: 4 });
  });
});

describe("retryOptions", () => {
  const run = {
    runId: "r1",
    files: ["evals/a.eval.jsonl", "evals/b.eval.jsonl", "evals/a.eval.jsonl"],
    planOptions: { filters: ["a.eval", "b.eval"], testNamePattern: "x", shard: "2/3", invocations: 2 },
  };

  it("plans with the run's options and files, today's others kept; today's plan options differ: named", () => {
    const { options, warnings } = retryOptions(
      {
        filters: ["c.eval"],
        invocations: 5,
        shard: "1/2",
        maxAttempts: 4,
        minPassRate: 0.5,
        retryErrors: "r1",
      },
      run,
    );
    expect(options).toEqual({
      filters: ["evals/a.eval.jsonl", "evals/b.eval.jsonl"],
      invocations: 2,
      maxAttempts: 4,
      minPassRate: 0.5,
      retryErrors: "r1",
    });
    expect(warnings).toEqual([
      "--retry-errors retries run r1 as it was planned: today's file filters, --shard, --invocations are not used",
    ]);
  });

  it("says nothing when today's flags are the run's or none", () => {
    expect(retryOptions({ filters: [] }, run).warnings).toEqual([]);
    expect(retryOptions({ filters: ["a.eval", "b.eval"], invocations: 2 }, run).warnings).toEqual([]);
  });

  it("plans an older run (no plan options recorded) with today's flags, cut to its files, and says so", () => {
    const { options, warnings } = retryOptions(
      { filters: ["zzz"], invocations: 3 },
      { runId: "old", files: ["e.eval.jsonl"] },
    );
    expect(options).toEqual({ filters: ["e.eval.jsonl"], invocations: 3 });
    expect(warnings).toEqual([
      "run old records no plan options (an older run): its errored cases are planned with today's flags",
    ]);
  });
});
