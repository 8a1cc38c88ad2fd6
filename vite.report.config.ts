// `vite build -c vite.report.config.ts`: the HTML report's page script (reporters/html/page) into
// dist/reporters/html/page.js, next to the reporter that inlines it. From source, the reporter builds the same
// options on demand (reporters/html/page-bundle.ts).
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
import { pageBuildOptions } from "./reporters/html/page-bundle.ts";

const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig(pageBuildOptions(`${root}dist/reporters/html`));
