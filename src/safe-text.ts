// Text from outside (scenario ids, model names, errors, provider bodies, judge rationales) must never drive the
// terminal or CI log that shows it: an OSC can retitle the window, `CSI 2J` clear it, a lone CR overwrite a line.
import type { TextSink } from "./types.ts";

// C0 controls but tab and newline, DEL and the C1 controls (U+0080–U+009F: U+009B is a one-byte CSI), and, where
// colours are kept, an SGR colour sequence as a whole, to be let through.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: as above.
const CONTROL_OR_NEWLINE = /[\u0000-\u0008\u000A-\u001F\u007F-\u009F]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: as above.
const CONTROL_OR_SGR = /\u001B\[[0-9;]*m|[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: as above.
const SGR = /\u001B\[[0-9;]*m/g;
/** The live progress line's redraw (carriage return, erase line): ours when a write starts with it. */
const REDRAW = "\r\u001B[2K";

/**
 * `text` with every control character shown instead of obeyed: C0 controls (but `\n` and `\t`) and DEL as their
 * Unicode control pictures (ESC → `␛`, BEL → `␇`, CR → `␍`), C1 controls as `\x9b`-style text, so a reader sees
 * that something odd was there and nothing reaches the terminal as a command. A CR before a newline is dropped
 * (a Windows line end). With `keepColors`, SGR colour sequences (`ESC [ … m`) pass as they are — only colours,
 * like `less -R`: they cannot move the cursor, clear the screen or retitle the window. With `oneLine` (a name
 * shown within a line), a newline is shown too (`␊`), so a name cannot forge a line of its own. Pure and
 * idempotent.
 * @example safeText("\x1b]0;pwned\x07") // "␛]0;pwned␇"
 */
export function safeText(text: string, options: { keepColors?: boolean; oneLine?: boolean } = {}): string {
  const unix = text.includes("\r\n") ? text.replaceAll("\r\n", "\n") : text;
  const pattern = options.oneLine ? CONTROL_OR_NEWLINE : options.keepColors ? CONTROL_OR_SGR : CONTROL;
  return unix.replace(pattern, (c) => {
    if (c.length > 1) return c;
    const code = c.charCodeAt(0);
    if (code < 0x20) return String.fromCharCode(0x2400 + code);
    if (code === 0x7f) return "\u2421";
    return `\\x${code.toString(16)}`;
  });
}

/** Sinks `safeSink` made: wrapping one again would only run every write through `safeText` twice. */
const safeSinks = new WeakSet<TextSink>();

/**
 * A sink that writes everything through `safeText`: the console edge of the CLI (every reporter line, warning and
 * error goes through it). Keeps SGR colours when `colors` is on and drops them when it is off — whoever coloured
 * the text (a colour function called outside the CLI's io context colours by the process's env, not the sink's),
 * a sink without colours never shows one as `␛[31m`. Keeps the live line's leading `\r ESC[2K` redraw.
 * A sink it made is returned as it is (the CLI's run hands its safe streams to `startEvals`, which makes its own).
 */
export function safeSink(sink: TextSink, colors: boolean): TextSink {
  if (safeSinks.has(sink)) return sink;
  const safe: TextSink = {
    write: (text: string) => {
      const redraw = text.startsWith(REDRAW);
      const rest = redraw ? text.slice(REDRAW.length) : text;
      const body = safeText(colors ? rest : rest.replace(SGR, ""), { keepColors: colors });
      return sink.write(redraw ? `${REDRAW}${body}` : body);
    },
  };
  if (sink.isTTY !== undefined) safe.isTTY = sink.isTTY;
  safeSinks.add(safe);
  return safe;
}
