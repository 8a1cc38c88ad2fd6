// The page script of the HTML report: reporters/html/page bundled by Vite into one IIFE. From a build (dist/),
// the bundle `npm run build` wrote next to this module; from the TypeScript sources, a Vite build cached under
// node_modules/.cache/jury-report by a hash of the files it bundled, so a fresh clone works without a build and
// an edited page is never served stale.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
/** The bundle's file name, next to this module once built. */
export const PAGE_BUNDLE = "page.js";

/** The Vite options of the page bundle (shared by vite.report.config.ts and the build from source). */
export function pageBuildOptions(outDir: string) {
  return {
    configFile: false as const,
    root: here,
    publicDir: false as const,
    logLevel: "warn" as const,
    build: {
      outDir,
      emptyOutDir: false,
      copyPublicDir: false,
      target: "es2022",
      minify: true,
      lib: {
        entry: join(here, "page", "main.ts"),
        name: "juryReportPage",
        formats: ["iife" as const],
        fileName: () => PAGE_BUNDLE,
      },
    },
  };
}

let building: Promise<string> | undefined;

/** The page script's source text. */
export async function readPageScript(): Promise<string> {
  const built = join(here, PAGE_BUNDLE);
  if (existsSync(built)) return readFileSync(built, "utf8");
  if (!existsSync(join(here, "page", "main.ts")))
    throw new Error(`the HTML report's page script is not built: ${built} is missing (run npm run build)`);
  building ??= buildFromSource().finally(() => {
    building = undefined;
  });
  return building;
}

const root = join(here, "..", "..");
const cache = join(root, "node_modules", ".cache", "jury-report");
/** The files the last build from this checkout bundled (one list per checkout: worktrees share the cache). */
const manifest = join(cache, `inputs-${sha256(here).slice(0, 12)}.json`);

function sha256(text: string | Buffer): string {
  return createHash("sha256").update(text).digest("hex");
}

/** A hash of the files (paths relative to the package root) and their contents. */
function hashOf(files: readonly string[]): string {
  const hash = createHash("sha256");
  for (const f of files) {
    const abs = join(root, f);
    hash.update(`${f}\0`);
    hash.update(existsSync(abs) ? readFileSync(abs) : "\0missing");
  }
  return hash.digest("hex").slice(0, 16);
}

/** Writes by rename, so a concurrent reader never sees half a file (two builders write the same bytes). */
function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

async function buildFromSource(): Promise<string> {
  // An edit that changes what the page imports edits a file it imported before: the old list's hash catches it.
  if (existsSync(manifest)) {
    const cached = join(cache, `${hashOf(JSON.parse(readFileSync(manifest, "utf8")) as string[])}.js`);
    if (existsSync(cached)) return readFileSync(cached, "utf8");
  }
  const { build } = await import("vite").catch((err: unknown) => {
    throw new Error(
      `the HTML report's page script is not built and Vite, which builds it from source, cannot be loaded (run npm run build)`,
      { cause: err },
    );
  });
  const options = pageBuildOptions(cache);
  const result = await build({ ...options, build: { ...options.build, write: false } });
  const output = Array.isArray(result) ? result[0] : result;
  const chunk = output && "output" in output ? output.output[0] : undefined;
  if (chunk?.type !== "chunk") throw new Error("the Vite build of the page script gave no chunk");
  const inputs = chunk.moduleIds
    .filter((id: string) => isAbsolute(id) && existsSync(id))
    .map((id: string) => relative(root, id))
    .sort();
  mkdirSync(cache, { recursive: true });
  writeAtomic(join(cache, `${hashOf(inputs)}.js`), chunk.code);
  writeAtomic(manifest, JSON.stringify(inputs));
  return chunk.code;
}
