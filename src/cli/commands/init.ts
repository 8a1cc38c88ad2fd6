import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { createScaffold, planScaffold } from "../../init/scaffold.ts";
import type { CliIo } from "../io.ts";

/** `evals init`: writes a runnable project into `root`, never overwriting a file unless `force`. */
export async function initCommand(options: { root: string; force: boolean }, io: CliIo): Promise<number> {
  const { root, force } = options;
  const plan = planScaffold(createScaffold(), (p) => existsSync(join(root, p)), force);
  const out = io.stdout;
  for (const f of plan.write) {
    const abs = join(root, f.path);
    const existed = existsSync(abs);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, f.content);
    out.write(`  ${existed ? "overwrote" : "created"}  ${f.path}\n`);
  }
  for (const f of plan.skip) out.write(`  skipped  ${f.path} (exists; --force overwrites it)\n`);
  out.write(
    [
      "",
      "Next steps:",
      "  npx evals                    run evals/first.eval.jsonl on simulated mock/ models (offline, free)",
      "  npx evals import data.csv    turn a CSV of prompts and golden answers into evals/data.eval.jsonl",
      "  npx evals list               see the planned cases and an estimated cost",
      "To use real models, follow the comments in evals.config.ts.",
      "",
    ].join("\n"),
  );
  return 0;
}
