// `npm run docs:readme-sample`: runs the example evals as `npx evals` does and writes the console output into the
// README's sample (the header, the first case lines, the summary). test/e2e/readme-sample.test.ts checks it.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { stripVTControlCharacters } from "node:util";
import { main } from "../src/cli/index.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const out = mkdtempSync(join(tmpdir(), "jury-readme-"));
let stdout = "";
const sink = (write: (s: string) => void) => ({
  isTTY: false,
  write(s: string) {
    write(s);
    return true;
  },
});
try {
  const code = await main(["--output-dir", out], {
    cwd: root,
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0", CI: "true", GITHUB_ACTIONS: "" },
    stdout: sink((s) => {
      stdout += s;
    }),
    stderr: sink((s) => process.stderr.write(s)),
  });
  if (code !== 0) throw new Error(`npx evals on the examples exited ${code}`);
} finally {
  rmSync(out, { recursive: true, force: true });
}

const lines = stripVTControlCharacters(stdout).split("\n");
const firstCase = lines.findIndex((l) => /^ [✓✗!↓] /.test(l));
const summaryAt = lines.findIndex((l) => /^ +Cases {2}/.test(l));
const header = lines
  .slice(0, firstCase)
  .join("\n")
  .trim()
  .replace(/^(RUN {2}jury v\S+) .*$/m, "$1 ~/jury");
const cases = lines.slice(firstCase, summaryAt).filter((l) => /^ [✓✗!↓] /.test(l));
const summary = lines
  .slice(summaryAt)
  .join("\n")
  .trimEnd()
  .replace(/^( +Results {2}).*\/(runs\/\S+)$/m, "$1outputs/$2");
const sample = [
  ` ${header}`,
  "",
  ...cases.slice(0, 4),
  ...(cases.length > 4 ? [" …"] : []),
  "",
  summary,
].join("\n");

const file = join(root, "README.md");
const readme = readFileSync(file, "utf8");
const from = readme.indexOf("`npx evals` prints");
const open = readme.indexOf("```\n", from) + 4;
writeFileSync(file, readme.slice(0, open) + sample + readme.slice(readme.indexOf("\n```", open)));
process.stdout.write("README.md: sample output regenerated\n");
