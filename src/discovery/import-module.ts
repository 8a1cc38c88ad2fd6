import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { isBuiltin } from "node:module";
import { tmpdir } from "node:os";
import { basename, dirname, extname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { threadId } from "node:worker_threads";
import type { BuildFailure, Message, Plugin } from "esbuild";
import { privateTempDir } from "../private-dir.ts";

type Esbuild = typeof import("esbuild");

/** Files esbuild compiles into the bundle: TypeScript wherever it is (a workspace package's sources too). */
const TYPESCRIPT = /\.[cm]?tsx?$/;
/** Files loaded by Node itself when a package resolves to them: plain JavaScript, JSON, native addons. */
const NATIVE = new Set([".js", ".mjs", ".cjs", ".json", ".node"]);
const BUNDLED = "jury-bundled";
/** The namespace of a package or built-in that a bundled file `require`s, and the bundle's own `require`. */
const REQUIRED = "jury-required";
const REQUIRE = "__jury_require";

/** Bump when what a bundle holds changes: older cached bundles are then never read. */
const BUNDLE_FORMAT = 2;

let imports = 0;
let esbuild: Promise<Esbuild> | undefined;

/** What a cached bundle was built from: each project file's content hash, each package file's size and mtime. */
interface Manifest {
  files: Record<string, string>;
  packages: Record<string, string>;
}

/**
 * Imports a user's module (a config, an `.eval.ts`, a reporter; TypeScript or JavaScript) afresh: esbuild bundles it
 * with the project files it imports into one ES module with a source map, which Node imports from a file.
 * Packages stay outside the bundle: Node loads them from where esbuild resolved them, natively and once per thread —
 * `jury` itself and the provider SDKs never go through a TypeScript loader (tsx's `tsImport` ran every module of the
 * graph through loader hooks on a thread of their own, and started esbuild on both threads: ~0.3 s a command when
 * idle, 1 s and more on a busy machine; docs/performance.md). A package that resolves to TypeScript (a workspace's sources) is bundled.
 * The bundle is kept in TMPDIR/jury-modules-<uid> (private to this user; see `cacheDir`) until a file it was built
 * from changes, so a command whose config has not changed does not start esbuild at all.
 *
 * Every call evaluates the file again (watch mode re-imports a changed file). Stacks are source-mapped to the user's
 * files. A file that does not compile throws esbuild's failure (`errors` with absolute `location.file`s); an import
 * that does not resolve throws Node's `ERR_MODULE_NOT_FOUND` error naming the specifier and the importing file.
 */
export async function importModule(absFile: string): Promise<Record<string, unknown>> {
  const conditions = nodeConditions();
  const key = createHash("sha256")
    .update(JSON.stringify([BUNDLE_FORMAT, absFile, conditions, process.versions.node]))
    .digest("hex")
    .slice(0, 24);
  const dir = await cacheDir();
  // No cache of our own to trust: bundled into a private dir, imported, and the dir removed.
  const scratch = dir ? undefined : await mkdtemp(join(tmpdir(), "jury-module-"));
  try {
    const bundle = join(dir ?? (scratch as string), `${basename(absFile)}-${key}.mjs`);
    if (scratch || !(await isCurrent(bundle))) await writeBundle(absFile, conditions, bundle);
    process.setSourceMapsEnabled(true);
    // A new query, a new module: the file runs again, as tsx's per-call namespace did.
    return (await import(`${pathToFileURL(bundle).href}?run=${++imports}`)) as Record<string, unknown>;
  } finally {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  }
}

/**
 * The bundle cache, `TMPDIR/jury-modules-<uid>`, made private (0700) — or undefined when it cannot be trusted: a
 * directory there that is not ours, is a symlink, or that others may write to could hold a planted bundle, which
 * importing would run as this user (TMPDIR is usually shared by every user of the machine).
 */
async function cacheDir(): Promise<string | undefined> {
  return privateTempDir("jury-modules");
}

/** Whether a cached bundle is there and the files it was built from are as they were (its manifest says). */
async function isCurrent(bundle: string): Promise<boolean> {
  try {
    await stat(bundle);
    const manifest = JSON.parse(await readFile(`${bundle}.json`, "utf8")) as Manifest;
    for (const [file, hash] of Object.entries(manifest.files))
      if (sha1(await readFile(file)) !== hash) return false;
    for (const [file, stamp] of Object.entries(manifest.packages))
      if (statStamp(await stat(file)) !== stamp) return false;
    return true;
  } catch {
    return false;
  }
}

/** Bundles `absFile` into `bundle` (an ES module with its source map inline), with its manifest beside it. */
async function writeBundle(absFile: string, conditions: string[], bundle: string): Promise<void> {
  const { build } = await loadEsbuild();
  const dir = dirname(absFile);
  const packages = new Set<string>();
  let result: Awaited<ReturnType<Esbuild["build"]>>;
  try {
    result = await build({
      entryPoints: [absFile],
      absWorkingDir: dir,
      outfile: resolve(dir, "bundle.mjs"),
      bundle: true,
      write: false,
      metafile: true,
      format: "esm",
      platform: "node",
      target: `node${process.versions.node}`,
      sourcemap: "external",
      sourcesContent: false,
      logLevel: "silent",
      banner: {
        js: `import { createRequire as __jury_create_require } from "node:module"; const ${REQUIRE} = __jury_create_require(import.meta.url);`,
      },
      // Resolve packages as Node does: its conditions (`--conditions jury-source` in jury's own tests), no "module".
      conditions,
      mainFields: ["main"],
      define: {
        "import.meta.url": "__jury_import_meta_url",
        "import.meta.dirname": "__jury_dirname",
        "import.meta.filename": "__jury_filename",
        __dirname: "__jury_dirname",
        __filename: "__jury_filename",
      },
      plugins: [externalPackages(packages), fileLocals],
    });
  } catch (err) {
    throw buildError(err, dir);
  }
  const code = result.outputFiles?.find((f) => f.path.endsWith(".mjs"))?.text ?? "";
  const map = JSON.parse(result.outputFiles?.find((f) => f.path.endsWith(".map"))?.text ?? "{}") as {
    sources?: string[];
  };
  map.sources = (map.sources ?? []).map((s) => pathToFileURL(resolve(dir, s)).href);
  const manifest: Manifest = { files: {}, packages: {} };
  for (const input of Object.keys(result.metafile?.inputs ?? {})) {
    if (input.startsWith(`${REQUIRED}:`)) continue; // its file is among `packages`
    const file = resolve(dir, input);
    manifest.files[file] = sha1(await readFile(file));
  }
  for (const file of packages) manifest.packages[file] = statStamp(await stat(file));
  const inlineMap = Buffer.from(JSON.stringify(map)).toString("base64");
  await mkdir(dirname(bundle), { recursive: true });
  // Written aside then renamed: a command running beside this one reads a whole bundle or none.
  const part = `${bundle}.${process.pid}.${threadId}.part`;
  await writeFile(part, `${code}\n//# sourceMappingURL=data:application/json;base64,${inlineMap}\n`);
  await rename(part, bundle);
  await writeFile(`${part}.json`, JSON.stringify(manifest));
  await rename(`${part}.json`, `${bundle}.json`);
}

function sha1(data: Buffer): string {
  return createHash("sha1").update(data).digest("hex");
}

function statStamp(s: { size: number; mtimeMs: number }): string {
  return `${s.size}:${s.mtimeMs}`;
}

/** esbuild, loaded only when a bundle must be built (a command whose sources are unchanged never starts it). */
function loadEsbuild(): Promise<Esbuild> {
  esbuild ??= import("esbuild");
  return esbuild;
}

/**
 * Bare imports stay imports of the file esbuild resolved them to (recorded in `packages`), unless that file is
 * TypeScript. A `require()` of a package or a Node built-in (an eval file of a CommonJS project) stays a real
 * `require` of it: an ES module has none, so the bundle gets one of its own (`REQUIRE`, see `writeBundle`).
 */
function externalPackages(packages: Set<string>): Plugin {
  return {
    name: "jury-external-packages",
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.pluginData === BUNDLED) return undefined;
        const required = args.kind === "require-call";
        if (isBuiltin(args.path)) return required ? { path: args.path, namespace: REQUIRED } : undefined;
        const found = await build.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          pluginData: BUNDLED,
        });
        if (found.errors.length > 0) return { errors: found.errors };
        if (found.external) return { path: found.path, external: true };
        if (TYPESCRIPT.test(found.path) || !NATIVE.has(extname(found.path))) return { path: found.path };
        packages.add(found.path);
        if (required) return { path: found.path, namespace: REQUIRED };
        return { path: pathToFileURL(found.path).href, external: true };
      });
      build.onLoad({ filter: /.*/, namespace: REQUIRED }, (args) => ({
        contents: `module.exports = ${REQUIRE}(${JSON.stringify(args.path)});`,
        loader: "js",
      }));
    },
  };
}

