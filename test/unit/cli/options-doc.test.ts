import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { COMMAND_TABLES } from "../../../src/cli/command-options.ts";
import {
  OPTIONS_END,
  OPTIONS_START,
  renderOptionsDoc,
  replaceGenerated,
} from "../../../src/cli/options-doc.ts";
import { SEED_FLAGS } from "../../../src/cli/seed-args.ts";
import { specsOf } from "../../../src/config/option-table.ts";

const read = (path: string) => readFileSync(new URL(`../../../${path}`, import.meta.url), "utf8");

/** Every long flag of every command, as typed (`no-threads`, `max-p95-ttft-ms`, `outputFile`). */
const OUR_FLAGS = new Set(
  Object.values(COMMAND_TABLES).flatMap((tables) =>
    tables.flatMap((t) => specsOf(t).map(([, s]) => (s.kind === "negatable" ? `no-${s.flag}` : s.flag))),
  ),
);

describe("docs/cli.md", () => {
  it("has the option tables as npm run docs:options renders them", () => {
    const doc = read("docs/cli.md");
    expect(doc, "docs/cli.md is out of date: run npm run docs:options").toBe(
      replaceGenerated(doc, renderOptionsDoc(COMMAND_TABLES)),
    );
  });

  it("lists every flag of every command, under that command", () => {
    const doc = read("docs/cli.md");
    const generated = doc.slice(doc.indexOf(OPTIONS_START), doc.indexOf(OPTIONS_END));
    for (const [command, tables] of Object.entries(COMMAND_TABLES)) {
      const title = command === "run" ? "### `evals [...filters]`" : `### \`evals ${command}\``;
      const section = generated.split(title)[1]?.split("\n### ")[0] ?? "";
      for (const t of tables)
        for (const [, spec] of specsOf(t))
          if (spec.commands.includes(command))
            expect(section, `${command} --${spec.flag}`).toContain(
              spec.kind === "negatable" ? `--no-${spec.flag}` : `--${spec.flag}`,
            );
    }
  });

  it("renders a flag's default, range and config key, and escapes the pipes of its description", () => {
    const doc = renderOptionsDoc(COMMAND_TABLES);
    expect(doc).toContain(
      "| `--max-p95-ttft-ms <ms>` | Fail when the p95 TTFT is higher |  | a number ≥ 0 (ms) | `gate.maxP95TtftMs` |",
    );
    expect(doc).toContain(
      "| `--no-threads` | Run cases in the main thread (debugging) | worker threads |  | `run.threads` |",
    );
    expect(doc).toContain("| `--aggregate <rule>` | Jury rule: mean \\| median \\| majority | mean |");
  });
});

/** Flags the README shows for other programs (node, npm, promptfoo), not evals. */
const NOT_OURS = new Set([
  "help",
  "version",
  "import",
  "conditions",
  "cpu-prof",
  "optimize-for-size",
  "no-cache",
]);

it.runIf(existsSync(new URL("../../../README.md", import.meta.url)))(
  "every --flag the README mentions is one of ours (or a 360-eval flag we accept)",
  () => {
    const mentioned = [...read("README.md").matchAll(/(?<![\w-])--([a-zA-Z][\w-]*)/g)].map(
      (m) => m[1] as string,
    );
    const unknown = mentioned.filter((f) => !OUR_FLAGS.has(f) && !(f in SEED_FLAGS) && !NOT_OURS.has(f));
    expect([...new Set(unknown)]).toEqual([]);
  },
);
