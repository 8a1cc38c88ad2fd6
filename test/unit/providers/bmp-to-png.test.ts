import { describe, expect, it } from "vitest";
import { BmpError, bmpHeaderProblem, bmpToPng } from "../../../src/providers/bmp-to-png.ts";
import { type BmpLayout, decodePng, pixels, writeBmp } from "../../support/bitmaps.ts";

// 5 px wide: every row needs padding at 1, 4, 8, 16 and 24 bits per pixel.
const COLORS = [
  [255, 0, 0],
  [0, 255, 0],
  [0, 0, 255],
  [255, 255, 255],
  [0, 0, 0],
  [255, 255, 0],
  [0, 255, 255],
];
const opaque = pixels(5, 3, (x, y) => [...(COLORS[(x + 2 * y) % COLORS.length] ?? []), 255]);
const twoColors = pixels(13, 3, (x, y) => ((x + y) % 3 ? [255, 255, 255, 255] : [0, 0, 0, 255]));
const shades = pixels(5, 3, (x, y) => [x * 50 + 3, y * 90 + 7, (x * y * 17) % 256, 255]);
const translucent = pixels(5, 3, (x, y) => [x * 50, y * 100, 200, (x * 60 + y * 10) % 256]);

describe("bmpToPng", () => {
  it.each<[string, BmpLayout, typeof opaque]>([
    ["24-bit, bottom-up", { bpp: 24 }, shades],
    ["24-bit, top-down", { bpp: 24, topDown: true }, shades],
    ["24-bit, OS/2 core header", { bpp: 24, core: true }, shades],
    ["32-bit BI_RGB (unused fourth byte)", { bpp: 32 }, shades],
    ["32-bit, top-down", { bpp: 32, topDown: true }, shades],
    ["8-bit palette", { bpp: 8 }, shades],
    ["8-bit palette, core header (3-byte entries)", { bpp: 8, core: true }, opaque],
    ["4-bit palette", { bpp: 4 }, opaque],
    ["1-bit palette", { bpp: 1 }, twoColors],
    ["16-bit 5-5-5", { bpp: 16, masks: "555" }, opaque],
    ["16-bit 5-6-5 BI_BITFIELDS", { bpp: 16, masks: "565" }, opaque],
  ])("%s: an RGB PNG of the same pixels", (_name, layout, img) => {
    const png = decodePng(bmpToPng(writeBmp(img, layout)));
    expect(png.colorType).toBe(2);
    expect({ width: png.width, height: png.height }).toEqual({ width: img.width, height: img.height });
    expect(Buffer.from(png.rgba).equals(Buffer.from(img.rgba))).toBe(true);
  });

  it("32-bit BI_BITFIELDS with an alpha mask (V4 header): an RGBA PNG, alpha kept", () => {
    const png = decodePng(bmpToPng(writeBmp(translucent, { bpp: 32, masks: "argb" })));
    expect(png.colorType).toBe(6);
    expect(Buffer.from(png.rgba).equals(Buffer.from(translucent.rgba))).toBe(true);
  });

  it("an alpha mask over all-zero alpha is opaque, not invisible", () => {
    const zeroAlpha = pixels(5, 3, (x, y) => [x * 50, y * 100, 200, 0]);
    const png = decodePng(bmpToPng(writeBmp(zeroAlpha, { bpp: 32, masks: "argb" })));
    expect(png.colorType).toBe(2);
    expect([...png.rgba.filter((_, i) => i % 4 === 3)]).toEqual(Array(15).fill(255));
  });

  /** A 24-bit BMP with its header's field at `offset` set to `value` (u32 unless `u16`). */
  const patched = (offset: number, value: number, u16 = false) => {
    const b = writeBmp(shades, { bpp: 24 });
    if (u16) b.writeUInt16LE(value, offset);
    else b.writeUInt32LE(value, offset);
    return b;
  };

  it.each([
    ["RLE8", patched(30, 1), "BMP with RLE8 compression is not supported; convert it to PNG"],
    ["RLE4", patched(30, 2), "BMP with RLE4 compression is not supported; convert it to PNG"],
    ["embedded JPEG", patched(30, 4), "BMP with JPEG compression is not supported; convert it to PNG"],
    [
      "an OS/2 2.x header",
      patched(14, 64),
      "BMP with a 64-byte header (OS/2 or unknown) is not supported; convert it to PNG",
    ],
    [
      "2 bits per pixel",
      patched(28, 2, true),
      "BMP with 2 bits per pixel is not supported; convert it to PNG",
    ],
  ])("%s: a BmpError saying only that, at load (header) and at conversion", (_name, bmp, message) => {
    expect(bmpHeaderProblem(bmp.subarray(0, 34))).toBe(message);
    expect(() => bmpToPng(bmp)).toThrow(new BmpError(message));
  });

  it("a truncated file: an error at conversion, none from a header that is whole", () => {
    const bmp = writeBmp(shades, { bpp: 24 }).subarray(0, 80);
    expect(bmpHeaderProblem(bmp.subarray(0, 34))).toBeUndefined();
    expect(() => bmpToPng(bmp)).toThrow("truncated BMP file: it ends before its pixels do");
  });
});
