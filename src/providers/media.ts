import { readFile } from "node:fs/promises";
import type { ProviderName } from "../types.ts";
import { ProviderError } from "./errors.ts";

export type ImageType = "png" | "jpeg" | "gif" | "webp" | "bmp";

export interface LoadedImage {
  type: ImageType;
  mediaType: string;
  bytes: Buffer;
}

/**
 * The largest image each provider takes, in bytes, from its documentation (decimal megabytes, the stricter
 * reading):
 * - Bedrock Converse: "Each image's size, height, and width must be no more than 3.75 MB, 8000 px, and 8000 px"
 *   (API reference, `Message.content`: https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Message.html).
 * - OpenAI chat completions (and Azure OpenAI, and OpenAI-compatible servers, for want of their own figure): images
 *   up to 20 MB each (https://platform.openai.com/docs/guides/images-vision; the guide now also caps a request's
 *   whole payload at 50 MB).
 * - Gemini API: inline image data only while "the total request size", prompt included, stays under 20 MB
 *   (https://ai.google.dev/gemini-api/docs/image-understanding; larger files go through the File API).
 * - mock/: no service, but a rehearsal of a real run: the most any provider above takes.
 */
export const IMAGE_LIMITS: Readonly<Record<ProviderName, { bytes: number; rule: string }>> = {
  bedrock: { bytes: 3_750_000, rule: "Bedrock Converse takes images up to 3.75 MB" },
  openai: { bytes: 20_000_000, rule: "OpenAI takes images up to 20 MB" },
  azure: { bytes: 20_000_000, rule: "Azure OpenAI takes images up to 20 MB" },
  "openai-compatible": { bytes: 20_000_000, rule: "OpenAI-compatible servers are held to OpenAI's 20 MB" },
  gemini: { bytes: 20_000_000, rule: "Gemini takes inline images up to 20 MB per request" },
  mock: { bytes: 20_000_000, rule: "mock/ models take what the most permissive provider does, 20 MB" },
};

/** `312.5 MB`, `3.75 MB`: decimal megabytes, as the providers write their limits. */
export function megabytes(bytes: number): string {
  const mb = bytes / 1_000_000;
  return `${mb >= 100 ? mb.toFixed(0) : Number(mb.toPrecision(3))} MB`;
}

/** The image type from its first bytes (never from the file name): PNG, JPEG, GIF, WebP or BMP. */
export function sniffImageType(b: Uint8Array): ImageType | undefined {
  const starts = (...xs: number[]) => xs.every((x, i) => b[i] === x);
  if (starts(0x89, 0x50, 0x4e, 0x47)) return "png";
  if (starts(0xff, 0xd8, 0xff)) return "jpeg";
  if (starts(0x47, 0x49, 0x46, 0x38)) return "gif";
  if (starts(0x52, 0x49, 0x46, 0x46) && b[8] === 0x57 && b[9] === 0x45 && b[10] === 0x42 && b[11] === 0x50)
    return "webp";
  if (starts(0x42, 0x4d)) return "bmp";
  return undefined;
}

/**
 * Loads a scenario's image: an absolute local path (resolved from the eval file by the runner) or an http(s)
 * URL, fetched only then. The type is sniffed from the bytes; anything but the five supported formats is an error.
 */
export async function loadImage(ref: string, signal?: AbortSignal): Promise<LoadedImage> {
  let bytes: Buffer;
  if (/^https?:\/\//i.test(ref)) {
    const res = await fetch(ref, signal ? { signal } : {});
    if (!res.ok) throw new ProviderError(`image ${ref}: HTTP ${res.status}`, "invalid_request", res.status);
    bytes = Buffer.from(await res.arrayBuffer());
  } else {
    try {
      bytes = await readFile(ref);
    } catch {
      throw new ProviderError(`image not found: ${ref}`, "invalid_request");
    }
  }
  const type = sniffImageType(bytes);
  if (!type)
    throw new ProviderError(`image ${ref} is not a JPG, PNG, GIF, WebP or BMP file`, "invalid_request");
  return { type, mediaType: `image/${type}`, bytes };
}
