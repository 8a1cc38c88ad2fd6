// A streamed call its caller aborts at the first text it gets: the shape of the abort tests of every provider.
import { getProvider } from "../../src/providers/registry.ts";
import type { ModelProfile } from "../../src/types.ts";

/**
 * Streams an answer of up to `maxTokens` from `p`, aborting at its first text event. `consumed` settles as the
 * stream does (it should fail); `texts()` counts the text events that came, the one that aborted included.
 */
export async function abortAtFirstText(
  p: ModelProfile,
  maxTokens: number,
): Promise<{ consumed: Promise<void>; texts(): number }> {
  const controller = new AbortController();
  const stream = (await getProvider(p.provider)).stream(p, {
    messages: [{ role: "user", content: "Tell me everything about edge computing." }],
    temperature: 0,
    maxTokens,
    seed: "s",
    signal: controller.signal,
  });
  let texts = 0;
  const consumed = (async () => {
    for await (const ev of stream) if (ev.type === "text" && ev.text && ++texts === 1) controller.abort();
  })();
  return { consumed, texts: () => texts };
}
