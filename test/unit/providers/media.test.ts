import { readFileSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ProviderError } from "../../../src/providers/errors.ts";
import { IMAGE_LIMITS, loadImage, sniffImageType } from "../../../src/providers/media.ts";
import { tempDir } from "../../support/temp-dir.ts";

const IMAGES = join(import.meta.dirname, "..", "..", "..", "fixtures", "images");

describe("sniffImageType", () => {
  it.each([
    [[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a], "png"],
    [[0xff, 0xd8, 0xff, 0xe0], "jpeg"],
    [[0x47, 0x49, 0x46, 0x38, 0x39, 0x61], "gif"],
    [[0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x57, 0x45, 0x42, 0x50], "webp"],
    [[0x42, 0x4d, 0, 0], "bmp"],
    [[0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x57, 0x41, 0x56, 0x45], undefined],
    [[0x25, 0x50, 0x44, 0x46], undefined],
  ])("%o → %s", (bytes, type) => {
    expect(sniffImageType(Uint8Array.from(bytes))).toBe(type);
  });
});

describe("loadImage", () => {
  const limit = IMAGE_LIMITS.openai;

  it("reads a local file and trusts its bytes, not its name", async () => {
    expect((await loadImage(join(IMAGES, "pixel.gif"), limit)).mediaType).toBe("image/gif");
    await expect(loadImage(join(IMAGES, "not-an-image.png"), limit)).rejects.toThrow(
      "is not a JPG, PNG, GIF, WebP or BMP file",
    );
    await expect(loadImage(join(IMAGES, "missing.png"), limit)).rejects.toThrow("image not found");
  });

  it("refuses an image larger than the provider takes before reading it, as a fatal error", async () => {
    const big = join(tempDir("img-"), "big.png");
    writeFileSync(big, readFileSync(join(IMAGES, "pixel.png")));
    truncateSync(big, 4_000_000);
    const err = await loadImage(big, IMAGE_LIMITS.bedrock).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).kind).toBe("fatal");
    expect((err as Error).message).toBe(
      `image ${big} is 4 MB, too large: Bedrock Converse takes images up to 3.75 MB`,
    );
    expect((await loadImage(big, limit)).bytes.length).toBe(4_000_000);
  });
});
