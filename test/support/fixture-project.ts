import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { tempDir } from "./temp-dir.ts";

const REPO = fileURLToPath(new URL("../..", import.meta.url));

/**
 * Writes a project into a new temp dir and links `node_modules/jury` to this repo, so eval files and configs
 * import "jury" exactly as a user's project does. Returns the project root, removed after the test file.
 * `modules`: a whole `node_modules` to link instead (e.g. vitest-project.ts's `installedModules`).
 */
export function createFixtureProject(files: Record<string, string | Uint8Array>, modules?: string): string {
  const root = tempDir("jury-fixture-");
  for (const [path, content] of Object.entries(files)) {
    const abs = join(root, path);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, content);
  }
  if (modules) symlinkSync(modules, join(root, "node_modules"), "dir");
  else {
    mkdirSync(join(root, "node_modules"), { recursive: true });
    symlinkSync(REPO, join(root, "node_modules", "jury"), "dir");
  }
  return root;
}
