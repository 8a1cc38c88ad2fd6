import { UsageError } from "../errors.ts";

/** Compiles `-t/--testNamePattern` into a RegExp, or explains why it is not one. */
export function compileTestNamePattern(pattern: string | undefined): RegExp | undefined {
  if (pattern === undefined || pattern === "") return undefined;
  try {
    return new RegExp(pattern);
  } catch (err) {
    throw new UsageError(`-t/--testNamePattern is not a valid regular expression: ${(err as Error).message}`);
  }
}
