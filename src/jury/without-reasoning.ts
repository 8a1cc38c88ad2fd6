const TAGS = "think|thinking|reasoning";
const BLOCK = new RegExp(`<(${TAGS})>[\\s\\S]*?</\\1>`, "gi");
const OPEN_AT_START = new RegExp(`^\\s*<(?:${TAGS})>`, "i");
const CLOSE = new RegExp(`</(?:${TAGS})>`, "gi");

/**
 * A judge's answer without its reasoning: closed `<think>`/`<thinking>`/`<reasoning>` blocks removed, and
 * everything up to a close whose opening the server left out (DeepSeek-R1's template opens `<think>` in the
 * prompt). `unclosed` when the answer opens a block it never closes: the rest is reasoning, maybe cut short.
 */
export function withoutReasoning(answer: string): { text: string; unclosed: boolean } {
  let text = answer.replace(BLOCK, " ");
  let lastClose = -1;
  for (const m of text.matchAll(CLOSE)) lastClose = m.index + m[0].length;
  if (lastClose >= 0) text = text.slice(lastClose);
  const open = OPEN_AT_START.exec(text);
  if (open) return { text: text.slice(open[0].length), unclosed: true };
  return { text, unclosed: false };
}
