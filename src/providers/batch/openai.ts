import type {
  BatchAdapter,
  BatchHandle,
  BatchItem,
  BatchLimits,
  BatchProgress,
  ModelProfile,
} from "../../types.ts";
import { vendored } from "../../vendor.ts";
import { classifyHttpError, ProviderError } from "../errors.ts";
import { clientFor, completionEvents, requestBody } from "../openai.ts";
import { batchAnswerOf, batchFailureOf } from "./batch-item.ts";

type Batch = import("openai").OpenAI.Batch;

/** The metadata key that carries our label on a batch (`find`). */
const LABEL_KEY = "jury_label";

/**
 * OpenAI: 50,000 requests and 200 MB per input file (the `input_file_id` of POST /v1/batches, API reference and
 * the SDK's own doc comment). Azure global batch: 100,000 requests per file, 200 MB per input file
 * (https://learn.microsoft.com/azure/ai-foundry/openai/how-to/batch, "Batch limits"). The bytes leave room for
 * each line's newline, which the engine's sum of encoded requests does not count.
 */
function limitsOf(profile: ModelProfile): BatchLimits {
  const maxRequests = profile.provider === "azure" ? 100_000 : 50_000;
  return { maxRequests, maxBytes: 200_000_000 - maxRequests };
}

/**
 * Where a batch line goes. Azure global batch wants `/chat/completions` (its documented input lines and `endpoint`)
 * and the deployment name as `model`, which the live body already carries; OpenAI and the services that mirror
 * its Batch API want `/v1/chat/completions`.
 */
function endpointOf(profile: ModelProfile): "/v1/chat/completions" {
  // Azure's value is not in the SDK's union of OpenAI endpoints; it is sent as is.
  return (
    profile.provider === "azure" ? "/chat/completions" : "/v1/chat/completions"
  ) as "/v1/chat/completions";
}

/** The batch's state; an expired batch ended without its unfinished requests, which its files still tell. */
function progressOf(batch: Batch): BatchProgress {
  // Azure reports `null` counts for a batch that failed validation.
  const counts = batch.request_counts as
    | { completed: number | null; failed: number | null; total: number | null }
    | undefined;
  const figures =
    typeof counts?.total === "number"
      ? { done: (counts.completed ?? 0) + (counts.failed ?? 0), total: counts.total }
      : {};
  switch (batch.status) {
    case "completed":
      return { state: "ended", ...figures };
    case "failed": {
      const words = (batch.errors?.data ?? [])
        .map((e) =>
          [e.code, e.line == null ? undefined : `line ${e.line}`, e.message].filter(Boolean).join(": "),
        )
        .join("; ");
      return { state: "failed", ...figures, message: words || "the batch failed validation" };
    }
    case "expired":
      return { state: "expired", ...figures };
    case "cancelled":
      return { state: "cancelled", ...figures };
    default:
      // validating, in_progress, finalizing, cancelling
      return { state: "running", ...figures };
  }
}

function handleOf(profile: ModelProfile, batch: Batch, label: string): BatchHandle {
  return {
    provider: profile.provider,
    profileKey: profile.key,
    id: batch.id,
    label,
    refs: { inputFileId: batch.input_file_id },
  };
}

/** The lines of a file's content, read as they arrive (an output file may hold 200 MB). */
async function* linesOf(res: Response): AsyncGenerator<string> {
  if (!res.body) return;
  const decoder = new TextDecoder();
  let rest = "";
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    rest += decoder.decode(chunk, { stream: true });
    const lines = rest.split("\n");
    rest = lines.pop() ?? "";
    for (const line of lines) if (line.trim()) yield line;
  }
  rest += decoder.decode();
  if (rest.trim()) yield rest;
}

interface OutputLine {
  custom_id?: string;
  response?: { status_code?: number; body?: unknown } | null;
  error?: { code?: string | null; message?: string | null } | null;
}

/**
 * One output (or error) file line as a `BatchItem`: a 200 is read by the live path's own reader (refusals
 * included); a non-200 is classified as the live call's error would be; an `error` without a response is the
 * batch's own (`batch_expired`, `batch_cancelled`: the request never ran), transient, but for a content filter's.
 */
