// Bundles each package of src/vendor.ts into one ES module file under dist/vendor/ (part of `npm run build`; the
// tests' global setup runs it when a bundle is missing or a package's installed version changed). Synchronous, as
// that setup is (installedModules calls it too, then copies dist/). Each file, versions.json included, is written
// beside its final name and renamed into place, so a process reading it never reads half a file.
//
//   node --import tsx scripts/vendor-bundles.ts
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildSync } from "esbuild";
import { writeJsonAtomic } from "../src/store/run-dir.ts";
import { VENDORED } from "../src/vendor.ts";

const REPO = fileURLToPath(new URL("..", import.meta.url));
const OUT = join(REPO, "dist", "vendor");
/** The installed version each bundle was made from. */
const VERSIONS = join(OUT, "versions.json");

/** The version of `name` installed here (found from its entry: not every package exports its package.json). */
function installedVersion(name: string): string {
  for (let dir = dirname(createRequire(join(REPO, "package.json")).resolve(name)); ; dir = dirname(dir)) {
    const file = join(dir, "package.json");
    const pkg = existsSync(file)
      ? (JSON.parse(readFileSync(file, "utf8")) as { name?: string; version?: string })
      : {};
    if (pkg.name === name && pkg.version) return pkg.version;
    if (dirname(dir) === dir) throw new Error(`no package.json of ${name} above its entry`);
  }
}

function installedVersions(): Record<string, string> {
  return Object.fromEntries(Object.keys(VENDORED).map((name) => [name, installedVersion(name)]));
}

/** Whether a bundle is missing, or was made from another version than the one installed. */
export function vendorBundlesStale(): boolean {
  if (!existsSync(VERSIONS)) return true;
  const built = JSON.parse(readFileSync(VERSIONS, "utf8")) as Record<string, string>;
  const installed = installedVersions();
  return Object.entries(VENDORED).some(
    ([name, file]) => built[name] !== installed[name] || !existsSync(join(OUT, file)),
  );
}

/** CommonJS packages: the bundle's default export is their `module.exports`, as Node's `import x from` gives it. */
export const COMMONJS: ReadonlySet<string> = new Set(["fast-glob"]);

export function bundleVendored(): void {
  mkdirSync(OUT, { recursive: true });
  for (const [name, file] of Object.entries(VENDORED)) {
    const temp = join(OUT, `.${file}.${randomUUID()}`);
    buildSync({
      stdin: {
        contents: COMMONJS.has(name)
          ? `export { default } from ${JSON.stringify(name)};`
          : `export * from ${JSON.stringify(name)};`,
        resolveDir: REPO,
        loader: "js",
      },
      bundle: true,
      format: "esm",
      platform: "node",
      target: "node20",
      outfile: temp,
      logLevel: "warning",
      // CommonJS inside a package (Gemini's auth library) calls require(): an ES module has none of its own.
      banner: {
        js: 'import { createRequire as __juryCreateRequire } from "node:module"; const require = __juryCreateRequire(import.meta.url);',
      },
    });
    renameSync(temp, join(OUT, file));
  }
  writeJsonAtomic(VERSIONS, installedVersions());
}

if (process.argv[1] === fileURLToPath(import.meta.url)) bundleVendored();
