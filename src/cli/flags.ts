// Option tables → cac: registering a command's flags, keeping their values intact through cac's parser, and
// reading them back as typed options.
import { type CAC, type Command, cac } from "cac";
import {
  checkOptionValues,
  type OptionSpec,
  type OptionTable,
  oneOf,
  specsOf,
} from "../config/option-table.ts";
import { FlagError } from "../errors.ts";

/**
 * Marks a flag's value so cac's parser (mri) keeps it as typed: mri turns "007" into 7, "" into 0 and takes
 * `-1` for a flag. A value behind this mark is never a number or a flag to it; `unprotect` removes the mark.
 */
const MARK = "\u0000";

/** `--flag <arg>`, `-c, --config <file>`, `--no-threads`, `--bail [n]`: how cac declares a spec. */
export function rawName(spec: OptionSpec): string {
  const long = spec.kind === "negatable" ? `--no-${spec.flag}` : `--${spec.flag}`;
  const name = spec.alias ? `-${spec.alias}, ${long}` : long;
  if (!("arg" in spec)) return name;
  return spec.kind === "optional-number" || spec.kind === "optional-string"
    ? `${name} [${spec.arg}]`
    : `${name} <${spec.arg}>`;
}

/** The description --help shows: the table's, with its real default. */
export function helpText(spec: OptionSpec): string {
  return spec.default === undefined ? spec.description : `${spec.description} (default: ${spec.default})`;
}

/** Registers on `cmd` the flags of its tables (those whose `commands` name it), in table order. */
export function registerFlags(cmd: Command, tables: readonly OptionTable<object>[]): Command {
  const command = cmd.name || "run";
  for (const table of tables)
    for (const [, spec] of specsOf(table)) {
      if (!spec.commands.includes(command)) continue;
      cmd.option(rawName(spec), helpText(spec));
      // cac gives every --no-* flag a default of true, printed as "(default: true)" and set on every parse: the
      // table states the real default instead, and an absent flag stays absent.
      const added = cmd.options.at(-1);
      if (added) added.config.default = undefined;
    }
  return cmd;
}

/** Whether a flag takes a value: always, when one follows, or never. */
type Arity = "value" | "optional" | "none";

function arityOf(spec: OptionSpec): Arity {
  if (spec.kind === "optional-number" || spec.kind === "optional-string") return "optional";
  return "arg" in spec ? "value" : "none";
}

/**
 * Rewrites the flags of the command `argv` runs so that cac keeps their values as given: `--concurrency -1`
 * becomes `--concurrency=<mark>-1`, `-t x` becomes `--testNamePattern=<mark>x`. A value-taking flag takes the
 * next argument unless that is another flag (a negative number is a value). `commands` maps each command name
 * (`run` for the default command) to its tables. Pure.
 */
export function protectValues(
  argv: readonly string[],
  commands: Readonly<Record<string, readonly OptionTable<object>[]>>,
): string[] {
  const all = Object.entries(commands).flatMap(([command, tables]) =>
    tables.flatMap((t) => specsOf(t).map(([, spec]) => ({ command, spec }))),
  );
  const find = (name: string, short: boolean, command?: string) =>
    all.find(
      (e) =>
        (command === undefined || e.spec.commands.includes(command)) &&
        (short ? e.spec.alias === name : e.spec.flag === name.split(".")[0]),
    )?.spec;
  // The command is the first argument that is no flag and no flag's value.
  let command = "run";
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--") break;
    const parsed = parseFlag(arg);
    if (!parsed) {
      if (Object.hasOwn(commands, arg)) command = arg;
      break;
    }
    const spec = find(parsed.name, parsed.short);
    if (spec && parsed.value === undefined && takesNext(spec, argv[i + 1])) i++;
  }
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--") {
      out.push(...argv.slice(i));
      break;
    }
    const parsed = parseFlag(arg);
    const spec = parsed && find(parsed.name, parsed.short, command);
    if (!parsed || !spec || arityOf(spec) === "none") {
      out.push(arg);
      continue;
    }
    const name = parsed.short ? spec.flag : parsed.name;
    if (parsed.value !== undefined) out.push(`--${name}=${MARK}${parsed.value}`);
    else if (takesNext(spec, argv[i + 1])) out.push(`--${name}=${MARK}${argv[++i]}`);
    else out.push(`--${name}`);
  }
  return out;
}

