// CLI start-up: `evals --version` and `evals list` on a project of F eval files (generated: `.eval.jsonl` files of 2
// scenarios each, one mock/ model, 3 mock/ judges), median of R runs each, with the built CLI (`node bin/evals.js`,
// dist/) and from the TypeScript sources (tsx, as bin/evals.js does without a build). A dist/ older than some
// src/ file is flagged: `npm run build` first for figures of the current code.
//
//   node --import tsx --conditions source bench/startup.ts [runs=10] [files=1000]
import { spawnSync } from "node:child_process";
import { existsSync, rmSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createFixtureProject } from "../test/support/fixture-project.ts";
import { newerSources } from "./support/built.ts";
import { median, printTable } from "./support/table.ts";

const [runs = 10, files = 1000] = process.argv.slice(2).map(Number);
const REPO = fileURLToPath(new URL("..", import.meta.url));
const BUILT = join(REPO, "dist/src/cli/index.js");
const TSX = import.meta.resolve("tsx");

const project: Record<string, string> = {
  "config/models_profiles.jsonl": JSON.stringify({ model_id: "mock/bench", mock: { quality: 1 } }),
  "config/judge_profiles.jsonl": ["a", "b", "c"]
    .map((j) => JSON.stringify({ model_id: `mock/judge-${j}` }))
    .join("\n"),
};
for (let f = 0; f < files; f++)
  project[`evals/group-${f % 20}/file-${f}.eval.jsonl`] = [0, 1]
    .map((i) =>
      JSON.stringify({
        text_prompt: `File ${f}, question ${i}: what is ${f} + ${i}?`,
        task: { task_type: `T${f % 5}`, task_criteria: "Answer with the number." },
        golden_answer: String(f + i),
      }),
    )
    .join("\n");
const root = createFixtureProject(project);

/** Median wall time of `runs` runs of the CLI with these args, in the fixture project; throws on a non-zero exit. */
function time(nodeArgs: string[], cliArgs: string[]): number {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [...nodeArgs, ...cliArgs], {
      cwd: root,
      encoding: "utf8",
      maxBuffer: 256 * 1024 * 1024,
      env: { ...process.env, NO_COLOR: "1" },
    });
    ms.push(performance.now() - t0);
    if (r.status !== 0)
      throw new Error(`evals ${cliArgs.join(" ")} exited ${r.status}: ${r.stderr.slice(-2000)}`);
  }
  return median(ms);
}

const modes: [string, string[]][] = [];
if (existsSync(BUILT)) modes.push(["built (node bin/evals.js)", [join(REPO, "bin/evals.js")]]);
modes.push(["source (tsx)", ["--conditions", "source", "--import", TSX, join(REPO, "bin/evals-source.mjs")]]);
const bare = time(["-e", "0"], []);
const rows: [string, string][] = [
  ["machine cores", String(availableParallelism())],
  ["runs each (median)", String(runs)],
  ["project", `${files} .eval.jsonl files, ${files * 2} scenarios, 1 model, 3 judges`],
  ["node -e 0 (Node itself)", `${bare.toFixed(0)} ms`],
];
if (existsSync(BUILT)) {
  const built = statSync(BUILT).mtimeMs;
  const stale = newerSources(join(REPO, "src"), built);
  rows.push([
    "dist/ build",
    `${new Date(built).toISOString()}${stale > 0 ? ` — OLDER than ${stale} src/ file(s): npm run build for current figures` : ""}`,
  ]);
} else rows.push(["dist/ build", "missing (npm run build): source mode only"]);
for (const [label, nodeArgs] of modes) {
  rows.push([`${label}: evals --version`, `${time(nodeArgs, ["--version"]).toFixed(0)} ms`]);
  rows.push([`${label}: evals list (${files} files)`, `${time(nodeArgs, ["list"]).toFixed(0)} ms`]);
}
rmSync(root, { recursive: true, force: true });
printTable(rows);
