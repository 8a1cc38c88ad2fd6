// The shape of an option table (Vitest's `CLIOptions<Config>` idea): one entry per field of an options type, each
// saying its flag, value kind, range, default text and the config-file key it overrides; a field without an entry
// is a type error. The tables themselves are in options.ts (StartOptions) and cli/command-options.ts.
import { FlagError } from "../errors.ts";
import type { UserConfig } from "../types.ts";

/** A dotted key path into the config file (`gate.maxP95TtftMs`). */
export type ConfigPath<T = UserConfig> = {
  [K in keyof T & string]-?: NonNullable<T[K]> extends readonly unknown[] | string | number | boolean
    ? K
    : `${K}.${ConfigPath<NonNullable<T[K]>>}`;
}[keyof T & string];

/** A number's range, checked wherever the number comes from (flag or program). */
export interface NumberRange {
  min?: number;
  max?: number;
  integer?: boolean;
  /** How the rule reads in a message: "must be <rule>". */
  rule: string;
  hint?: string;
}

interface SpecBase {
  /** The long flag without dashes: `max-p95-ttft-ms`. */
  flag: string;
  /** A one-letter alias: `c` for `-c`. */
  alias?: string;
  description: string;
  /** The real default, as text for --help and the docs; absent when none. */
  default?: string;
  /** The config-file key this flag overrides, when the config has one. */
  config?: ConfigPath;
  /** The commands that take this flag (`run` is the default command, `evals [...filters]`). */
  commands: readonly string[];
}

/** `--flag <value>`: one string. */
export interface StringSpec extends SpecBase {
  kind: "string";
  arg: string;
}
/** `--flag <n>`: one number in a range. */
export interface NumberSpec extends SpecBase {
  kind: "number";
  arg: string;
  range: NumberRange;
}
/** `--flag [n]`: a number, or `bare` when the flag has no value. */
export interface OptionalNumberSpec extends SpecBase {
  kind: "optional-number";
  arg: string;
  range: NumberRange;
  bare: number;
}
/** `--flag [value]`: a string, or `true` when the flag has no value. */
export interface OptionalStringSpec extends SpecBase {
  kind: "optional-string";
  arg: string;
}
/** `--flag <choice>`: one of `choices`. */
export interface ChoiceSpec<T extends string = string> extends SpecBase {
  kind: "choice";
  arg: string;
  choices: readonly T[];
}
/** `--flag`: turns something on. */
export interface BooleanSpec extends SpecBase {
  kind: "boolean";
}
/** `--no-flag`: turns something off that is on by default (`flag` is the name without `no-`). */
export interface NegatableSpec extends SpecBase {
  kind: "negatable";
}
/** `--flag <a,b>`: a comma-separated list. */
export interface ListSpec extends SpecBase {
  kind: "list";
  arg: string;
}
/** `--flag <value>` given once or more: a list. */
export interface RepeatableSpec extends SpecBase {
  kind: "repeatable";
  arg: string;
}
/** `--flag.<key> <value>` (or a plain `--flag <value>` for the only `reporters` entry): a map. */
export interface MapSpec extends SpecBase {
  kind: "map";
  arg: string;
}

export type OptionSpec =
  | StringSpec
  | NumberSpec
  | OptionalNumberSpec
  | OptionalStringSpec
  | ChoiceSpec
  | BooleanSpec
  | NegatableSpec
  | ListSpec
  | RepeatableSpec
  | MapSpec;

/** The specs a field of type `V` may have: a number field can't be given a string flag, and so on. */
export type SpecFor<V> = [NonNullable<V>] extends [number]
  ? NumberSpec | OptionalNumberSpec
  : [NonNullable<V>] extends [boolean]
    ? BooleanSpec | NegatableSpec
    : [NonNullable<V>] extends [string | true]
      ? [NonNullable<V>] extends [string]
        ? string extends NonNullable<V>
          ? StringSpec
          : ChoiceSpec<NonNullable<V>>
        : OptionalStringSpec
      : [NonNullable<V>] extends [readonly string[]]
        ? ListSpec | RepeatableSpec
        : [NonNullable<V>] extends [Record<string, string>]
          ? MapSpec
          : never;

/**
 * One entry per field of `O`, like Vitest's `CLIOptions<Config>`: a field without an entry, or an entry without a
 * field, is a type error. `null` marks a field no flag sets (set by programs, or positional).
 */
export type OptionTable<O> = { [K in keyof O]-?: SpecFor<O[K]> | null };

/** `[key, spec]` of every entry of a table that a flag sets. */
export function specsOf<O>(table: OptionTable<O>): [keyof O & string, OptionSpec][] {
  return Object.entries(table).filter((e): e is [keyof O & string, OptionSpec] => e[1] !== null);
}

/** The message of a number out of its range, or undefined when it is in range. */
export function rangeProblem(range: NumberRange, value: number): string | undefined {
  const ok =
    Number.isFinite(value) &&
    (range.min === undefined || value >= range.min) &&
    (range.max === undefined || value <= range.max) &&
    (!range.integer || Number.isInteger(value));
  return ok ? undefined : `must be ${range.rule} (got ${value})`;
}

/**
 * Checks the ranges and choices of the options set, whether a flag or a program set them; the message names the
 * flag. Throws a `FlagError` on the first bad value.
 */
export function checkOptionValues<O extends object>(table: OptionTable<O>, options: Partial<O>): void {
  for (const [key, spec] of specsOf(table)) {
    const value: unknown = options[key];
    if (value === undefined) continue;
    if ((spec.kind === "number" || spec.kind === "optional-number") && typeof value === "number") {
      const problem = rangeProblem(spec.range, value);
      if (problem) throw new FlagError(`--${spec.flag} ${problem}`, spec.range.hint);
    }
    if (spec.kind === "choice" && !spec.choices.includes(value as string))
      throw new FlagError(`--${spec.flag} must be ${oneOf(spec.choices)} (got "${String(value)}")`);
  }
}

/** "a, b or c". */
export function oneOf(choices: readonly string[]): string {
  return choices.length < 2 ? choices.join("") : `${choices.slice(0, -1).join(", ")} or ${choices.at(-1)}`;
}
