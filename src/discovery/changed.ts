import { execFileSync } from "node:child_process";
import { GitError } from "../errors.ts";

/**
 * Files changed since a git ref (committed, staged, unstaged and untracked), relative to the repository root,
 * as absolute paths. `--changed` alone means uncommitted changes (since HEAD).
 */
export function changedFiles(root: string, ref: string): Set<string> {
  const git = (...args: string[]) => {
    try {
      return execFileSync("git", args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    } catch (err) {
      const msg = (err as { stderr?: string }).stderr?.trim().split("\n")[0] ?? (err as Error).message;
      throw new GitError(`--changed: git failed: ${msg}`, {
        hint: "Run in a git repository and pass a ref that exists, e.g. --changed main.",
        cause: err,
      });
    }
  };
  const top = git("rev-parse", "--show-toplevel").trim();
  const names = [
    ...git("diff", "--name-only", ref).split("\n"),
    ...git("ls-files", "--others", "--exclude-standard").split("\n"),
  ];
  return new Set(names.filter(Boolean).map((n) => `${top}/${n}`));
}
