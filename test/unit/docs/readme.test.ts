import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { brokenLinks, headingAnchors, headingSlug, linkTargets } from "./markdown-links.ts";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const readme = join(root, "README.md");
const docsDir = join(root, "docs");
const docPages = readdirSync(docsDir)
  .filter((f) => f.endsWith(".md"))
  .map((f) => join(docsDir, f));
/** Generated from the option table by its own script and test; until it exists, links to it are not followed. */
const generatedCli = join(docsDir, "cli.md");

const lineCount = (text: string) => text.split("\n").length - (text.endsWith("\n") ? 1 : 0);

describe("README and docs/", () => {
  it("keeps the README to 200 lines at most", () => {
    expect(lineCount(readFileSync(readme, "utf8"))).toBeLessThanOrEqual(200);
  });

  it("links every docs/ page from the README", () => {
    const linked = new Set(linkTargets(readFileSync(readme, "utf8")).map((t) => t.split("#")[0]));
    const pages = [...new Set([...docPages.map((p) => relative(root, p)), "docs/cli.md"])];
    expect(pages.filter((p) => !linked.has(p))).toEqual([]);
  });

  it("has no relative link, in the README or docs/*.md, to a missing file or heading", () => {
    const broken = [readme, ...docPages]
      .flatMap(brokenLinks)
      .filter((b) => existsSync(generatedCli) || !b.target.split("#")[0]?.endsWith("cli.md"))
      .map((b) => `${relative(root, b.file)}: ${b.target}: ${b.problem}`);
    expect(broken).toEqual([]);
  });
});

describe("the link checker", () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it("gives GitHub's anchors: punctuation dropped, spaces hyphens, repeats numbered", () => {
    expect(headingSlug("`*.eval.ts` — evals as code")).toBe("evalts--evals-as-code");
    expect(headingSlug("Crashes, Ctrl-C and resume")).toBe("crashes-ctrl-c-and-resume");
    expect([...headingAnchors("# A\n```\n# not a heading\n```\n## A\n### `mock/` models\n")]).toEqual([
      "a",
      "a-1",
      "mock-models",
    ]);
  });

  it("reports a missing file and a missing heading, and skips URLs and code", () => {
    dir = mkdtempSync(join(tmpdir(), "jury-docs-"));
    writeFileSync(join(dir, "other.md"), "# Other\n\n## Real heading\n");
    const page = join(dir, "page.md");
    writeFileSync(
      page,
      [
        "# Page",
        "[ok](other.md) [ok](other.md#real-heading) [ok](#page) [web](https://example.com/x.md)",
        "[gone](missing.md) [bad anchor](other.md#nope) [self](#nowhere)",
        "`[code](missing-in-code.md)`",
        "```",
        "[block](missing-in-block.md)",
        "```",
      ].join("\n"),
    );
    expect(brokenLinks(page).map((b) => `${b.target}: ${b.problem}`)).toEqual([
      "missing.md: no such file",
      "other.md#nope: no heading #nope",
      "#nowhere: no heading #nowhere",
    ]);
  });
});
