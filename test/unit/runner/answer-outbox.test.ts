import { describe, expect, it } from "vitest";
import { answerOutbox } from "../../../src/runner/answer-outbox.ts";

/** An outbox on a hand-driven clock and turn: `endTurn` runs what was scheduled for the turn's end. */
function setup(holdMs = 2) {
  const sent: number[][] = [];
  let clock = 0;
  let atTurnEnd: (() => void)[] = [];
  const outbox = answerOutbox<number>((batch) => sent.push(batch), {
    holdMs,
    now: () => clock,
    schedule: (f) => atTurnEnd.push(f),
  });
  const endTurn = () => {
    const due = atTurnEnd;
    atTurnEnd = [];
    for (const f of due) f();
  };
  return { sent, outbox, endTurn, tick: (ms: number) => (clock += ms) };
}

describe("answerOutbox", () => {
  it("sends the answers of one short turn as one batch, at the turn's end", () => {
    const { sent, outbox, endTurn, tick } = setup();
    outbox.push(1);
    tick(1);
    outbox.push(2);
    outbox.push(3);
    expect(sent).toEqual([]);
    endTurn();
    expect(sent).toEqual([[1, 2, 3]]);
  });

  it("sends at once when the first held answer has waited the hold time: a long turn holds none for long", () => {
    const { sent, outbox, endTurn, tick } = setup(2);
    outbox.push(1);
    tick(2);
    outbox.push(2);
    expect(sent).toEqual([[1, 2]]);
    outbox.push(3);
    tick(1);
    outbox.push(4);
    expect(sent).toEqual([[1, 2]]);
    endTurn();
    expect(sent).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it("sends nothing empty, and flush sends what is held", () => {
    const { sent, outbox, endTurn } = setup();
    endTurn();
    outbox.flush();
    expect(sent).toEqual([]);
    outbox.push(7);
    outbox.flush();
    endTurn();
    expect(sent).toEqual([[7]]);
  });
});
