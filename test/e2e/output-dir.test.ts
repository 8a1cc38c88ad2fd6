// An output dir runs cannot be written to (issue 15, point 13), and a reporter module that cannot be loaded
// (point 18): exit 2 with the path and what is wrong, before anything runs — no eval file collected in a worker,
// no model called, no run dir left behind.
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Simulator, startSimulator } from "../../src/simulator/server.ts";
import { createFixtureProject } from "../support/fixture-project.ts";
import { BUILT_CLI, runCli } from "../support/run-cli.ts";
import { tempDir } from "../support/temp-dir.ts";

const line = (o: object) => JSON.stringify(o);
const HINT = "hint: Point --output-dir (or outputDir in the config) at a directory you can write.\n";
const isRoot = process.getuid?.() === 0;
const canMount = (() => {
  const probe = tempDir("jury-mount-probe-");
  return (
    spawnSync("unshare", ["-rm", "sh", "-c", `mount -t tmpfs -o size=64k tmpfs '${probe}'`]).status === 0
  );
})();

describe("before anything runs", () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ ttftMs: 1, tokensPerS: 0, seed: "outdir" });
  });
  afterAll(async () => {
    await sim.close();
  });
  const requests = () => Object.values(sim.stats.requests).reduce((a, b) => a + b, 0);

  /** A project whose .eval.ts leaves a marker when a worker collects it, on a model of the simulator. */
  const project = () => {
    const root = createFixtureProject({
      "config/models_profiles.jsonl": line({ model_id: "openai-compatible/sim", base_url: `${sim.url}/v1` }),
      "config/judge_profiles.jsonl": line({ model_id: "mock/j" }),
      "evals/a.eval.ts": [
        'import { writeFileSync } from "node:fs";',
        'import { defineEval } from "jury";',
        'writeFileSync(new URL("../collected", import.meta.url), "");',
        'defineEval("a", { scenarios: [{ prompt: "Q?", golden: "A." }] });',
      ].join("\n"),
    });
    return { root, nothingRan: () => !existsSync(join(root, "collected")) };
  };

  it("an output dir that is a file: exit 2 naming it, no eval file collected, no model called", async () => {
    const { root, nothingRan } = project();
    writeFileSync(join(root, "out"), "a file");
    const before = requests();
    const res = await runCli(root, ["--output-dir", "out"]);
    expect(res.code).toBe(2);
    // Today's main: the eval file was collected by a worker and the model called (the access check) first.
    expect(nothingRan()).toBe(true);
    expect(requests()).toBe(before);
    expect(res.stderr).toBe(
      `error: cannot write runs to ${join(root, "out")}: it is a file, not a directory\n${HINT}`,
    );
  });

  it("a file where its runs/ dir goes: exit 2 naming that file", async () => {
    const { root, nothingRan } = project();
    mkdirSync(join(root, "out"));
    writeFileSync(join(root, "out", "runs"), "a file");
    const res = await runCli(root, ["--output-dir", "out"]);
    expect(res.stderr).toBe(
      `error: cannot write runs to ${join(root, "out")}: ${join(root, "out", "runs")} is a file, not a directory\n${HINT}`,
    );
    expect(res.code).toBe(2);
    expect(nothingRan()).toBe(true);
  });

  it.skipIf(isRoot)(
    `a read-only dir (chmod 555): exit 2, permission denied${isRoot ? " — skipped: running as root, where chmod 555 does not stop a write" : ""}`,
    async () => {
      const { root, nothingRan } = project();
      mkdirSync(join(root, "out"));
      chmodSync(join(root, "out"), 0o555);
      try {
        const res = await runCli(root, ["--output-dir", "out"]);
        expect(res.stderr).toBe(
          `error: cannot write runs to ${join(root, "out")}: permission denied (EACCES)\n${HINT}`,
        );
        expect(res.code).toBe(2);
        expect(nothingRan()).toBe(true);
      } finally {
        chmodSync(join(root, "out"), 0o755);
      }
    },
  );

  it.skipIf(!canMount)(
    `a read-only mount: exit 2, EROFS${canMount ? "" : " — skipped: this machine does not let a test mount (unshare -rm)"}`,
    () => {
      const { root, nothingRan } = project();
      mkdirSync(join(root, "out"));
      const sh = spawnSync(
        "unshare",
        [
          "-rm",
          "sh",
          "-c",
          `mount -t tmpfs -o ro,size=64k tmpfs out && exec '${process.execPath}' '${BUILT_CLI}' --output-dir out`,
        ],
        {
          cwd: root,
          env: { ...process.env, NO_COLOR: "1", CI: "true", GITHUB_ACTIONS: "" },
          encoding: "utf8",
        },
      );
      expect(sh.stderr).toBe(
        `error: cannot write runs to ${join(root, "out")}: it is on a read-only file system (EROFS)\n${HINT}`,
      );
      expect(sh.status).toBe(2);
      expect(nothingRan()).toBe(true);
    },
  );

  it("a reporter module that does not exist: exit 2 naming it, and no run dir left 'running'", async () => {
    const { root } = project();
    const res = await runCli(root, ["--reporter", "./missing.ts"]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(
      /^error: cannot load reporter \.\/missing\.ts: Cannot find module '.*missing\.ts'/,
    );
    const runs = join(root, "outputs", "runs");
    expect(existsSync(runs) ? readdirSync(runs) : []).toEqual([]);
  });
});
