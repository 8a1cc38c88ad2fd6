// BMP → PNG, for the providers that take no BMP (Bedrock Converse, OpenAI, Gemini). Uncompressed BMPs only:
// 1/4/8-bit palettes, 16/24/32-bit, BI_BITFIELDS masks, bottom-up and top-down rows, core and V3–V5 headers.
import { crc32, deflateSync } from "node:zlib";

/** A BMP this codec cannot read: `message` says what it is and what to do (no prefix; callers name the file). */
export class BmpError extends Error {
  override name = "BmpError";
  constructor(
    message: string,
    /** The bytes end too early: nothing is known about the rest. */
    readonly truncated = false,
  ) {
    super(message);
  }
}

const COMPRESSION: Readonly<Record<number, string>> = {
  1: "RLE8",
  2: "RLE4",
  4: "JPEG",
  5: "PNG",
};
/** DIB header sizes read here: BITMAPCOREHEADER, BITMAPINFOHEADER, V2, V3, V4, V5. */
const HEADERS = new Set([12, 40, 52, 56, 108, 124]);
const BI_RGB = 0;
const BI_BITFIELDS = 3;
const BI_ALPHABITFIELDS = 6;

interface BmpHeader {
  headerSize: number;
  width: number;
  /** Rows, always positive; `topDown` says their order. */
  height: number;
  topDown: boolean;
  bpp: number;
  compression: number;
  colorsUsed: number;
}

/**
 * Why this BMP header cannot be converted, or `undefined` when it can. Needs only the first 34 bytes, so a
 * scenario's image can be checked at load without reading it whole.
 */
export function bmpHeaderProblem(head: Uint8Array): string | undefined {
  try {
    readHeader(head);
    return undefined;
  } catch (err) {
    return err instanceof BmpError && !err.truncated ? err.message : undefined;
  }
}

function readHeader(b: Uint8Array): BmpHeader {
  const v = view(b);
  if (b.length < 18) throw new BmpError("truncated BMP file: it ends in its header", true);
  const headerSize = v.getUint32(14, true);
  if (!HEADERS.has(headerSize))
    throw new BmpError(
      `BMP with a ${headerSize}-byte header (OS/2 or unknown) is not supported; convert it to PNG`,
    );
  if (b.length < 14 + (headerSize === 12 ? 12 : 20))
    throw new BmpError("truncated BMP file: it ends in its header", true);
  const core = headerSize === 12;
  const width = core ? v.getUint16(18, true) : v.getInt32(18, true);
  const rawHeight = core ? v.getUint16(20, true) : v.getInt32(22, true);
  const bpp = v.getUint16(core ? 24 : 28, true);
  const compression = core ? BI_RGB : v.getUint32(30, true);
  const colorsUsed = !core && b.length >= 50 ? v.getUint32(46, true) : 0;
  const named = COMPRESSION[compression];
  if (named) throw new BmpError(`BMP with ${named} compression is not supported; convert it to PNG`);
  if (compression !== BI_RGB && compression !== BI_BITFIELDS && compression !== BI_ALPHABITFIELDS)
    throw new BmpError(`BMP with compression type ${compression} is not supported; convert it to PNG`);
  const masked = compression !== BI_RGB;
  if (masked ? bpp !== 16 && bpp !== 32 : ![1, 4, 8, 16, 24, 32].includes(bpp))
    throw new BmpError(
      `BMP with ${bpp} bits per pixel${masked ? " and bit-field masks" : ""} is not supported; convert it to PNG`,
    );
  if (width <= 0 || rawHeight === 0 || rawHeight === -2147483648)
    throw new BmpError(`BMP with a size of ${width}×${rawHeight} pixels is not valid`);
  return {
    headerSize,
    width,
    height: Math.abs(rawHeight),
    topDown: rawHeight < 0,
    bpp,
    compression,
    colorsUsed,
  };
}

/**
 * Decodes an uncompressed BMP and encodes it as a PNG (RGB, or RGBA when the BMP has an alpha mask with any
 * non-zero alpha). Throws a `BmpError` for what it cannot read (RLE or embedded JPEG/PNG compression, OS/2 headers,
 * a truncated file).
 */
