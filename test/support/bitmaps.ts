// Test images written and read independently of src/providers/bmp-to-png.ts: BMP files in each layout a user may
// have, and a PNG reader (every chunk's CRC checked, every filter type) to read back what a model received.
import { crc32, inflateSync } from "node:zlib";

/** 8-bit RGBA pixels, row by row from the top. */
export interface Pixels {
  width: number;
  height: number;
  rgba: Uint8Array;
}

export type BmpLayout =
  | { bpp: 24 | 32; topDown?: boolean; core?: boolean }
  | { bpp: 1 | 4 | 8; core?: boolean }
  | { bpp: 16; masks: "555" | "565" }
  | { bpp: 32; masks: "argb" };

/** Pixels from a function of (x, y) → [r, g, b, a]. */
export function pixels(width: number, height: number, at: (x: number, y: number) => number[]): Pixels {
  const rgba = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) rgba.set(at(x, y), (y * width + x) * 4);
  return { width, height, rgba };
}

/**
 * A BMP of `img` in `layout`. Palette layouts index the image's distinct colours (at most 2^bpp); 16-bit layouts
 * keep the top bits of each channel (use 0 or 255 for exact colours); only `argb` keeps alpha.
 */
export function writeBmp(img: Pixels, layout: BmpLayout): Buffer {
  const { width, height } = img;
  const core = "core" in layout && layout.core === true;
  const masked = "masks" in layout;
  const headerSize = core ? 12 : masked && layout.masks === "argb" ? 108 : 40;
  const extraMasks = masked && headerSize === 40 && layout.masks === "565" ? 12 : 0;
  const px = (x: number, y: number) =>
    Array.from(img.rgba.subarray((y * width + x) * 4, (y * width + x) * 4 + 4));
  const palette: number[][] = [];
  const key = (c: number[]) => c.slice(0, 3).join(",");
  if (layout.bpp <= 8)
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++)
        if (!palette.some((c) => key(c) === key(px(x, y)))) palette.push(px(x, y));
  const entry = core ? 3 : 4;
  const paletteAt = 14 + headerSize + extraMasks;
  const dataAt = paletteAt + palette.length * entry;
  const rowSize = Math.floor((layout.bpp * width + 31) / 32) * 4;
  const b = Buffer.alloc(dataAt + rowSize * height);
  b.write("BM", 0, "latin1");
  b.writeUInt32LE(b.length, 2);
  b.writeUInt32LE(dataAt, 10);
  b.writeUInt32LE(headerSize, 14);
  const topDown = "topDown" in layout && layout.topDown === true;
  if (core) {
    b.writeUInt16LE(width, 18);
    b.writeUInt16LE(height, 20);
    b.writeUInt16LE(1, 22);
    b.writeUInt16LE(layout.bpp, 24);
  } else {
    b.writeInt32LE(width, 18);
    b.writeInt32LE(topDown ? -height : height, 22);
    b.writeUInt16LE(1, 26);
    b.writeUInt16LE(layout.bpp, 28);
    b.writeUInt32LE(masked && layout.masks !== "555" ? 3 : 0, 30);
    b.writeUInt32LE(layout.bpp <= 8 ? palette.length : 0, 46);
    const masks = !masked
      ? []
      : layout.masks === "565"
        ? [0xf800, 0x07e0, 0x001f]
        : layout.masks === "argb"
          ? [0x00ff0000, 0x0000ff00, 0x000000ff, 0xff000000]
          : [];
    for (const [i, m] of masks.entries()) b.writeUInt32LE(m, 54 + 4 * i);
  }
  for (const [i, [r = 0, g = 0, bl = 0]] of palette.entries()) b.set([bl, g, r], paletteAt + i * entry);
  for (let y = 0; y < height; y++) {
    const row = dataAt + (topDown ? y : height - 1 - y) * rowSize;
    for (let x = 0; x < width; x++) {
      const [r = 0, g = 0, bl = 0, a = 0] = px(x, y);
      if (layout.bpp <= 8) {
        const index = palette.findIndex((c) => key(c) === key([r, g, bl]));
        const bit = x * layout.bpp;
        b[row + (bit >> 3)] = (b[row + (bit >> 3)] ?? 0) | (index << (8 - layout.bpp - (bit & 7)));
      } else if (layout.bpp === 24) b.set([bl, g, r], row + x * 3);
      else if (layout.bpp === 16) {
        const v =
          layout.masks === "565"
            ? ((r >> 3) << 11) | ((g >> 2) << 5) | (bl >> 3)
            : ((r >> 3) << 10) | ((g >> 3) << 5) | (bl >> 3);
        b.writeUInt16LE(v, row + x * 2);
      }
      // BI_RGB 32-bit: the fourth byte is unused; write junk there to see it ignored.
      else b.set([bl, g, r, "masks" in layout ? a : 0x5a], row + x * 4);
    }
  }
  return b;
}

/** Reads an 8-bit RGB or RGBA PNG (any filter), checking the signature and every chunk's CRC. */
export function decodePng(png: Uint8Array): Pixels & { colorType: number } {
  const buf = Buffer.from(png);
  if (!buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    throw new Error("not a PNG signature");
  let at = 8;
  let width = 0;
  let height = 0;
  let colorType = -1;
  const idat: Buffer[] = [];
  for (;;) {
    const length = buf.readUInt32BE(at);
    const type = buf.toString("latin1", at + 4, at + 8);
    const data = buf.subarray(at + 8, at + 8 + length);
    if (crc32(buf.subarray(at + 4, at + 8 + length)) >>> 0 !== buf.readUInt32BE(at + 8 + length))
      throw new Error(`bad CRC in ${type}`);
    at += 12 + length;
    if (type === "IHDR") {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      colorType = data[9] ?? -1;
      if (data[8] !== 8 || (colorType !== 2 && colorType !== 6)) throw new Error("only 8-bit RGB/RGBA here");
    } else if (type === "IDAT") idat.push(data);
    else if (type === "IEND") break;
  }
  const channels = colorType === 6 ? 4 : 3;
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const out = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let i = 0; i < stride; i++) {
      const x = raw[y * (stride + 1) + 1 + i] ?? 0;
      const a = i >= channels ? (out[y * stride + i - channels] ?? 0) : 0;
      const b = y > 0 ? (out[(y - 1) * stride + i] ?? 0) : 0;
      const c = y > 0 && i >= channels ? (out[(y - 1) * stride + i - channels] ?? 0) : 0;
      const p = a + b - c;
      const paeth =
        Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c)
          ? a
          : Math.abs(p - b) <= Math.abs(p - c)
            ? b
            : c;
      const pred = [0, a, b, (a + b) >> 1, paeth][filter ?? 0] ?? 0;
      out[y * stride + i] = (x + pred) & 0xff;
    }
  }
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    rgba.set(out.subarray(i * channels, i * channels + 3), i * 4);
    rgba[i * 4 + 3] = channels === 4 ? (out[i * channels + 3] ?? 0) : 255;
  }
  return { width, height, rgba, colorType };
}
