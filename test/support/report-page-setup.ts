// Vitest globalSetup (optional): builds the HTML report's page script once before the test files run, so the
// files that write reports (in parallel workers) find it in the cache instead of each building it on a cold one.
// Wire it with `globalSetup: ["test/support/report-page-setup.ts"]` in vitest.config.ts.
import { readPageScript } from "../../reporters/html/page-bundle.ts";

export default async function setup(): Promise<void> {
  await readPageScript();
}
