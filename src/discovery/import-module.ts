import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { basename, dirname, extname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { BuildFailure, Message, Plugin } from "esbuild";

type Esbuild = typeof import("esbuild");

/** Files esbuild compiles into the bundle: TypeScript wherever it is (a workspace package's sources too). */
const TYPESCRIPT = /\.[cm]?tsx?$/;
/** Files loaded by Node itself when a package resolves to them: plain JavaScript, JSON, native addons. */
const NATIVE = new Set([".js", ".mjs", ".cjs", ".json", ".node"]);
const BUNDLED = "jury-bundled";

let imports = 0;
let esbuild: Promise<Esbuild> | undefined;

/**
 * Imports a user's module (a config, an `.eval.ts`, a reporter; TypeScript or JavaScript) afresh: esbuild bundles it
 * with the project files it imports into one ES module with a source map, which Node imports from a temporary file.
 * Packages stay outside the bundle: Node loads them from where esbuild resolved them, natively and once per thread —
 * `jury` itself and the provider SDKs never go through a TypeScript loader (tsx's `tsImport` ran every module of the
 * graph through loader hooks on a thread of their own, and started esbuild on both threads: ~0.25 s a command when
 * idle, over 2 s on a busy machine). A package that resolves to TypeScript (a workspace's sources) is bundled.
 *
 * Every call evaluates the file again (watch mode re-imports a changed file). Stacks are source-mapped to the user's
 * files. A file that does not compile throws esbuild's failure (`errors` with absolute `location.file`s); an import
 * that does not resolve throws Node's `ERR_MODULE_NOT_FOUND` error naming the specifier and the importing file.
 */
export async function importModule(absFile: string): Promise<Record<string, unknown>> {
  const { build } = await loadEsbuild();
  const dir = dirname(absFile);
  let result: Awaited<ReturnType<Esbuild["build"]>>;
  try {
    result = await build({
      entryPoints: [absFile],
      absWorkingDir: dir,
      outfile: resolve(dir, "bundle.mjs"),
      bundle: true,
      write: false,
      format: "esm",
      platform: "node",
      target: `node${process.versions.node}`,
      sourcemap: "external",
      sourcesContent: false,
      logLevel: "silent",
      // Resolve packages as Node does: its conditions (`--conditions source` in jury's own tests), no "module".
      conditions: nodeConditions(),
      mainFields: ["main"],
      define: {
        "import.meta.url": "__jury_import_meta_url",
        "import.meta.dirname": "__jury_dirname",
        "import.meta.filename": "__jury_filename",
        __dirname: "__jury_dirname",
        __filename: "__jury_filename",
      },
      plugins: [externalPackages, fileLocals],
    });
  } catch (err) {
    throw buildError(err, dir);
  }
  const code = result.outputFiles?.find((f) => f.path.endsWith(".mjs"))?.text ?? "";
  const map = JSON.parse(result.outputFiles?.find((f) => f.path.endsWith(".map"))?.text ?? "{}") as {
    sources?: string[];
  };
  map.sources = (map.sources ?? []).map((s) => pathToFileURL(resolve(dir, s)).href);
  process.setSourceMapsEnabled(true);
  // Node maps the stacks of file modules only (not of `data:` URLs): the bundle is written to a temporary file,
  // a new one each time, so the file runs again (as tsx's per-call namespace did); it is read once, at import.
  const tmp = await mkdtemp(join(tmpdir(), "jury-import-"));
  try {
    const out = join(tmp, `${basename(absFile)}.${++imports}.mjs`);
    const inlineMap = Buffer.from(JSON.stringify(map)).toString("base64");
    await writeFile(out, `${code}\n//# sourceMappingURL=data:application/json;base64,${inlineMap}\n`);
    return (await import(pathToFileURL(out).href)) as Record<string, unknown>;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** esbuild as tsx (a dependency of jury) installed it, so every install that has tsx has it. */
function loadEsbuild(): Promise<Esbuild> {
  esbuild ??= (async () => {
    const fromTsx = createRequire(createRequire(import.meta.url).resolve("tsx/package.json"));
    return (await import(pathToFileURL(fromTsx.resolve("esbuild")).href)) as Esbuild;
  })();
  return esbuild;
}

/** Bare imports stay imports of the file esbuild resolved them to, unless that file is TypeScript. */
const externalPackages: Plugin = {
  name: "jury-external-packages",
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData === BUNDLED || args.path.startsWith("node:")) return undefined;
      const found = await build.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: BUNDLED,
      });
      if (found.errors.length > 0) return { errors: found.errors };
      if (found.external || TYPESCRIPT.test(found.path) || !NATIVE.has(extname(found.path)))
        return found.external ? { path: found.path, external: true } : { path: found.path };
      return { path: pathToFileURL(found.path).href, external: true };
    });
  },
};

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
