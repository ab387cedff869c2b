// Documents that expand far beyond their size when read, for the decompression limits. The compressed data is
// one block repeated, so a stream that inflates to a GiB costs the test ~1 MB and never a GiB of memory.
import { constants, deflateRawSync } from 'node:zlib';
import { serializePdf } from './fixtures';

const MiB = 1024 * 1024;
const ADLER_MODULUS = 65521n;

/**
 * A one-page PDF whose content stream shows `text` and then inflates to `paddingBytes` spaces (/FlateDecode,
 * ~1,000:1): a reader that inflates it whole holds `paddingBytes` of memory for a page of one line.
 */
export function makeFlateBombPdf(paddingBytes: number, text = 'Printer setup for the third floor'): Buffer {
  return pdfOf(onePage({ dict: '/Filter /FlateDecode', data: zlibOfSpaces(pageText(text), paddingBytes) }));
}

/** A stream object: its dictionary's entries besides /Length, which is added. */
export interface StreamSource {
  dict: string;
  data: Buffer;
}

/** A PDF of `objects`, numbered from 1; each stream gets its /Length. */
export function pdfOf(objects: Array<string | StreamSource>, trailer = '/Root 1 0 R'): Buffer {
  return serializePdf(
    objects.map((object) =>
      typeof object === 'string' ? object : `<< /Length ${object.data.length} ${object.dict} >>\nstream\n${object.data.toString('latin1')}\nendstream`,
    ),
    trailer,
  );
}

/**
 * Objects 1–5 of a one-page PDF (catalog, pages, Helvetica, `contents`, the page, whose resources name object 6
 * as the image /Im1), then `more` from object 6 on.
 */
export function onePage(contents: string | StreamSource, ...more: Array<string | StreamSource>): Array<string | StreamSource> {
  const xobjects = more.length > 0 ? ' /XObject << /Im1 6 0 R >>' : '';
  return [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [5 0 R] /Count 1 >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    contents,
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >>${xobjects} >> /Contents 4 0 R >>`,
    ...more,
  ];
}

/** Page contents that show one line of text. */
export function pageText(text: string): Buffer {
  return Buffer.from(`BT /F1 12 Tf 72 720 Td (${text}) Tj ET\n`, 'latin1');
}

/**
 * zlib data (header, deflate blocks, Adler-32) of `prefix` followed by `spaces` spaces. Each block is flushed to a
 * byte boundary and not final, so blocks can follow one another; an empty final block ends the stream.
 */
export function zlibOfSpaces(prefix: Buffer, spaces: number): Buffer {
  const sync = { finishFlush: constants.Z_SYNC_FLUSH, level: 9 };
  const parts = [Buffer.from([0x78, 0xda]), deflateRawSync(prefix, sync)];
  const block = deflateRawSync(Buffer.alloc(MiB, 0x20), sync);
  for (let left = spaces; left > 0; left -= MiB) parts.push(left >= MiB ? block : deflateRawSync(Buffer.alloc(left, 0x20), sync));
  parts.push(Buffer.from([0x03, 0x00])); // BFINAL, fixed Huffman codes, end of block at once
  const checksum = Buffer.alloc(4);
  checksum.writeUInt32BE(adler32OfSpaces(prefix, spaces));
  return Buffer.concat([...parts, checksum]);
}

/** Adler-32 of `prefix` then `spaces` spaces, the spaces in closed form: n bytes of value c add n·c to A and n·A + c·n(n+1)/2 to B. */
function adler32OfSpaces(prefix: Buffer, spaces: number): number {
  let a = 1n;
  let b = 0n;
  for (const byte of prefix) {
    a = (a + BigInt(byte)) % ADLER_MODULUS;
    b = (b + a) % ADLER_MODULUS;
  }
  const n = BigInt(spaces);
  b = (b + n * a + (32n * n * (n + 1n)) / 2n) % ADLER_MODULUS;
  a = (a + 32n * n) % ADLER_MODULUS;
  return Number((b << 16n) | a);
}
