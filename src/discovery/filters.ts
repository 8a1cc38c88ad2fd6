import { FlagError } from "../errors.ts";

/**
 * The full name of a case, the one `-t/--testNamePattern` matches and reporters show.
 * @example caseName("sql", "L3", "mock/fast") // "sql › L3 › mock/fast"
 */
export function caseName(evalName: string, scenarioKey: string, model: string): string {
  return `${evalName} › ${scenarioKey} › ${model}`;
}

/**
 * Compiles `-t/--testNamePattern` into a RegExp (`undefined` when no pattern is given).
 * @throws FlagError when the pattern is not a valid regular expression.
 */
export function compileTestNamePattern(pattern: string | undefined): RegExp | undefined {
  if (pattern === undefined || pattern === "") return undefined;
  try {
    return new RegExp(pattern);
  } catch (err) {
    throw new FlagError(`-t/--testNamePattern is not a valid regular expression: ${(err as Error).message}`, {
      hint: 'Escape special characters with a backslash, e.g. -t "\\(draft\\)".',
      cause: err,
    });
  }
}

/**
 * Whether a case name passes `-t/--testNamePattern`; no pattern keeps every case. Like Vitest, the pattern
 * is a regular expression searched anywhere in the name.
 * @throws FlagError when the pattern is not a valid regular expression.
 */
export function matchesTestNamePattern(pattern: string | undefined, name: string): boolean {
  const re = compileTestNamePattern(pattern);
  return re === undefined || re.test(name);
}
