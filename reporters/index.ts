// The built-in reporters by name. Each is imported only when a run asks for it.
import type { Reporter } from "../src/reporter.ts";

type ReporterFactory = () => Promise<Reporter>;

/** Creates a built-in reporter by name. */
export const BUILT_IN: Record<string, ReporterFactory> = {
  default: async () => new (await import("./default.ts")).DefaultReporter(),
  verbose: async () => new (await import("./verbose.ts")).VerboseReporter(),
  dot: async () => new (await import("./dot.ts")).DotReporter(),
  json: async () => new (await import("./json.ts")).JsonReporter(),
  junit: async () => new (await import("./junit.ts")).JunitReporter(),
  html: async () => new (await import("./html/index.ts")).HtmlReporter(),
  csv: async () => new (await import("./csv.ts")).CsvReporter(),
  "github-actions": async () => new (await import("./github-actions.ts")).GithubActionsReporter(),
};

/** The built-in reporters' names. */
export const BUILT_IN_REPORTERS = Object.keys(BUILT_IN);

/** Whether `name` is a built-in reporter or reads as a module path (anything else is a typo). */
export function isReporterName(name: string): boolean {
  return Object.hasOwn(BUILT_IN, name) || /[./\\]/.test(name);
}

/** The fix for an unknown reporter name: the valid choices. */
export const REPORTER_CHOICES = `use one of ${BUILT_IN_REPORTERS.join(", ")}, or a path to a module such as ./my-reporter.ts`;
