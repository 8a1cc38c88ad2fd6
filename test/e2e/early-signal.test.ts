// Ctrl-C that arrives while the built CLI is still loading (before any command installs its handler): exit 130
// and no stack trace, whatever the command. The process is the subject: the built binary in a child process, the
// signal sent on the event of the CLI's first SIGINT listener (announced by a preload), never after a sleep.
import { fileURLToPath } from "node:url";
import { describe, it } from "vitest";
import { createFixtureProject } from "../support/fixture-project.ts";
import { startBuiltCli } from "../support/run-cli.ts";

const PRELOAD = fileURLToPath(new URL("../support/announce-sigint-listener.mjs", import.meta.url));
/** The line the preload writes (its SIGINT_LISTENER_LINE). */
const SIGINT_LISTENER_LINE = "[test] first SIGINT listener added";

const project = () =>
  createFixtureProject({
    "config/models_profiles.jsonl": '{"model_id":"mock/m","mock":{"ttft_ms":0,"tokens_per_s":0}}\n',
    "config/judge_profiles.jsonl": '{"model_id":"mock/j"}\n',
    "evals/ok.eval.jsonl":
      '{"text_prompt":"Say hi.","task":{"task_type":"Chat","task_criteria":"Polite."}}\n',
  });

describe.concurrent("Ctrl-C before a command handles it", () => {
  it.for([
    ["list", ["list"]],
    ["validate", ["validate"]],
    ["a run", ["--reporter", "json"]],
  ] as const)("evals %s: exit 130, no stack trace", async ([, args], { expect }) => {
    const root = project();
    const cli = startBuiltCli(root, [...args], { NODE_OPTIONS: `--import=${PRELOAD}` });
    await cli.waitFor((out) => out.stderr.includes(SIGINT_LISTENER_LINE), "its first SIGINT listener");
    cli.child.kill("SIGINT");
    const code = await cli.exited;
    expect(cli.stderr).not.toMatch(/\n\s+at |internal error/);
    expect(code).toBe(130);
    // Interrupted while loading: a list or validate never printed its result.
    if (args[0] !== "--reporter") expect(cli.stdout).toBe("");
  });
});
