// The pixel size an image declares, read from its headers without decoding it: a small file can declare a
// canvas that takes gigabytes to decode (a decompression bomb), and whoever previews it would pay for that.
// A header that runs past the end of the file, or is missing, makes the image unreadable (null).

export type ImageKind = 'png' | 'jpeg' | 'gif' | 'webp';

/** Width × height, summed over a GIF's frames; null when the headers cannot be read. */
export function declaredPixels(kind: ImageKind, data: Buffer): number | null {
  try {
    if (kind === 'png') return pngPixels(data);
    if (kind === 'jpeg') return jpegPixels(data);
    if (kind === 'gif') return gifPixels(data);
    return webpPixels(data);
  } catch (error) {
    // A read past the end of the buffer (by its code too: Node's own errors come from another realm under Jest).
    if (error instanceof RangeError || (error as { code?: string })?.code === 'ERR_OUT_OF_RANGE') return null;
    throw error;
  }
}

/** The IHDR chunk comes first; every chunk must fit in the file, up to IEND. */
function pngPixels(data: Buffer): number | null {
  if (data.readUInt32BE(8) !== 13 || data.toString('latin1', 12, 16) !== 'IHDR') return null;
  const pixels = area(data.readUInt32BE(16), data.readUInt32BE(20));
  for (let at = 8; ; ) {
    const length = data.readUInt32BE(at);
    const type = data.toString('latin1', at + 4, at + 8);
    at += 12 + length;
    if (at > data.length) return null;
    if (type === 'IEND') return pixels;
  }
}

/** The first start-of-frame segment, before the scan data begins. */
function jpegPixels(data: Buffer): number | null {
  for (let at = 2; ; ) {
    if (data[at] !== 0xff) return null;
    const marker = data[at + 1];
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    if (marker === 0xda || marker === 0xd9) return null; // scan data or the end, and no frame header yet
    const length = data.readUInt16BE(at + 2);
    const isFrameHeader = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrameHeader) return area(data.readUInt16BE(at + 7), data.readUInt16BE(at + 5));
    at += 2 + length;
  }
}

/** The logical screen, then every frame (an animation decodes each of them). */
function gifPixels(data: Buffer): number | null {
  let pixels = area(data.readUInt16LE(6), data.readUInt16LE(8));
  if (pixels === null) return null;
  let at = 13 + colourTableBytes(data[10]);
  for (;;) {
    const block = data[at];
    if (block === 0x3b) return pixels; // trailer
    if (block === 0x21) at = skipSubBlocks(data, at + 2); // extension: label, then data sub-blocks
    else if (block === 0x2c) {
      const frame = area(data.readUInt16LE(at + 5), data.readUInt16LE(at + 7));
      if (frame === null) return null;
      pixels += frame;
      at = skipSubBlocks(data, at + 10 + colourTableBytes(data[at + 9]) + 1); // descriptor, colours, LZW code size
    } else return null;
  }
}

function colourTableBytes(flags: number): number {
  return flags & 0x80 ? 3 * 2 ** ((flags & 0x07) + 1) : 0;
}

function skipSubBlocks(data: Buffer, at: number): number {
  for (let size = data.readUInt8(at); size !== 0; size = data.readUInt8(at)) at += size + 1;
  return at + 1;
}

/** RIFF's length must fit in the file; the first chunk is VP8X (extended), VP8L (lossless) or VP8 (lossy). */
function webpPixels(data: Buffer): number | null {
  if (data.readUInt32LE(4) + 8 > data.length) return null;
  const chunk = data.toString('latin1', 12, 16);
  if (chunk === 'VP8X') return area(data.readUIntLE(24, 3) + 1, data.readUIntLE(27, 3) + 1);
  if (chunk === 'VP8L') {
    if (data[20] !== 0x2f) return null;
    const bits = data.readUInt32LE(21);
    return area((bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1);
  }
  if (chunk === 'VP8 ') {
    if (data.readUIntBE(23, 3) !== 0x9d012a) return null;
    return area(data.readUInt16LE(26) & 0x3fff, data.readUInt16LE(28) & 0x3fff);
  }
  return null;
}

function area(width: number, height: number): number | null {
  return width > 0 && height > 0 ? width * height : null;
}
