// docs/cli.md's option tables, rendered from the same tables that register the flags.
import { type OptionSpec, type OptionTable, oneOf, specsOf } from "../config/option-table.ts";
import { rawName } from "./flags.ts";

/** The markers in docs/cli.md between which the generated tables go. */
export const OPTIONS_START = "<!-- options:start -->";
export const OPTIONS_END = "<!-- options:end -->";

/** One Markdown section per command: a table of its flags with their defaults, ranges and config keys. */
export function renderOptionsDoc(commands: Readonly<Record<string, readonly OptionTable<object>[]>>): string {
  const sections = Object.entries(commands).map(([command, tables]) => {
    const specs = tables.flatMap((t) => specsOf(t).map(([, spec]) => spec));
    const rows = specs
      .filter((spec) => spec.commands.includes(command))
      .map(
        (spec) =>
          `| ${code(rawName(spec))} | ${cell(spec.description)} | ${cell(spec.default ?? "")} | ` +
          `${cell(accepts(spec))} | ${spec.config ? code(spec.config) : ""} |`,
      );
    const title = command === "run" ? "evals [...filters]" : `evals ${command}`;
    return [
      `### \`${title}\``,
      "",
      "| Flag | Description | Default | Accepts | Config key |",
      "| --- | --- | --- | --- | --- |",
      ...rows,
    ].join("\n");
  });
  return `${sections.join("\n\n")}\n`;
}

/** `text` with the part between the markers replaced by `generated`; throws when a marker is missing. */
export function replaceGenerated(text: string, generated: string): string {
  const start = text.indexOf(OPTIONS_START);
  const end = text.indexOf(OPTIONS_END);
  if (start < 0 || end < start) throw new Error(`missing ${OPTIONS_START} … ${OPTIONS_END} markers`);
  return `${text.slice(0, start + OPTIONS_START.length)}\n\n${generated}\n${text.slice(end)}`;
}

function accepts(spec: OptionSpec): string {
  if (spec.kind === "number" || spec.kind === "optional-number") return spec.range.rule;
  if (spec.kind === "choice") return oneOf(spec.choices);
  if (spec.kind === "list") return "comma-separated list";
  if (spec.kind === "repeatable") return "repeatable";
  return "";
}

const code = (s: string) => `\`${s}\``;
const cell = (s: string) => s.replaceAll("|", "\\|").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
