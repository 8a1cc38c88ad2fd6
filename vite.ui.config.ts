// `vite build -c vite.ui.config.ts`: the dashboard's frontend (ui/) into dist/ui. The server builds the same
// options on demand when running from source (src/ui/assets.ts).
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
import { uiBuildOptions } from "./src/ui/assets.ts";

const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig(uiBuildOptions(root, `${root}dist/ui`));