function parseFlag(arg: string): { name: string; short: boolean; value?: string } | undefined {
  const m = /^(--?)([^=-][^=]*)(?:=(.*))?$/s.exec(arg);
  if (!m) return undefined;
  return { name: m[2] as string, short: m[1] === "-", ...(m[3] === undefined ? {} : { value: m[3] }) };
}

/**
 * Whether the argument after a flag is its value. A flag that needs one takes the next argument unless that is
 * missing or a flag (`--x`, `-x`): `-1`, `-Infinity` and `-` are values, to be judged as such. A flag whose
 * value is optional takes only what cannot be a flag: a word, or a negative number.
 */
function takesNext(spec: OptionSpec, next: string | undefined): next is string {
  const arity = arityOf(spec);
  if (next === undefined || arity === "none") return false;
  if (!next.startsWith("-") || /^-\.?\d/.test(next)) return true;
  return arity === "value" && !/^(--.|-[^-]$)/.test(next);
}

/** Removes `protectValues`'s marks from parsed flags (in place in copies: strings, lists and maps). */
export function unprotect<T>(value: T): T {
  if (typeof value === "string") return (value.startsWith(MARK) ? value.slice(MARK.length) : value) as T;
  if (Array.isArray(value)) return value.map(unprotect) as T;
  if (typeof value === "object" && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unprotect(v)])) as T;
  return value;
}

/**
 * Reads the flags cac parsed for `cmd` into the table's typed options: formats are checked here (a number, one
 * value, a non-blank value), ranges and choices by the table's `checkOptionValues`. A flag that is set always
 * lands in its field; every error is a `FlagError` naming the flag.
 */
export function parseFlags<O extends object>(
  table: OptionTable<O>,
  flags: Readonly<Record<string, unknown>>,
): O {
  const out: Record<string, unknown> = {};
  for (const [key, spec] of specsOf(table)) {
    const raw = flags[cacKey(spec)];
    if (raw === undefined) continue;
    const value = parseValue(spec, raw, out);
    if (value !== undefined) out[key] = value;
  }
  checkOptionValues(table, out as Partial<O>);
  return out as O;
}

const cacKeys = new Map<OptionSpec, string>();

/** The key cac parses a flag into, by cac's own rule (its camelCase of `max-p95-ttft-ms` is `maxP95-ttftMs`). */
function cacKey(spec: OptionSpec): string {
  let key = cacKeys.get(spec);
  if (key === undefined) {
    key = cac().option(rawName(spec), "").globalCommand.options[0]?.name ?? spec.flag;
    cacKeys.set(spec, key);
  }
  return key;
}

/**
 * Parses `argv` (without `node` and the script) with `cli`, keeping the values of the tables' flags as given
 * (see `protectValues`), and checks the matched command's flags by its tables (format, range, choice), so no
 * command starts on a bad value. The action gets the values without marks. Does not run the command.
 */
export function parseArgv(
  cli: CAC,
  argv: readonly string[],
  commands: Readonly<Record<string, readonly OptionTable<object>[]>>,
): void {
  const protectedArgv = protectValues(argv, commands);
  cli.parse(["node", cli.name, ...protectedArgv], { run: false });
  cli.options = unprotect(cli.options);
  if (cli.options.help || cli.options.version || !cli.matchedCommand) return;
  const command = cli.matchedCommand.name || "run";
  checkKnownFlags(protectedArgv, command, commands, cli.name);
  for (const table of commands[command] ?? []) parseFlags(table, cli.options);
}

/** Flags every command takes (cac's). */
const BUILT_IN = new Set(["help", "h", "version", "v"]);

/**
 * An unknown flag is an error that names it as typed (cac would name its camelCase, `--maxCost`) and the commands
 * that do take it.
 */
