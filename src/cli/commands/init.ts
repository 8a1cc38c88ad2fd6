import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { juryResolvable } from "../../init/jury-resolvable.ts";
import { createScaffold, planScaffold } from "../../init/scaffold.ts";
import type { CliIo } from "../io.ts";

/**
 * `evals init`: writes a runnable project into `root`, never overwriting a file unless `force`. Where "jury" is
 * not installed (`npx jury init` in a new project), the config is YAML, which imports nothing, and the next steps
 * say what to install for TypeScript; `program` is the bin the user ran, named in the next steps.
 */
export async function initCommand(
  options: { root: string; force: boolean; program?: string },
  io: CliIo,
): Promise<number> {
  const { root, force } = options;
  const installed = juryResolvable(root);
  // Without jury in the project, only `npx jury` fetches this package (`npx evals` would fetch another one).
  const run = installed ? `npx ${options.program ?? "evals"}` : "npx jury";
  const files = createScaffold(installed ? "ts" : "yaml", run);
  const plan = planScaffold(files, (p) => existsSync(join(root, p)), force);
  const out = io.stdout;
  for (const f of plan.write) {
    const abs = join(root, f.path);
    const existed = existsSync(abs);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, f.content);
    out.write(`  ${existed ? "overwrote" : "created"}  ${f.path}\n`);
  }
  for (const f of plan.skip) out.write(`  skipped  ${f.path} (exists; --force overwrites it)\n`);
  const config = (files[0] as { path: string }).path;
  const step = (command: string, what: string) => `  ${`${run}${command}`.padEnd(29)}${what}`;
  out.write(
    [
      "",
      ...(installed
        ? []
        : [
            `jury is not installed in this project, so the config is YAML (${config}), which imports nothing.`,
            "For eval files in TypeScript (.eval.ts) or a typed evals.config.ts, install it: npm i -D jury",
            "",
          ]),
      "Next steps:",
      step("", "run evals/first.eval.jsonl on simulated mock/ models (offline, free)"),
      step(" import data.csv", "turn a CSV of prompts and golden answers into evals/data.eval.jsonl"),
      step(" list", "see the planned cases and an estimated cost"),
      `To use real models, follow the comments in ${config}.`,
      "",
    ].join("\n"),
  );
  return 0;
}
