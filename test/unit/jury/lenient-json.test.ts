import { describe, expect, it } from "vitest";
import { LenientObject, parseLenientAt } from "../../../src/jury/lenient-json.ts";

const at0 = (s: string) => parseLenientAt(s, 0);
const entries = (s: string) => {
  const v = at0(s)?.value;
  return v instanceof LenientObject ? v.entries : undefined;
};

describe("parseLenientAt", () => {
  it("reads JSON and says where it ends", () => {
    expect(at0('{"a": [1, -2.5e1, "x\\n\\u0041"], "b": null} tail')).toEqual({
      value: new LenientObject([
        ["a", [1, -25, "x\nA"]],
        ["b", null],
      ]),
      end: 42,
    });
  });

  it("reads what models write by hand: comments, trailing commas, single quotes, bare keys, Python literals", () => {
    expect(entries("{ // c\n a: 'it\\'s', /* c */ 'b': [True, False, None,], }")).toEqual([
      ["a", "it's"],
      ["b", [true, false, null]],
    ]);
  });

  it("keeps duplicate keys and an unquoted fraction as its text", () => {
    expect(entries('{"s": 4/5, "s": 8 / 10, "t": 4 // not a fraction\n}')).toEqual([
      ["s", "4/5"],
      ["s", "8/10"],
      ["t", 4],
    ]);
  });

  it.each([
    ["a truncated object", '{"a": 1'],
    ["an unterminated string", '{"a": "b}'],
    ["a raw newline in a string", '{"a": "b\nc"}'],
    ["an unterminated comment", '{"a": 1 /* }'],
    ["a word that is not a literal", '{"a": yes}'],
    ["NaN", '{"a": NaN}'],
    ["a missing colon", '{"a" 1}'],
    ["nesting deeper than any verdict", `${"[".repeat(40)}${"]".repeat(40)}`],
  ])("rejects %s", (_name, text) => {
    expect(at0(text)).toBeUndefined();
  });
});
