// CLI start-up: `evals --version` and `evals list` on a project of F eval files (generated: `.eval.jsonl` files of 2
// scenarios each, one mock/ model, 3 mock/ judges), median of R runs each, with the built CLI (`node bin/evals.js`,
// dist/) and from the TypeScript sources (tsx, as bin/evals.js does without a build). A dist/ older than some
// src/ file is flagged: `npm run build` first for figures of the current code.
//
// Then what a config costs: the built CLI's `evals list` on a small project (2 mock/ models, 3 judges, 3 scenarios)
// with a YAML config, with the TypeScript config `evals init` writes (as is, and edited before each run, so compiled
// each time), and with that config and 5 `.eval.ts` files (collected in a worker thread), interleaved run by run so
// they share the machine's load. With
// `--baseline <checkout>` (another checkout of jury, built: e.g. `git worktree add /tmp/base <commit>`, link its
// node_modules, `npm run build` there) the same projects run with its CLI too, for before/after ratios.
//
// Last, what each package of src/vendor.ts costs to import in a fresh Node (the time around its `import()`, printed
// by the child, median of R, interleaved): the package as installed against its one-file bundle in dist/vendor.
//
//   node --import tsx --conditions jury-source bench/startup.ts [runs=10] [files=1000] [--baseline <checkout>]
import { spawnSync } from "node:child_process";
import { existsSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { VENDORED } from "../src/vendor.ts";
import { createFixtureProject } from "../test/support/fixture-project.ts";
import { newerSources } from "./support/built.ts";
import { median, printTable } from "./support/table.ts";

const argv = process.argv.slice(2);
const baselineAt = argv.indexOf("--baseline");
const BASELINE = baselineAt === -1 ? undefined : resolve(argv.splice(baselineAt, 2)[1] ?? "");
const [runs = 10, files = 1000] = argv.map(Number);
const EDITED = "TS config, edited before each run";
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

/** Wall time of one run of the CLI with these args, in `cwd`; throws on a non-zero exit. */
function once(nodeArgs: string[], cliArgs: string[], cwd: string): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [...nodeArgs, ...cliArgs], {
    cwd,
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: "1" },
  });
  const ms = performance.now() - t0;
  if (r.status !== 0)
    throw new Error(`evals ${cliArgs.join(" ")} exited ${r.status}: ${r.stderr.slice(-2000)}`);
  return ms;
}

/** Median wall time of `runs` runs of the CLI with these args, in the fixture project. */
function time(nodeArgs: string[], cliArgs: string[]): number {
  return median(Array.from({ length: runs }, () => once(nodeArgs, cliArgs, root)));
}

const modes: [string, string[]][] = [];
if (existsSync(BUILT)) modes.push(["built (node bin/evals.js)", [join(REPO, "bin/evals.js")]]);
modes.push([
  "source (tsx)",
  ["--conditions", "jury-source", "--import", TSX, join(REPO, "bin/evals-source.mjs")],
]);
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
if (existsSync(BUILT)) rows.push(...configRows(), ...vendorRows());
printTable(rows);

/** Each vendored package's import in a fresh Node: as installed, and its bundle (src/vendor.ts). */
function vendorRows(): [string, string][] {
  const importMs = (specifier: string) => {
    const code = `const t = performance.now(); await import(${JSON.stringify(specifier)}); process.stdout.write(String(performance.now() - t));`;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", code], {
      cwd: REPO,
      encoding: "utf8",
    });
    if (r.status !== 0) throw new Error(`import ${specifier} exited ${r.status}: ${r.stderr.slice(-2000)}`);
    return Number(r.stdout);
  };
  const out: [string, string][] = [];
  for (const [name, file] of Object.entries(VENDORED)) {
    const bundle = join(REPO, "dist", "vendor", file);
    if (!existsSync(bundle)) {
      out.push([`import ${name}`, `no bundle at ${bundle}: npm run build`]);
      continue;
    }
    const installed: number[] = [];
    const bundled: number[] = [];
    for (let i = 0; i < runs; i++) {
      installed.push(importMs(name));
      bundled.push(importMs(pathToFileURL(bundle).href));
    }
    const [a, b] = [median(installed), median(bundled)];
    out.push([
      `import ${name}: package / bundle`,
      `${a.toFixed(1)} / ${b.toFixed(1)} ms (${(a / b).toFixed(2)}×)`,
    ]);
  }
  return out;
}