/** Each bundled file keeps its own `import.meta.url`, `__dirname` and `__filename` (declared on its first line). */
const fileLocals: Plugin = {
  name: "jury-file-locals",
  setup(build) {
    build.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, async (args) => {
      const text = await readFile(args.path, "utf8");
      const ext = extname(args.path).replace(/^\.[cm]/, ".");
      const loader = ext === ".tsx" ? "tsx" : ext === ".ts" ? "ts" : ext === ".jsx" ? "jsx" : "js";
      if (!/import\.meta|__dirname|__filename/.test(text)) return { contents: text, loader };
      const locals =
        `var __jury_import_meta_url = ${JSON.stringify(pathToFileURL(args.path).href)}, ` +
        `__jury_dirname = ${JSON.stringify(dirname(args.path))}, __jury_filename = ${JSON.stringify(args.path)};`;
      return { contents: locals + text, loader };
    });
  },
};

/** `--conditions`/`-C` of this process (execArgv, then NODE_OPTIONS). */
function nodeConditions(): string[] {
  const args = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? "").split(/\s+/)];
  const out: string[] = [];
  for (const [i, arg] of args.entries()) {
    const m = /^(?:--conditions|-C)(?:=(.+))?$/.exec(arg);
    const value = m ? (m[1] ?? args[i + 1]) : undefined;
    if (value) out.push(value);
  }
  return out;
}

