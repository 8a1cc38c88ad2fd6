/** An object as written: its entries in order, duplicates kept (a judge writing one key twice is ambiguous). */
export class LenientObject {
  constructor(readonly entries: readonly (readonly [string, LenientValue])[]) {}
}

/**
 * A value read by {@link parseLenientAt}. An unquoted fraction such as `4/5` is kept as the string `"4/5"`, so
 * that it reads the same as the quoted form.
 */
export type LenientValue = string | number | boolean | null | LenientValue[] | LenientObject;

/** Deeper than any verdict: bounds the recursion on a pathological `{{{{…` answer. */
const MAX_DEPTH = 32;

const WORDS = new Map<string, boolean | null>([
  ["true", true],
  ["false", false],
  ["null", null],
  ["True", true],
  ["False", false],
  ["None", null],
]);

/**
 * Parses the JSON-like value (an object or an array) that starts at `start`, as models write it by hand: JSON
 * plus `//` and `/* *\/` comments, trailing commas, single-quoted strings, bare keys, Python's `True`/`False`/
 * `None` and unquoted `n/d` fractions. Nothing else is guessed. Returns the value and the index just after it, or
 * undefined when the text there is not such a value.
 */
export function parseLenientAt(
  text: string,
  start: number,
): { value: LenientValue; end: number } | undefined {
  const p = new Parser(text, start);
  try {
    const value = p.value(0);
    return { value, end: p.pos };
  } catch (err) {
    if (err instanceof SyntaxError) return undefined;
    throw err;
  }
}

class Parser {
  constructor(
    private readonly s: string,
    public pos: number,
  ) {}

  value(depth: number): LenientValue {
    if (depth > MAX_DEPTH) throw new SyntaxError("too deep");
    this.skip();
    const ch = this.s[this.pos];
    if (ch === "{") return this.object(depth);
    if (ch === "[") return this.array(depth);
    if (ch === '"' || ch === "'") return this.string();
    if (ch !== undefined && /[-\d.]/.test(ch)) return this.number();
    const word = /^[A-Za-z]+/.exec(this.s.slice(this.pos, this.pos + 6))?.[0];
    if (word !== undefined && WORDS.has(word)) {
      this.pos += word.length;
      return WORDS.get(word) as boolean | null;
    }
    throw new SyntaxError("no value");
  }

  private object(depth: number): LenientObject {
    this.pos++;
    const entries: [string, LenientValue][] = [];
    for (;;) {
      this.skip();
      if (this.eat("}")) return new LenientObject(entries);
      const key = this.key();
      this.skip();
      if (!this.eat(":")) throw new SyntaxError("expected :");
      entries.push([key, this.value(depth + 1)]);
      this.skip();
      if (this.eat(",")) continue;
      if (this.eat("}")) return new LenientObject(entries);
      throw new SyntaxError("expected , or }");
    }
  }

  private array(depth: number): LenientValue[] {
    this.pos++;
    const items: LenientValue[] = [];
    for (;;) {
      this.skip();
      if (this.eat("]")) return items;
      items.push(this.value(depth + 1));
      this.skip();
      if (this.eat(",")) continue;
      if (this.eat("]")) return items;
      throw new SyntaxError("expected , or ]");
    }
  }

  private key(): string {
    const ch = this.s[this.pos];
    if (ch === '"' || ch === "'") return this.string();
    const bare = /^[\p{L}_$][\p{L}\p{N}_$-]*/u.exec(this.s.slice(this.pos, this.pos + 200))?.[0];
    if (bare === undefined) throw new SyntaxError("expected a key");
    this.pos += bare.length;
    return bare;
  }

  private string(): string {
    const quote = this.s[this.pos++];
    let out = "";
    for (;;) {
      // The plain run up to the next quote, backslash or newline, in one slice.
      const from = this.pos;
      const end = this.s.length;
      while (this.pos < end && !isStringStop(this.s.charCodeAt(this.pos))) this.pos++;
      if (this.pos > from) out += this.s.slice(from, this.pos);
      const ch = this.s[this.pos++];
      if (ch === undefined || ch === "\n") throw new SyntaxError("unterminated string");
      if (ch === quote) return out;
      if (ch !== "\\") {
        out += ch;
        continue;
      }
      const esc = this.s[this.pos++];
      if (esc === "u") {
        const hex = this.s.slice(this.pos, this.pos + 4);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new SyntaxError("bad \\u escape");
        out += String.fromCharCode(Number.parseInt(hex, 16));
        this.pos += 4;
      } else if (esc === undefined) throw new SyntaxError("unterminated string");
      else out += ESCAPES[esc] ?? esc;
    }
  }

  private number(): number | string {
    const m = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/.exec(this.s.slice(this.pos, this.pos + 40));
    if (!m) throw new SyntaxError("bad number");
    this.pos += m[0].length;
    // `4/5` unquoted: a fraction, read as its text (a `//` or `/*` after a number is a comment, not a fraction).
    const fraction = /^[ \t]*\/[ \t]*(\d+(?:\.\d+)?)/.exec(this.s.slice(this.pos, this.pos + 40));
    if (fraction) {
      this.pos += fraction[0].length;
      return `${m[0]}/${fraction[1]}`;
    }
    return Number(m[0]);
  }

  /** Skips whitespace and comments. */
  private skip(): void {
    for (;;) {
      const c = this.s.charCodeAt(this.pos);
      // ASCII whitespace by code, the rest (NBSP, line separators…) by what `\s` matches.
      if (c === 32 || (c >= 9 && c <= 13) || (c > 127 && SPACE.test(this.s[this.pos] as string))) {
        this.pos++;
        continue;
      }
      const rest = c === 47 ? this.s.slice(this.pos, this.pos + 2) : "";
      if (rest === "//") {
        const nl = this.s.indexOf("\n", this.pos);
        this.pos = nl < 0 ? this.s.length : nl + 1;
      } else if (rest === "/*") {
        const close = this.s.indexOf("*/", this.pos + 2);
        if (close < 0) throw new SyntaxError("unterminated comment");
        this.pos = close + 2;
      } else return;
    }
  }

  private eat(ch: string): boolean {
    if (this.s[this.pos] !== ch) return false;
    this.pos++;
    return true;
  }
}

/** What ends a plain run in a string: either quote, a backslash, a newline (each then read on its own). */
const isStringStop = (c: number) => c === 34 || c === 39 || c === 92 || c === 10;
const SPACE = /\s/;

const ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r", b: "\b", f: "\f" };
