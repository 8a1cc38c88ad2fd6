// The dashboard's frontend: dist/ui when installed from a build, else built from ui/ with Vite on first start.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The package root: the nearest directory up from this file whose package.json is jury's. */
export function packageRoot(): string {
  let dir = fileURLToPath(new URL(".", import.meta.url));
  for (;;) {
    const pkg = join(dir, "package.json");
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, "utf8")) as { name?: string }).name === "jury") return dir;
      } catch {
        // not ours: go up
      }
    }
    const up = join(dir, "..");
    if (up === dir) throw new Error("cannot find the jury package root");
    dir = up;
  }
}

/** The Vite options of the frontend build (shared by vite.ui.config.ts and the on-demand build). */
export function uiBuildOptions(root: string, outDir: string) {
  return {
    root: join(root, "ui"),
    base: "./",
    logLevel: "warn" as const,
    build: {
      outDir,
      emptyOutDir: true,
      assetsDir: "assets",
      // No inline scripts or data: URLs — the app's Content-Security-Policy allows 'self' only.
      assetsInlineLimit: 0,
      modulePreload: { polyfill: false },
      target: "es2022",
    },
  };
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const abs = join(dir, name);
    if (statSync(abs).isDirectory()) out.push(...filesUnder(abs));
    else out.push(abs);
  }
  return out;
}

let building: Promise<string> | undefined;

/**
 * The directory holding the built frontend (index.html + assets/). From a build (`dist/`), `dist/ui`. From
 * source, a build of `ui/` cached under `node_modules/.cache/jury-ui/<hash of the sources>`, so a fresh
 * clone works without `npm run build` and an edited `ui/` is never served stale.
 */
export async function resolveUiAssets(): Promise<string> {
  const root = packageRoot();
  const fromDist = fileURLToPath(import.meta.url).includes(`${join(root, "dist")}`);
  const dist = join(root, "dist", "ui");
  if (fromDist || !existsSync(join(root, "ui", "index.html"))) {
    if (!existsSync(join(dist, "index.html")))
      throw new Error(`the dashboard is not built: ${dist} is missing (run npm run build)`);
    return dist;
  }
  building ??= buildFromSource(root).finally(() => {
    building = undefined;
  });
  return building;
}

async function buildFromSource(root: string): Promise<string> {
  const hash = createHash("sha256");
  for (const f of [...filesUnder(join(root, "ui")), join(root, "src", "ui", "assets.ts")]) {
    hash.update(f.slice(root.length));
    hash.update(readFileSync(f));
  }
  const cache = join(root, "node_modules", ".cache", "jury-ui");
  const out = join(cache, hash.digest("hex").slice(0, 16));
  if (existsSync(join(out, "index.html"))) return out;
  // Build into a private dir and rename: two processes starting at once never see half a build.
  const tmp = `${out}.${process.pid}.${Date.now()}.tmp`;
  mkdirSync(cache, { recursive: true });
  const { build } = await import("vite");
  await build({ configFile: false, ...uiBuildOptions(root, tmp) });
  try {
    renameSync(tmp, out);
  } catch {
    rmSync(tmp, { recursive: true, force: true }); // another process won the race: its build is the same
  }
  return out;
}
