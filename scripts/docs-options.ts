// `npm run docs:options`: regenerates the option tables of docs/cli.md from the option tables of the CLI.
import { readFileSync, writeFileSync } from "node:fs";
import { COMMAND_TABLES } from "../src/cli/command-options.ts";
import { renderOptionsDoc, replaceGenerated } from "../src/cli/options-doc.ts";

const file = new URL("../docs/cli.md", import.meta.url);
writeFileSync(file, replaceGenerated(readFileSync(file, "utf8"), renderOptionsDoc(COMMAND_TABLES)));
process.stdout.write("docs/cli.md: option tables regenerated\n");