export function bmpToPng(bmp: Uint8Array): Buffer {
  const h = readHeader(bmp);
  const v = view(bmp);
  const need = (end: number) => {
    if (end > bmp.length) throw new BmpError("truncated BMP file: it ends before its pixels do", true);
  };
  need(14 + h.headerSize);
  const dataOffset = v.getUint32(10, true);
  const masks = readMasks(bmp, h, need);
  const core = h.headerSize === 12;
  const paletteAt =
    14 +
    h.headerSize +
    (h.headerSize === 40 && h.compression !== BI_RGB ? (h.compression === 6 ? 16 : 12) : 0);
  const entry = core ? 3 : 4;
  const palette: [number, number, number][] = [];
  if (h.bpp <= 8) {
    const count = Math.min(h.colorsUsed || 1 << h.bpp, Math.floor((dataOffset - paletteAt) / entry));
    need(paletteAt + count * entry);
    for (let i = 0; i < count; i++) {
      const at = paletteAt + i * entry;
      palette.push([bmp[at + 2] ?? 0, bmp[at + 1] ?? 0, bmp[at] ?? 0]);
    }
  }
  const rowSize = Math.floor((h.bpp * h.width + 31) / 32) * 4;
  // The last row's padding is sometimes left out.
  need(dataOffset + rowSize * (h.height - 1) + Math.ceil((h.bpp * h.width) / 8));

  const rgba = new Uint8Array(h.width * h.height * 4);
  let alphaSeen = false;
  for (let y = 0; y < h.height; y++) {
    const row = dataOffset + (h.topDown ? y : h.height - 1 - y) * rowSize;
    for (let x = 0; x < h.width; x++) {
      const out = (y * h.width + x) * 4;
      let r: number;
      let g: number;
      let b: number;
      let a = 255;
      if (h.bpp <= 8) {
        const bit = x * h.bpp;
        const byte = bmp[row + (bit >> 3)] ?? 0;
        const index = (byte >> (8 - h.bpp - (bit & 7))) & ((1 << h.bpp) - 1);
        [r, g, b] = palette[index] ?? [0, 0, 0];
      } else if (h.bpp === 24) {
        const at = row + x * 3;
        [b, g, r] = [bmp[at] ?? 0, bmp[at + 1] ?? 0, bmp[at + 2] ?? 0];
      } else {
        const at = row + x * (h.bpp / 8);
        const px = h.bpp === 16 ? v.getUint16(at, true) : v.getUint32(at, true);
        r = channel(px, masks.r);
        g = channel(px, masks.g);
        b = channel(px, masks.b);
        if (masks.a) {
          a = channel(px, masks.a);
          if (a !== 0) alphaSeen = true;
        }
      }
      rgba[out] = r;
      rgba[out + 1] = g;
      rgba[out + 2] = b;
      rgba[out + 3] = a;
    }
  }
  // An alpha mask over all-zero alpha is an encoder that left the byte unused, not an invisible image.
  return encodePng(rgba, h.width, h.height, masks.a !== 0 && alphaSeen);
}

interface Masks {
  r: number;
  g: number;
  b: number;
  a: number;
}

function readMasks(bmp: Uint8Array, h: BmpHeader, need: (end: number) => void): Masks {
  if (h.compression === BI_RGB)
    return h.bpp === 16
      ? { r: 0x7c00, g: 0x03e0, b: 0x001f, a: 0 }
      : { r: 0xff0000, g: 0xff00, b: 0xff, a: 0 };
  // After a 40-byte header the masks follow it; V2+ headers hold them (V3+ with alpha).
  const alpha = h.compression === BI_ALPHABITFIELDS || h.headerSize >= 56;
  need(54 + (alpha ? 16 : 12));
  const v = view(bmp);
  return {
    r: v.getUint32(54, true),
    g: v.getUint32(58, true),
    b: v.getUint32(62, true),
    a: alpha ? v.getUint32(66, true) : 0,
  };
}

/** One channel of a pixel under its mask, scaled to 8 bits. */
function channel(px: number, mask: number): number {
  if (mask === 0) return 0;
  let shift = 0;
  while (((mask >>> shift) & 1) === 0) shift++;
  const max = mask >>> shift;
  return Math.round((((px & mask) >>> shift) * 255) / max);
}

function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A PNG of 8-bit RGBA pixels, written as RGBA or (without `alpha`) RGB; rows unfiltered, deflated. */
export function encodePng(rgba: Uint8Array, width: number, height: number, alpha: boolean): Buffer {
  const channels = alpha ? 4 : 3;
  const stride = 1 + width * channels;
  const raw = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    let at = y * stride + 1; // the row's filter byte stays 0 (None)
    for (let x = 0; x < width; x++) {
      const from = (y * width + x) * 4;
      for (let c = 0; c < channels; c++) raw[at++] = rgba[from + c] ?? 0;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = alpha ? 6 : 2; // colour type: RGBA or RGB
  return Buffer.concat([
    PNG_SIGNATURE,
    pngChunk("IHDR", ihdr),
    pngChunk("IDAT", deflateSync(raw)),
    pngChunk("IEND", Buffer.alloc(0)),
  ]);
}

function pngChunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length, 0);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body) >>> 0, 0);
  return Buffer.concat([length, body, crc]);
}
