import { stripVTControlCharacters } from "node:util";
import { describe, expect, it } from "vitest";
import { caseFailure } from "../../../reporters/case-failure.ts";
import { caseRecord, judged, scored } from "../../support/records.ts";

const DIMENSIONS = [
  "correctness",
  "completeness",
  "relevance",
  "format",
  "coherence",
  "following_instructions",
];
/** A judge's ~500-character rationale for `dimension`. */
const essay = (judge: string, dimension: string) =>
  `${judge} on ${dimension}: ${"the response misses the figures the task asked for and pads the answer. ".repeat(7)}`;

describe("caseFailure", () => {
  it("prints one shortened rationale per judge, not every rationale on every failing dimension", () => {
    const judges = ["mock/judge-a", "mock/judge-b", "mock/judge-c"];
    const result = judged(
      caseRecord(),
      judges.map((j, i) =>
        scored(
          j,
          { format: 1 + (i % 2) },
          {
            fill: 2,
            rationales: Object.fromEntries(DIMENSIONS.map((d) => [d, essay(j, d)])),
          },
        ),
      ),
    );
    const { lines, cut } = caseFailure(result);
    const shown = lines.map((l) => stripVTControlCharacters(l));
    expect(shown.slice(0, 6)).toEqual([
      "Correctness 2 < 3  (mock/judge-a 2, mock/judge-b 2, mock/judge-c 2)",
      "Completeness 2 < 3  (mock/judge-a 2, mock/judge-b 2, mock/judge-c 2)",
      "Relevance 2 < 3  (mock/judge-a 2, mock/judge-b 2, mock/judge-c 2)",
      "Format 1.33 < 3  (mock/judge-a 1, mock/judge-b 2, mock/judge-c 1)",
      "Coherence 2 < 3  (mock/judge-a 2, mock/judge-b 2, mock/judge-c 2)",
      "Following instructions 2 < 3  (mock/judge-a 2, mock/judge-b 2, mock/judge-c 2)",
    ]);
    // Each judge's rationale once, on the failing dimension it scored lowest (the first of equals), cut.
    expect(shown.slice(6)).toHaveLength(3);
    expect(shown[6]).toMatch(/^mock\/judge-a on Format: "mock\/judge-a on format: the response .{100,}…"$/);
    expect(shown[7]).toMatch(/^mock\/judge-b on Correctness: "mock\/judge-b on correctness: /);
    expect(shown[8]).toMatch(/^mock\/judge-c on Format: /);
    expect(Math.max(...shown.map((l) => l.length))).toBeLessThan(200);
    expect(cut).toBe(true);
  });

  it("says nothing was cut when every rationale fits", () => {
    const result = judged(caseRecord(), [
      scored("mock/judge-a", { correctness: 1 }, { rationales: { correctness: "Wrong." } }),
    ]);
    expect(caseFailure(result)).toEqual({
      lines: [
        "Correctness 1 < 3  (mock/judge-a 1)",
        expect.stringContaining('mock/judge-a on Correctness: "Wrong."'),
      ],
      cut: false,
    });
  });

  it("keeps a multi-line check message's lines, the next ones indented under the first, at most 10", () => {
    const result = judged(caseRecord(), [scored("mock/judge-a")], {
      checks: [
        { name: "json", passed: false, message: "invalid JSON:\n  at line 3\n\n  unexpected }" },
        {
          name: "long",
          passed: false,
          message: Array.from({ length: 14 }, (_, i) => `line ${i + 1}`).join("\n"),
        },
      ],
    });
    const shown = caseFailure(result).lines.map((l) => stripVTControlCharacters(l));
    expect(shown).toEqual([
      "check json: invalid JSON:",
      "  at line 3",
      "  unexpected }",
      "check long: line 1",
      ...Array.from({ length: 9 }, (_, i) => `  line ${i + 2}`),
      "  … 4 more lines",
    ]);
  });
});
