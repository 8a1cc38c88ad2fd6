// Parses a command line the way `main` does (same tables, same registration, same value handling), without
// running the command: the tests see the StartOptions a command would get.
import { cac } from "cac";
import { COMMAND_TABLES } from "../../src/cli/command-options.ts";
import { parseArgv, parseFlags, registerFlags } from "../../src/cli/flags.ts";
import { toStartOptions } from "../../src/cli/index.ts";
import { translateSeedArgs } from "../../src/cli/seed-args.ts";
import { COMMAND_SWITCHES, type CommandSwitches } from "../../src/config/options.ts";
import type { StartOptions } from "../../src/types.ts";

export interface ParsedArgs {
  command: string;
  options: StartOptions;
  switches: CommandSwitches;
}

/** `evals <args>` for the run, list and merge commands, up to the StartOptions their actions get. */
export function parseStartArgs(args: readonly string[]): ParsedArgs {
  const cli = cac("evals");
  let parsed: ParsedArgs | undefined;
  for (const name of ["[...filters]", "list [...filters]", "merge [...filters]"])
    cli.command(name).action((filters: string[], flags: Record<string, unknown>) => {
      parsed = {
        command: cli.matchedCommand?.name || "run",
        options: toStartOptions(filters, flags),
        switches: parseFlags(COMMAND_SWITCHES, flags),
      };
    });
  for (const cmd of cli.commands) registerFlags(cmd, COMMAND_TABLES[cmd.name || "run"] ?? []);
  parseArgv(cli, translateSeedArgs(args, () => false).argv, COMMAND_TABLES);
  cli.runMatchedCommand();
  if (!parsed) throw new Error(`no command ran for ${args.join(" ")}`);
  return parsed;
}
