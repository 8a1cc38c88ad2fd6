import { createHash } from "node:crypto";
import { judgeAnswer } from "./judge-answer.ts";
import { answerWithToolResults, exampleForSchema, type ScriptMessage, scriptedStep } from "./tool-script.ts";

/** A request in any of the simulated wire formats, reduced to what the simulator answers from. */
export interface SimRequest {
  model: string;
  system: string;
  /** All user text, in order. */
  prompt: string;
  images: { mediaType: string; bytes: Buffer }[];
  maxTokens: number;
  /** False when the request leaves a reasoning model's thinking off (Anthropic's `thinking`); else it thinks. */
  thinks?: boolean;
  /** The names of the tools the request declares (issue 20). */
  tools?: string[];
  toolChoice?: "auto" | "required" | "none" | { name: string };
  /** The conversation, for the tool rule (tool-script.ts); absent: one user message, `prompt`. */
  history?: ScriptMessage[];
  /** Structured output asked of a model (not a judge): it answers a JSON value of this schema. */
  jsonSchema?: unknown;
}

/** A tool call the simulated model makes; each route writes it in its wire format. */
export interface SimToolCall {
  id: string;
  name: string;
  arguments: Record<string, unknown>;
}

/**
 * What the simulator answers. A judge-shaped request (our judge prompt) gets well-formed scores derived from the
 * golden answer in the prompt — the same scoring as the `mock/` judges; anything else gets a deterministic
 * answer that quotes the prompt and describes any images received (so tests can see they arrived intact).
 */
export function simulatedAnswer(
  req: SimRequest,
  seed: string,
): { text: string; judge: boolean; toolCalls?: SimToolCall[] } {
  const judging = parseJudgePrompt(req.prompt);
  if (judging && /quote-response/i.test(req.model)) {
    // A careless judge that scores 1 and quotes the response back in its rationales: for output-safety tests.
    const rationale = `You wrote: ${judging.response}`;
    const scores = Object.fromEntries(judging.dimensions.map((d) => [d.name, { score: 1, rationale }]));
    return { text: JSON.stringify({ scores }), judge: true };
  }
  if (judging) return { text: judgeAnswer(`sim:${req.model}`, seed, judging), judge: true };
  const images = req.images.map(
    (img) =>
      `[image ${img.mediaType} ${img.bytes.length} bytes sha256:${createHash("sha256").update(img.bytes).digest("hex").slice(0, 12)}]`,
  );
  const history = req.history ?? [{ role: "user", text: req.prompt }];
  const step = req.tools?.length ? scriptedStep(req.tools, history, req.toolChoice) : undefined;
  // Asked for structured output, it answers JSON once it has called the tools the prompt names.
  if (req.jsonSchema !== undefined && step?.kind !== "tool_calls")
    return { text: JSON.stringify(exampleForSchema(req.jsonSchema, req.model)), judge: false };
  const words = `Simulated answer from ${req.model}. ${images.join(" ")} You asked: ${req.prompt}`
    .split(/\s+/)
    .filter(Boolean);
  const text = words.slice(0, Math.max(1, req.maxTokens)).join(" ");
  if (!step) return { text, judge: false };
  if (step.kind === "answer") return { text: answerWithToolResults(text, step.toolResults), judge: false };
  const toolCalls = step.calls.map((c, i) => ({
    // Distinct per conversation step, the same on every run: ids echo back with the results.
    id: `call_${createHash("sha256").update(`${seed}|${history.length}|${i}|${c.name}`).digest("hex").slice(0, 16)}`,
    ...c,
  }));
  return { text: "", judge: false, toolCalls };
}

/**
 * A reasoning model's thinking, for a model whose name contains `reasoning` (`reasoning-<n>`: n tokens, else 40):
 * deterministic words, served before the answer in each wire format's reasoning field. Undefined for other models.
 */
export function simulatedReasoning(model: string): string | undefined {
  const m = /reasoning(?:-(\d+))?/i.exec(model);
  if (!m) return undefined;
  const n = Math.max(1, Number(m[1] ?? 40));
  const words = "Let me think this through step by step before I answer".split(" ");
  return Array.from({ length: n }, (_, i) => words[i % words.length]).join(" ");
}

/** Reads our judge prompt (src/jury/prompt.ts) back into its parts; undefined for any other prompt. */
export function parseJudgePrompt(prompt: string) {
  const section = (title: string) => {
    const start = prompt.indexOf(`## ${title}\n`);
    if (start < 0) return undefined;
    const from = start + title.length + 4;
    const end = prompt.indexOf("\n\n## ", from);
    return prompt.slice(from, end < 0 ? undefined : end);
  };
  const response = section("Model response to evaluate");
  const dims = section("Dimensions");
  if (response === undefined || dims === undefined) return undefined;
  const golden = section("Reference (golden) answer");
  const dimensions = dims
    .split("\n")
    .map((l) => /^- ([^:]+):/.exec(l)?.[1]?.trim())
    .filter((n): n is string => Boolean(n))
    .map((name) => ({ key: name.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "_"), name }));
  return {
    prompt: section("Prompt given to the model") ?? "",
    response,
    dimensions,
    ...(golden === undefined || golden.startsWith("(none given") ? {} : { golden }),
  };
}

/** The runs of non-whitespace in `s` (what `/\S+/g` matches), counted without building the matches. */
export function countTokens(s: string): number {
  let n = 0;
  let inToken = false;
  for (let i = 0; i < s.length; i++) {
    const space = isSpace(s.charCodeAt(i));
    if (!space && !inToken) n++;
    inToken = !space;
  }
  return n;
}

/** A UTF-16 code unit `\s` matches in a JavaScript regex (WhiteSpace and LineTerminator). */
function isSpace(c: number): boolean {
  if (c < 0x80) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}
