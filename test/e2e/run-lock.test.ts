// Two `evals --resume latest` of one run at once (issue 15, point 14): the run dir's lock lets exactly one go on;
// the other exits 2 naming the holder, and no case is recorded twice. Child processes of the built CLI: the
// lock is per process.
import { existsSync, readFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, startBuiltCli } from "../support/run-cli.ts";
import { resultsOf, resumableProject, untilLines } from "../support/run-results.ts";

describe("the run dir lock", () => {
  it("two resumes of one killed run started at once: one runs it to the end, the other exits 2 naming it", async () => {
    const root = resumableProject();
    const killed = startBuiltCli(root, ["--concurrency", "4"]);
    if (await untilLines(root, 3, killed)) killed.child.kill("SIGKILL");
    await killed.exited;
    const { runDir, lines: before } = resultsOf(root);
    expect(before.length).toBeLessThan(120);

    const args = ["--resume", "latest", "--concurrency", "4", "--min-pass-rate", "0"];
    const both = [startBuiltCli(root, args), startBuiltCli(root, args)];
    const codes = await Promise.all(both.map((c) => c.exited));
    // Every case recorded once (today's main: 120 cases, far more lines).
    const ids = resultsOf(root).lines.map((r) => r.caseId);
    expect(ids).toHaveLength(120);
    expect(new Set(ids).size).toBe(120);
    expect([...codes].sort()).toEqual([0, 2]);
    const [winner, loser] = (codes[0] === 0 ? both : [...both].reverse()) as [
      (typeof both)[number],
      (typeof both)[number],
    ];
    expect(loser.stderr).toMatch(
      new RegExp(
        `^error: run dir ${runDir.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} is in use: pid ${winner.child.pid} on host ${hostname()} \\(started [^)]+\\) is running it\\nhint: Wait for it to end \\(or stop it\\)\\. If that process is gone, remove \\S+run\\.lock and run again\\.\\n$`,
      ),
    );
    // The killed run left its lock (its pid is gone): the winner took it over.
    expect(winner.stderr).toMatch(
      /warning: took over the lock of .+: pid \d+ on host .+ is no longer running/,
    );
    expect(JSON.parse(readFileSync(join(runDir, "run.json"), "utf8")).status).toBe("completed");
    expect(existsSync(join(runDir, "run.lock"))).toBe(false);
  });

  it("a resume of a run that is still going is refused, in process too (exit 2, the run goes on)", async () => {
    const root = resumableProject();
    const running = startBuiltCli(root, ["--concurrency", "4", "--min-pass-rate", "0"]);
    await untilLines(root, 1, running);
    const second = await runCli(root, ["--resume", "latest", "--min-pass-rate", "0"]);
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(`is in use: pid ${running.child.pid} on host ${hostname()}`);
    expect(await running.exited).toBe(0);
    const ids = resultsOf(root).lines.map((r) => r.caseId);
    expect(new Set(ids).size).toBe(120);
    expect(ids).toHaveLength(120);
  });
});
