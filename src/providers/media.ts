import { readFile } from "node:fs/promises";
import { ProviderError } from "./errors.ts";

export type ImageType = "png" | "jpeg" | "gif" | "webp" | "bmp";

export interface LoadedImage {
  type: ImageType;
  mediaType: string;
  bytes: Buffer;
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
