// Debian's chromium, driven by playwright-core (which never downloads a browser of its own).
import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";
/** Whether this machine has it (CI installs Debian's chromium package; without it the browser tests skip). */
export const HAS_CHROMIUM = existsSync(CHROMIUM);

/** Headless chromium with the flags this project's browser tests and benches use. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--no-first-run",
    ],
  });
}