function checkKnownFlags(
  argv: readonly string[],
  command: string,
  commands: Readonly<Record<string, readonly OptionTable<object>[]>>,
  program: string,
): void {
  const specOf = (cmd: string, name: string, short: boolean) =>
    (commands[cmd] ?? [])
      .flatMap((t) => specsOf(t).map(([, s]) => s))
      .find(
        (s) =>
          s.commands.includes(cmd) &&
          (short ? s.alias === name : s.flag === name || (s.kind === "negatable" && name === `no-${s.flag}`)),
      );
  for (const arg of argv) {
    if (arg === "--") return;
    const parsed = parseFlag(arg);
    if (!parsed) continue;
    const name = parsed.name.split(".")[0] as string;
    if (BUILT_IN.has(name)) continue;
    const spec = specOf(command, name, parsed.short);
    // A switch given a value (`--no-threads=1`): cac would call it an unknown `--threads=1`.
    if (spec && arityOf(spec) === "none" && parsed.value !== undefined)
      throw new FlagError(`--${parsed.name} takes no value (got "${parsed.value}")`);
    if (spec) continue;
    const usage = (cmd: string) => (cmd === "run" ? program : `${program} ${cmd}`);
    const elsewhere = Object.keys(commands).filter((c) => c !== command && specOf(c, name, parsed.short));
    throw new FlagError(
      `unknown flag ${parsed.short ? "-" : "--"}${name} for ${usage(command)}`,
      elsewhere.length
        ? `It is a flag of ${elsewhere.map(usage).join(", ")}.`
        : `Run ${usage(command)} --help for its flags.`,
    );
  }
}

function parseValue(spec: OptionSpec, raw: unknown, parsed: Record<string, unknown>): unknown {
  const flag = `--${spec.flag}`;
  const expected = expectedValue(spec);
  // A flag given twice: its last value wins (as in cac, Vitest and most CLIs), once each value is well-formed.
  const last = <T>(values: readonly T[]): T => values.at(-1) as T;
  const all = (v: unknown): unknown[] => ([] as unknown[]).concat(v);
  const one = (v: unknown): string => {
    if (typeof v === "boolean") throw new FlagError(`${flag} needs ${expected} (got nothing)`);
    const s = String(v);
    if (s.trim() === "")
      throw new FlagError(
        `${flag} needs ${expected} (got a blank value)`,
        'A blank value is often an unset variable (--flag "$VAR"): set it, or leave the flag out.',
      );
    return s;
  };
  const number = (v: unknown): number => {
    const s = one(v);
    const n = Number(s);
    if (!DECIMAL.test(s.trim()) || !Number.isFinite(n))
      throw new FlagError(`${flag} needs ${expected} (got "${s}")`);
    return n;
  };
  switch (spec.kind) {
    case "boolean":
    case "negatable":
      for (const v of all(raw))
        if (typeof v !== "boolean") throw new FlagError(`${flag} takes no value (got "${String(v)}")`);
      return last(all(raw));
    case "string":
    case "choice":
      return last(all(raw).map(one));
    case "number":
      return last(all(raw).map(number));
    case "optional-number":
      return last(all(raw).map((v) => (v === true ? spec.bare : number(v))));
    case "optional-string":
      return last(all(raw).map((v) => (v === true ? true : one(v))));
    case "list":
      return last(all(raw).map(one))
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean);
    case "repeatable":
      return all(raw).map(one);
    case "map": {
      if (typeof raw === "object" && raw !== null && !Array.isArray(raw))
        return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, last(all(v).map(one))]));
      const reporters = parsed.reporters;
      // Like Vitest: with a single reporter, a plain --outputFile is that reporter's.
      if (Array.isArray(reporters) && reporters.length === 1 && !all(raw).some((v) => typeof v === "object"))
        return { [reporters[0] as string]: last(all(raw).map(one)) };
      throw new FlagError(
        `${flag} needs a reporter name when several reporters run, e.g. ${flag}.junit=reports/junit.xml`,
      );
    }
  }
}

/** A number as people write it in decimal: `3`, `-1`, `0.5`, `.5`, `1e3` (not `0x10`, `Infinity` or `3abc`). */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/**
 * What a flag's value must be, for messages: "a number between 1 and 5", "one of off, on or replay",
 * "a value <file>".
 */
export function expectedValue(spec: OptionSpec): string {
  switch (spec.kind) {
    case "number":
    case "optional-number":
      return /^an? /.test(spec.range.rule) ? spec.range.rule : `a number ${spec.range.rule}`;
    case "choice":
      return `one of ${oneOf(spec.choices)}`;
    case "list":
      return `a comma-separated ${spec.arg === "list" ? "list" : `list of <${spec.arg}>`}`;
    case "boolean":
    case "negatable":
      return "no value";
    default:
      return `a value <${spec.arg}>`;
  }
}
