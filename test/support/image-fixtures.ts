// Real images built in memory for the attachment tests: a small PNG any browser shows, and images whose headers
// declare far more pixels than their bytes carry (decompression bombs).
import { crc32, deflateSync } from 'node:zlib';
import { zlibOfSpaces } from './bomb-fixtures';

const PNG_SIGNATURE = Buffer.from('\x89PNG\r\n\x1a\n', 'latin1');

/** A `width` × `height` PNG of one colour (8-bit RGB). */
export function makePng(width = 4, height = 4, rgb: [number, number, number] = [30, 120, 200]): Buffer {
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width * 3).map((_, index) => rgb[index % 3])]);
  return png(width, height, deflateSync(Buffer.concat(Array.from({ length: height }, () => row))));
}

/**
 * A PNG that declares `width` × `height` and whose pixel data really inflates to that many bytes: a few hundred
 * KB that a decoder would turn into gigabytes.
 */
export function makePngBomb(width: number, height: number): Buffer {
  return png(width, height, zlibOfSpaces(Buffer.alloc(0), width * height));
}

/** A JPEG's frame header declaring `width` × `height`, with no image data behind it worth decoding. */
export function makeJpegDeclaring(width: number, height: number): Buffer {
  const frame = Buffer.from([0xff, 0xc0, 0, 11, 8, height >> 8, height & 0xff, width >> 8, width & 0xff, 1, 1, 0x11, 0]);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), frame, Buffer.from([0xff, 0xd9])]);
}

function png(width: number, height: number, idat: Buffer): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit, RGB, deflate, no filter method, not interlaced
  return Buffer.concat([PNG_SIGNATURE, chunk('IHDR', header), chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0))]);
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const checksum = Buffer.alloc(4);
  checksum.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, checksum]);
}