/** `evals list` on the small project with each kind of config, by CLI (this checkout's, the baseline's). */
function configRows(): [string, string][] {
  const models = [
    '{"model_id": "mock/nova-like", "input_token_cost": 0.0008, "output_token_cost": 0.0032}',
    '{"model_id": "mock/haiku-like", "input_token_cost": 0.001, "output_token_cost": 0.005}',
  ].join("\n");
  const base = {
    "config/models_profiles.jsonl": models,
    "config/judge_profiles.jsonl": project["config/judge_profiles.jsonl"] as string,
    "evals/first.eval.jsonl": [1, 2, 3]
      .map((i) =>
        JSON.stringify({
          text_prompt: `What is ${i} + 1?`,
          task: { task_type: "Arithmetic", task_criteria: "Answer with the number." },
          golden_answer: String(i + 1),
        }),
      )
      .join("\n"),
  };
  const yaml = [
    'include: ["evals/**/*.eval.{jsonl,ts}"]',
    "models: config/models_profiles.jsonl",
    "judges: config/judge_profiles.jsonl",
    "jury: { threshold: 3, aggregate: mean }",
    "gate: { minPassRate: 1 }",
  ].join("\n");
  // What `evals init` writes (its comments aside).
  const ts = `import { defineConfig } from "jury";

export default defineConfig({
  include: ["evals/**/*.eval.{jsonl,ts}"],
  models: "config/models_profiles.jsonl",
  judges: "config/judge_profiles.jsonl",
  jury: { threshold: 3, aggregate: "mean" },
  gate: { minPassRate: 1 },
});
`;
  const evalTs: Record<string, string> = {
    "evals/support/rows.ts":
      'export interface Row { prompt: string; golden: string }\nexport const rows = (n: number): Row[] => [{ prompt: "What is " + n + " + 1?", golden: String(n + 1) }];\n',
  };
  for (let i = 0; i < 5; i++)
    evalTs[`evals/code-${i}.eval.ts`] = `import { checks, defineEval } from "jury";
import { rows } from "./support/rows.ts";

defineEval("code ${i}", { scenarios: rows(${i}), checks: [checks.contains("${i + 1}")] });
`;
  const kinds: [string, Record<string, string>][] = [
    ["YAML config", { ...base, "evals.config.yaml": yaml }],
    ["TS config (evals init's)", { ...base, "evals.config.ts": ts }],
    // Edited before every run: the config is compiled each time (no cached bundle to reuse).
    [EDITED, { ...base, "evals.config.ts": ts }],
    ["TS config + 5 .eval.ts", { ...base, "evals.config.ts": ts, ...evalTs }],
  ];
  const clis: [string, string][] = [["current", REPO]];
  if (BASELINE) clis.push(["baseline", BASELINE]);
  const cells = clis.flatMap(([cli, checkout]) =>
    kinds.map(([kind, files]) => {
      const dir = createFixtureProject(files);
      // The project imports the "jury" of the CLI that loads it.
      rmSync(join(dir, "node_modules", "jury"));
      symlinkSync(checkout, join(dir, "node_modules", "jury"), "dir");
      return { cli, kind, dir, entry: join(checkout, "bin/evals.js"), ms: [] as number[] };
    }),
  );
  for (const c of cells) once([c.entry], ["list"], c.dir); // warm the disk cache
  for (let i = 0; i < runs; i++)
    for (const c of cells) {
      if (c.kind === EDITED) writeFileSync(join(c.dir, "evals.config.ts"), `${ts}// edit ${i}\n`);
      c.ms.push(once([c.entry], ["list"], c.dir));
    }
  for (const c of cells) rmSync(c.dir, { recursive: true, force: true });
  const at = (cli: string, kind: string) =>
    median(cells.find((c) => c.cli === cli && c.kind === kind)?.ms ?? []);
  const out: [string, string][] = [];
  for (const [cli, checkout] of clis) {
    const yamlMs = at(cli, "YAML config");
    for (const [kind] of kinds) {
      const ms = at(cli, kind);
      const diff = ms - yamlMs;
      const extra =
        kind === "YAML config"
          ? ""
          : ` (${(ms / yamlMs).toFixed(2)}× YAML, ${diff < 0 ? "−" : "+"}${Math.abs(diff).toFixed(0)} ms)`;
      out.push([`${cli} (${checkout}): evals list, ${kind}`, `${ms.toFixed(0)} ms${extra}`]);
    }
  }
  if (BASELINE)
    for (const [kind] of kinds)
      out.push([`baseline ÷ current: ${kind}`, `${(at("baseline", kind) / at("current", kind)).toFixed(2)}`]);
  return out;
}
