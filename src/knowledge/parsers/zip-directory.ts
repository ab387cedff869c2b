// A zip's central directory — names, declared sizes, where each entry's data lies — read by hand without
// inflating anything, and a bounded check that the entries really inflate to what they declare.
import { Inflate } from 'fflate';
import { DocumentError } from './document-error';

export const MAX_ZIP_ENTRIES = 10_000;

export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflated; readers (mammoth's JSZip included) support nothing else. */
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

const END_OF_DIRECTORY = 0x06054b50;
const DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;
const ZIP64_EXTRA = 0x0001;
const MAX_U32 = 0xffffffff;
// Deflate expands at most ~1,032 times, so a 4 KB slice of input yields at most ~4 MB at a time.
const INFLATE_SLICE_BYTES = 4096;

export function readZipDirectory(buffer: Buffer): ZipEntry[] {
  return readingZip(() => {
    const end = findEndOfDirectory(buffer);
    const count = buffer.readUInt16LE(end + 10);
    let at = buffer.readUInt32LE(end + 16);
    // 0xFFFF and 0xFFFFFFFF mean "see the zip64 record", needed only past 65,534 entries or 4 GB: over any limit here.
    if (count > MAX_ZIP_ENTRIES) {
      throw new DocumentError('too_large_uncompressed', `The archive holds more than ${MAX_ZIP_ENTRIES.toLocaleString('en-US')} files; refusing to open it`);
    }
    if (at === MAX_U32) throw new DocumentError('too_large_uncompressed', 'The archive declares more than 4 GB of data; refusing to open it');
    const entries: ZipEntry[] = [];
    for (let index = 0; index < count; index++) {
      if (buffer.readUInt32LE(at) !== DIRECTORY_ENTRY) throw new RangeError(`no directory entry at ${at}`);
      const nameLength = buffer.readUInt16LE(at + 28);
      const extraLength = buffer.readUInt16LE(at + 30);
      const extra = buffer.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength);
      const sizes = withZip64Values(extra, [buffer.readUInt32LE(at + 24), buffer.readUInt32LE(at + 20), buffer.readUInt32LE(at + 42)]);
      entries.push({
        name: buffer.toString('utf8', at + 46, at + 46 + nameLength),
        method: buffer.readUInt16LE(at + 10),
        uncompressedSize: sizes[0],
        compressedSize: sizes[1],
        localHeaderOffset: sizes[2],
      });
      at += 46 + nameLength + extraLength + buffer.readUInt16LE(at + 32);
    }
    return entries;
  });
}

/**
 * Inflates every entry in small slices, keeping nothing, and stops as soon as one yields more than it declares:
 * a forged directory must not get past the size check to a reader that trusts it.
 */
export function assertEntriesInflateAsDeclared(buffer: Buffer, entries: ZipEntry[]): void {
  readingZip(() => {
    for (const entry of entries) {
      const data = entryData(buffer, entry);
      if (entry.method === 0) {
        if (data.length !== entry.uncompressedSize) throw new RangeError(`${entry.name} is stored with a size other than declared`);
        continue;
      }
      if (entry.method !== 8) throw new RangeError(`${entry.name} uses compression method ${entry.method}`);
      let inflated = 0;
      const inflater = new Inflate((chunk) => {
        inflated += chunk.length;
        if (inflated > entry.uncompressedSize) throw new RangeError(`${entry.name} inflates to more than its declared ${entry.uncompressedSize} bytes`);
      });
      const slices = Math.max(1, Math.ceil(data.length / INFLATE_SLICE_BYTES));
      for (let slice = 0; slice < slices; slice++) {
        inflater.push(data.subarray(slice * INFLATE_SLICE_BYTES, (slice + 1) * INFLATE_SLICE_BYTES), slice === slices - 1);
      }
      if (inflated !== entry.uncompressedSize) throw new RangeError(`${entry.name} inflates to fewer bytes than declared`);
    }
  });
}

/** Runs a read of the archive, turning any malformed structure into a client-facing `corrupt`. */
function readingZip<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof DocumentError) throw error;
    throw new DocumentError('corrupt', 'The file is a damaged ZIP archive (as DOCX files are) and cannot be opened', { cause: error });
  }
}

function findEndOfDirectory(buffer: Buffer): number {
  // The record is 22 bytes plus a comment of up to 65,535 bytes, at the very end of the archive.
  for (let at = buffer.length - 22; at >= Math.max(0, buffer.length - 22 - 0xffff); at--) {
    if (buffer.readUInt32LE(at) === END_OF_DIRECTORY) return at;
  }
  throw new RangeError('no end-of-central-directory record');
}

/** Replaces the 32-bit fields that say 0xFFFFFFFF with the 64-bit values of the zip64 extra field, in order. */
function withZip64Values(extra: Buffer, values: number[]): number[] {
  if (!values.includes(MAX_U32)) return values;
  for (let at = 0; at + 4 <= extra.length; at += 4 + extra.readUInt16LE(at + 2)) {
    if (extra.readUInt16LE(at) !== ZIP64_EXTRA) continue;
    let field = at + 4;
    return values.map((value) => {
      if (value !== MAX_U32) return value;
      const wide = Number(extra.readBigUInt64LE(field));
      field += 8;
      return wide;
    });
  }
  throw new RangeError('a size of 0xFFFFFFFF without a zip64 extra field');
}

function entryData(buffer: Buffer, entry: ZipEntry): Buffer {
  const header = entry.localHeaderOffset;
  if (buffer.readUInt32LE(header) !== LOCAL_HEADER) throw new RangeError(`no local header for ${entry.name}`);
  const start = header + 30 + buffer.readUInt16LE(header + 26) + buffer.readUInt16LE(header + 28);
  const data = buffer.subarray(start, start + entry.compressedSize);
  if (data.length !== entry.compressedSize) throw new RangeError(`${entry.name} is cut short`);
  return data;
}
