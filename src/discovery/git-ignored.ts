import { execFileSync } from "node:child_process";

/**
 * Which of `files` (paths relative to `root`, `/`-separated) git ignores, as git itself reads its rules (every
 * `.gitignore`, `.git/info/exclude`, `core.excludesFile`; tracked files are never ignored). Outside a git repository,
 * or without git, nothing is.
 */
export function gitIgnored(root: string, files: readonly string[]): Set<string> {
  if (files.length === 0) return new Set();
  try {
    const out = execFileSync("git", ["check-ignore", "-z", "--stdin"], {
      cwd: root,
      input: files.join("\0"),
      encoding: "utf8",
      stdio: ["pipe", "pipe", "ignore"],
    });
    return new Set(out.split("\0").filter(Boolean));
  } catch {
    // Exit 1: none of them is ignored; 128: not a repository; ENOENT: no git.
    return new Set();
  }
}
