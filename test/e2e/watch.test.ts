import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createFixtureProject } from "../support/fixture-project.ts";

const ENTRY = fileURLToPath(new URL("../support/cli-entry.ts", import.meta.url));
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
    const child = spawn(
      process.execPath,
      [
        "--import",
        import.meta.resolve("tsx"),
        "--conditions",
        "source",
        ENTRY,
        "--watch",
        "--min-pass-rate",
        "0",
      ],
      {
        cwd: root,
        env: { ...process.env, NO_COLOR: "1", CI: "true" },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    const waitFor = async (pred: () => boolean, what: string) => {
      for (let i = 0; i < 300 && !pred(); i++) await new Promise((r) => setTimeout(r, 50));
      if (!pred()) throw new Error(`timed out waiting for ${what}; output:\n${out}`);
    };
    const waits = () => out.split("Waiting for file changes").length - 1;
    await waitFor(() => waits() === 1, "the first run");
    expect(out).toContain("3 cases · 2 eval files");

    writeFileSync(join(root, "evals", "a.eval.jsonl"), `${scenario("A")}\n${scenario("A2")}`);
    await waitFor(() => waits() === 2, "the re-run");
    const rerun = out.slice(out.indexOf("Changed:"));
    expect(rerun).toContain("Changed: evals/a.eval.jsonl");
    expect(rerun).toContain("2 cases · 1 eval file");
    // The unchanged scenario was replayed from the cache.
    expect(rerun).toMatch(/Cache {2}2 calls replayed/);

    child.kill("SIGINT");
    const code = await new Promise((r) => child.once("exit", r));
    expect(code).toBe(0);
  }, 30_000);
});
