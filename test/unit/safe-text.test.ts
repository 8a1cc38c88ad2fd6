import { describe, expect, it } from "vitest";
import { safeSink, safeText } from "../../src/safe-text.ts";

const sink = () => {
  const writes: string[] = [];
  return { writes, isTTY: true, write: (t: string) => writes.push(t) };
};

describe("safeText", () => {
  it("shows C0, DEL and C1 controls instead of passing them, keeping newlines and tabs", () => {
    expect(safeText("\u001b]0;pwned\u0007 \u001b[2J\u009b31m\u007f\u0000")).toBe("␛]0;pwned␇ ␛[2J\\x9b31m␡␀");
    expect(safeText("a\tb\nc\r\nd\re")).toBe("a\tb\nc\nd␍e");
  });

  it("keeps SGR colour sequences only when asked, and nothing else that starts with ESC", () => {
    expect(safeText("\u001b[31mred\u001b[39m\u001b[2J")).toBe("␛[31mred␛[39m␛[2J");
    expect(safeText("\u001b[1;31mred\u001b[39m\u001b[2J\u001b]8;;x\u0007", { keepColors: true })).toBe(
      "\u001b[1;31mred\u001b[39m␛[2J␛]8;;x␇",
    );
  });

  it("shows a newline too within one line, and is idempotent", () => {
    expect(safeText("id\n ✓ forged", { oneLine: true })).toBe("id␊ ✓ forged");
    const once = safeText("\u001b]0;x\u0007\u009b");
    expect(safeText(once)).toBe(once);
  });
});

describe("safeSink", () => {
  it("keeps our colours and the live line's leading redraw, shows the rest", () => {
    const s = sink();
    const safe = safeSink(s, true);
    safe.write("\r\u001b[2K \u001b[32m1 passed\u001b[39m");
    safe.write(" case \r\u001b[2K\u001b[2J\n");
    expect(s.writes).toEqual(["\r\u001b[2K \u001b[32m1 passed\u001b[39m", " case ␍␛[2K␛[2J\n"]);
    expect(safe.isTTY).toBe(true);
  });

  it("with colours off, lets no ESC through: a colour is dropped (never shown as ␛[31m), anything else shown", () => {
    const s = sink();
    safeSink(s, false).write("\u001b[31mx\u001b[39m \u001b[2J\u001b]0;t\u0007\n");
    expect(s.writes).toEqual(["x ␛[2J␛]0;t␇\n"]);
  });

  it("returns a sink it made as it is: the CLI's safe streams handed to startEvals are not wrapped twice", () => {
    const safe = safeSink(sink(), true);
    expect(safeSink(safe, true)).toBe(safe);
  });
});