/**
 * esbuild's failure with absolute paths (it names files relative to the working directory); an unresolved import
 * as Node's own "Cannot find module" error, which load errors already place at the import.
 */
function buildError(err: unknown, dir: string): unknown {
  const errors = (err as Partial<BuildFailure>).errors;
  if (!Array.isArray(errors)) return err;
  const absolute = errors.map((e) =>
    e.location ? { ...e, location: { ...e.location, file: resolve(dir, e.location.file) } } : e,
  );
  const unresolved = absolute.find((e) => /^Could not resolve "/.test(e.text));
  if (unresolved) {
    const specifier = /^Could not resolve "(.*)"/.exec(unresolved.text)?.[1] ?? "";
    const importer = unresolved.location?.file;
    // Node's words for an ES import: a package for a bare specifier, a module for a path.
    const what = /^[./]/.test(specifier) ? "module" : "package";
    return Object.assign(
      new Error(`Cannot find ${what} '${specifier}'${importer ? ` imported from ${importer}` : ""}`),
      { code: "ERR_MODULE_NOT_FOUND", cause: err },
    );
  }
  const lines = absolute.map((e: Message) =>
    e.location
      ? `${e.location.file}:${e.location.line}:${e.location.column}: ERROR: ${e.text}`
      : `error: ${e.text}`,
  );
  return Object.assign(
    new Error(
      `Build failed with ${absolute.length} error${absolute.length === 1 ? "" : "s"}:\n${lines.join("\n")}`,
    ),
    { errors: absolute, cause: err },
  );
}