function itemOf(profile: ModelProfile, line: OutputLine): BatchItem {
  const customId = String(line.custom_id ?? "");
  const status = line.response?.status_code;
  try {
    if (status === 200)
      return {
        customId,
        ok: true,
        answer: batchAnswerOf(
          completionEvents(line.response?.body as import("openai").OpenAI.ChatCompletion, profile),
        ),
      };
    if (status !== undefined) {
      const error = (line.response?.body as { error?: { message?: string; code?: string | null } } | null)
        ?.error;
      throw classifyHttpError(
        {
          status,
          message: error?.message ?? `${status} status code (no body)`,
          code: error?.code ?? null,
          error,
        },
        profile,
      );
    }
    const code = line.error?.code ?? undefined;
    const message = `${profile.key}: ${line.error?.message ?? code ?? "the batch returned no response"}`;
    if (code === "content_filter") throw classifyHttpError({ code, message: line.error?.message }, profile);
    throw new ProviderError(message, "transient", undefined, undefined, code);
  } catch (err) {
    return batchFailureOf(customId, err);
  }
}

/**
 * OpenAI's Batch API (`/v1/files` + `/v1/batches`, JSONL in and out), also Azure OpenAI global batch (a
 * `Global-Batch` deployment; `/openai/files` and `/openai/batches` with its `api-version`) and OpenAI-compatible
 * services that implement it. Each line's body is what the live non-streamed call sends; each answer is read as
 * the live call reads it.
 */
export const openaiBatch: BatchAdapter = {
  limits: limitsOf,

  async encode({ customId, profile, request }) {
    return {
      custom_id: customId,
      method: "POST",
      url: endpointOf(profile),
      body: await requestBody(profile, request),
    };
  },

  async submit(profile, items, label) {
    const client = await clientFor(profile, true);
    const { toFile } = (await import(vendored("openai"))) as typeof import("openai");
    const jsonl = items.map((i) => `${JSON.stringify(i.encoded)}\n`).join("");
    try {
      const file = await client.files.create({
        file: await toFile(Buffer.from(jsonl, "utf8"), `${label}.jsonl`, { type: "application/jsonl" }),
        purpose: "batch",
      });
      const batch = await client.batches.create({
        input_file_id: file.id,
        endpoint: endpointOf(profile),
        completion_window: "24h",
        metadata: { [LABEL_KEY]: label },
      });
      return handleOf(profile, batch, label);
    } catch (err) {
      throw classifyHttpError(err, profile);
    }
  },

  async find(profile, label) {
    const client = await clientFor(profile, true);
    try {
      for await (const batch of client.batches.list({ limit: 100 }))
        if (batch.metadata?.[LABEL_KEY] === label) return handleOf(profile, batch, label);
      return undefined;
    } catch (err) {
      throw classifyHttpError(err, profile);
    }
  },

  async poll(profile, handle) {
    const client = await clientFor(profile, true);
    try {
      return progressOf(await client.batches.retrieve(handle.id));
    } catch (err) {
      throw classifyHttpError(err, profile);
    }
  },

  async *results(profile, handle) {
    const client = await clientFor(profile, true);
    let batch: Batch;
    try {
      batch = await client.batches.retrieve(handle.id);
    } catch (err) {
      throw classifyHttpError(err, profile);
    }
    // Azure reports a file it has not written as "" rather than null.
    for (const fileId of [batch.output_file_id, batch.error_file_id]) {
      if (!fileId) continue;
      let res: Response;
      try {
        res = await client.files.content(fileId);
      } catch (err) {
        throw classifyHttpError(err, profile);
      }
      for await (const line of linesOf(res)) yield itemOf(profile, JSON.parse(line) as OutputLine);
    }
  },

  async cancel(profile, handle) {
    const client = await clientFor(profile, true);
    try {
      await client.batches.cancel(handle.id);
    } catch (err) {
      throw classifyHttpError(err, profile);
    }
  },
};
