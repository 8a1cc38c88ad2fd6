// Relative links of Markdown pages, and the heading anchors GitHub gives a page: enough to check our own docs.
import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";

/** A link that points nowhere: `target` as written in `file`, and why. */
export interface BrokenLink {
  file: string;
  target: string;
  problem: string;
}

const FENCE = /^(```|~~~)/;

/** The page without its fenced code blocks (a `[x](y)` there is code, not a link), line count kept. */
function withoutCodeBlocks(markdown: string): string[] {
  let inFence = false;
  return markdown.split("\n").map((line) => {
    if (FENCE.test(line.trim())) {
      inFence = !inFence;
      return "";
    }
    return inFence ? "" : line.replace(/`[^`]*`/g, (code) => (code.includes("](") ? "" : code));
  });
}

/** Targets of the inline links `[text](target)` and images of a page, outside code. */
export function linkTargets(markdown: string): string[] {
  const targets: string[] = [];
  for (const line of withoutCodeBlocks(markdown))
    for (const m of line.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) targets.push(m[1] as string);
  return targets;
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, each space a hyphen. */
export function headingSlug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

/** Every anchor of a page; a repeated heading gets `-1`, `-2`… like on GitHub. */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of withoutCodeBlocks(markdown)) {
    const m = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!m) continue;
    const slug = headingSlug(m[1] as string);
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    anchors.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return anchors;
}

/**
 * The relative links of `file` (absolute path) whose file does not exist, or whose `#anchor` is no heading of
 * the Markdown page it points to. Links with a scheme (`https:`, `mailto:`) are not followed.
 */
export function brokenLinks(file: string): BrokenLink[] {
  const broken: BrokenLink[] = [];
  for (const target of linkTargets(readFileSync(file, "utf8"))) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
    const [path = "", anchor] = target.split("#", 2);
    const dest = path === "" ? file : resolve(dirname(file), decodeURIComponent(path));
    if (!existsSync(dest)) {
      broken.push({ file, target, problem: "no such file" });
      continue;
    }
    if (
      anchor !== undefined &&
      dest.endsWith(".md") &&
      !headingAnchors(readFileSync(dest, "utf8")).has(anchor)
    )
      broken.push({ file, target, problem: `no heading #${anchor}` });
  }
  return broken;
}
