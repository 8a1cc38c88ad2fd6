import { execFileSync } from "node:child_process";
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { stripVTControlCharacters } from "node:util";
import { describe, expect, it } from "vitest";
import { startWatch } from "../../src/cli/commands/watch.ts";
import { withIoContext } from "../../src/io-context.ts";
import type { TextSink } from "../../src/types.ts";
import { createFixtureProject } from "../support/fixture-project.ts";
import { startBuiltCli } from "../support/run-cli.ts";

const line = (o: object) => JSON.stringify(o);
const scenario = (p: string) =>
  line({ text_prompt: p, task: { task_type: "T", task_criteria: "c" }, golden_answer: `${p} answered.` });

describe("--watch", () => {
  it("runs, then re-runs just the changed eval file with the cache on, until Ctrl-C", async () => {
    const root = createFixtureProject({
      "config/models_profiles.jsonl": line({ model_id: "mock/m", mock: { ttft_ms: 0, tokens_per_s: 0 } }),
      "config/judge_profiles.jsonl": line({ model_id: "mock/j" }),
      "evals/a.eval.jsonl": scenario("A"),
      "evals/b.eval.jsonl": `${scenario("B")}\n${scenario("B2")}`,
    });
    // The built CLI in a child process: Ctrl-C, which ends the watch, is sent to a process.
    const cli = startBuiltCli(root, ["--watch", "--min-pass-rate", "0"]);
    const waits = (out: { stdout: string }) => out.stdout.split("Waiting for file changes").length - 1;
    const waitFor = (n: number, what: string) => cli.waitFor((out) => waits(out) === n, what);
    await waitFor(1, "the first run");
    expect(cli.stdout).toContain("3 cases · 2 eval files");

    writeFileSync(join(root, "evals", "a.eval.jsonl"), `${scenario("A")}\n${scenario("A2")}`);
    await waitFor(2, "the re-run");
    const rerun = cli.stdout.slice(cli.stdout.indexOf("Changed:"));
    expect(rerun).toContain("Changed: evals/a.eval.jsonl");
    expect(rerun).toContain("2 cases · 1 eval file");
    // The unchanged scenario was replayed from the cache.
    expect(rerun).toMatch(/Cache {2}2 calls replayed/);

    cli.child.kill("SIGINT");
    expect(await cli.exited).toBe(0);
  }, 30_000);
});

describe("--watch: what re-runs", () => {
  it("re-runs for eval files, what they import and new eval files; never for its own output, ignored files or dotfiles", async () => {
    const root = createFixtureProject({
      "config/models_profiles.jsonl": line({ model_id: "mock/m", mock: { ttft_ms: 0, tokens_per_s: 0 } }),
      "config/judge_profiles.jsonl": line({ model_id: "mock/j" }),
      "evals/a.eval.jsonl": scenario("A"),
      "evals/code.eval.ts": `import { defineEval } from "jury";
import { prompt } from "./helpers/prompt.ts";
defineEval("code", { scenarios: [{ prompt: prompt() }] });
`,
      "evals/helpers/prompt.ts": `import { word } from "./words.js";\nexport const prompt = () => "Say " + word;\n`,
      "evals/helpers/words.ts": `export const word = "hello";\n`,
      ".gitignore": "scratch/\n*.log\n",
    });
    execFileSync("git", ["init", "-q"], { cwd: root });
    const write = (path: string, text: string) => {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    };
    // The console goes to ./watch.out too, as with `evals -w > watch.out`: it used to re-run on its own output.
    let out = "";
    const waiters = new Set<() => void>();
    const stdout: TextSink = {
      isTTY: false,
      write(chunk: string) {
        out += stripVTControlCharacters(chunk);
        appendFileSync(join(root, "watch.out"), chunk);
        for (const w of waiters) w();
        return true;
      },
    };
    const stderr: TextSink = { isTTY: false, write: (chunk: string) => stdout.write(chunk) };
    const count = (text: string) => out.split(text).length - 1;
    /** Resolves once the watch has finished its `n`th run and waits again. */
    const runs = (n: number) =>
      new Promise<void>((done) => {
        const check = () => {
          if (count("Waiting for file changes") >= n) {
            waiters.delete(check);
            done();
          }
        };
        waiters.add(check);
        check();
      });
    const lastRun = () => out.slice(out.lastIndexOf("Changed:"));
    const env = { ...process.env, CI: "true", NO_COLOR: "1", GITHUB_ACTIONS: "" };
    const watch = withIoContext({ env, colors: false }, () =>
      startWatch({ minPassRate: 0 }, { stdout, stderr, env, cwd: root }),
    );
    try {
      await runs(1);
      expect(out).toContain("2 cases · 2 eval files");

      // None of these re-runs; the eval file's edit after them re-runs once, that file alone.
      write("scratch/notes.eval.jsonl", scenario("gitignored"));
      write("debug.log", "x");
      write(".env.local", "X=1");
      write(".cache/x.eval.ts", "export {};");
      write("outputs/extra.eval.jsonl", scenario("in the output dir"));
      write("notes.txt", "not an eval, not imported");
      write("evals/a.eval.jsonl", `${scenario("A")}\n${scenario("A2")}`);
      await runs(2);
      expect(count("Changed:")).toBe(1);
      expect(lastRun()).toMatch(/^Changed: evals\/a\.eval\.jsonl\n/);
      expect(lastRun()).toContain("2 cases · 1 eval file");

      // A module an eval file imports through another: everything re-runs (the git-ignored eval file too: a run
      // finds eval files by the include globs, as \`evals\` does; being ignored only keeps it from starting one).
      write("evals/helpers/words.ts", `export const word = "bye";\n`);
      await runs(3);
      expect(count("Changed:")).toBe(2);
      expect(lastRun()).toMatch(/^Changed: evals\/helpers\/words\.ts\n/);
      expect(lastRun()).toContain("4 cases · 3 eval files");

      // A new eval file the run finds.
      write("evals/new.eval.jsonl", scenario("N"));
      await runs(4);
      expect(count("Changed:")).toBe(3);
      expect(lastRun()).toMatch(/^Changed: evals\/new\.eval\.jsonl\n/);
      expect(lastRun()).toContain("1 case · 1 eval file");

      // The profiles: everything re-runs.
      write(
        "config/models_profiles.jsonl",
        line({ model_id: "mock/m2", mock: { ttft_ms: 0, tokens_per_s: 0 } }),
      );
      await runs(5);
      expect(count("Changed:")).toBe(4);
      expect(lastRun()).toMatch(/^Changed: config\/models_profiles\.jsonl\n/);
      expect(lastRun()).toContain("5 cases · 4 eval files · 1 model");
      // The new profile is the one that ran (off a terminal the console names files, not models: read the run's record).
      const runDir = /Results {2}(\S+)/.exec(lastRun())?.[1];
      expect(runDir).toBeDefined();
      const run = readFileSync(join(root, runDir as string, "run.json"), "utf8");
      expect(run).toContain('"mock/m2"');
      expect(run).not.toContain('"mock/m"');
    } finally {
      expect(await watch.stop()).toBe(0);
    }
  }, 60_000);
});
