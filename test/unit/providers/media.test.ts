import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadImage, sniffImageType } from "../../../src/providers/media.ts";

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
  it("reads a local file and trusts its bytes, not its name", async () => {
    expect((await loadImage(join(IMAGES, "pixel.gif"))).mediaType).toBe("image/gif");
    await expect(loadImage(join(IMAGES, "not-an-image.png"))).rejects.toThrow(
      "is not a JPG, PNG, GIF, WebP or BMP file",
    );
    await expect(loadImage(join(IMAGES, "missing.png"))).rejects.toThrow("image not found");
  });
});
