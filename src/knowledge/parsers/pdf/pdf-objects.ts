// A PDF's objects found by scanning its bytes for `obj`, not by trusting its cross-reference table: pdf.js
// reads objects where the table says (or rebuilds the table by scanning when it is broken), and an object may
// even sit inside another one's data, so every occurrence is read and nothing is skipped as "inside a stream".
import { DocumentError } from '../document-error';
import { isRegular, isWhitespace, latin1, PdfDict, PdfKeyword, PdfName, PdfReader, PdfRef, PdfValue } from './pdf-syntax';

export interface PdfObjectId {
  num: number;
  gen: number;
}

export interface PdfStreamObject {
  /** From the `num gen obj` header, for the decryption key; null when no header could be read before `obj`. */
  id: PdfObjectId | null;
  dict: PdfDict;
  /** Where its data starts: after the line end that follows the keyword `stream`. */
  dataStart: number;
}

export interface PdfObjects {
  data: Uint8Array;
  /** The same bytes as a latin1 string, for searching. */
  text: string;
  /** Every definition of each object number in file order (an incremental update defines an object again). */
  definitions: Map<number, PdfValue[]>;
  streams: PdfStreamObject[];
  /** Where each stream's keyword `stream` was read. */
  streamKeywords: Set<number>;
  /** Trailer dictionaries, and those of cross-reference streams, which stand in for them. */
  trailers: PdfDict[];
  /** False once an object after a `num gen obj` header, or in an object stream, could not be read. */
  complete: boolean;
  /** Where each `endstream` is written, in order. */
  endstreams: number[];
}

/** How far back from `obj` its `num gen` header may start when comments sit between them. */
const HEADER_LOOKBACK = 64;
const MAX_OBJECTS_IN_STREAM = 100_000;

/**
 * Bytes the scan may read over all its reads, as a multiple of the data. Objects read from every `obj` overlap in a
 * crafted file (each read running on through the objects after it), which would cost the square of its size.
 */
class ReadingAllowance {
  private left: number;

  constructor(bytes: number) {
    this.left = 2 * bytes + 65_536;
  }

  /** What `read` reads from `reader`, or undefined where the syntax is broken. */
  read<T>(reader: PdfReader, read: () => T): T | undefined {
    const start = reader.position;
    try {
      return read();
    } catch (error) {
      if (error instanceof RangeError) return undefined;
      throw error;
    } finally {
      this.left -= Math.max(0, reader.position - start);
      if (this.left < 0) throw new DocumentError('too_complex', 'The PDF’s objects overlap too much to be checked; it may be damaged');
    }
  }
}

export function findObjects(data: Uint8Array): PdfObjects {
  const text = latin1(data);
  const objects: PdfObjects = { data, text, definitions: new Map(), streams: [], streamKeywords: new Set(), trailers: [], complete: true, endstreams: [] };
  const allowance = new ReadingAllowance(data.length);
  for (let at = text.indexOf('obj'); at !== -1; at = text.indexOf('obj', at + 3)) {
    if (isRegular(data[at - 1]) || isRegular(data[at + 3])) continue;
    readObjectAt(objects, at, allowance);
  }
  for (let at = text.indexOf('trailer'); at !== -1; at = text.indexOf('trailer', at + 7)) {
    if (isRegular(data[at - 1]) || isRegular(data[at + 7])) continue;
    const reader = new PdfReader(data, at + 7, text);
    const trailer = allowance.read(reader, () => reader.readValue());
    if (trailer instanceof PdfDict) objects.trailers.push(trailer);
  }
  for (let at = text.indexOf('endstream'); at !== -1; at = text.indexOf('endstream', at + 9)) objects.endstreams.push(at);
  return objects;
}

/** The first `endstream` at or after `position`, or -1. */
export function endstreamFrom(objects: PdfObjects, position: number): number {
  let [low, high] = [0, objects.endstreams.length];
  while (low < high) {
    const middle = (low + high) >> 1;
    if (objects.endstreams[middle] < position) low = middle + 1;
    else high = middle;
  }
  return objects.endstreams[low] ?? -1;
}

/** Every value `value` may stand for: itself, or each definition of the object it refers to (none when undefined). */
export function resolveAll(objects: PdfObjects, value: PdfValue | undefined): PdfValue[] {
  if (!(value instanceof PdfRef)) return value === undefined ? [] : [value];
  return objects.definitions.get(value.num) ?? [];
}

/**
 * The objects an object stream holds, added as definitions: `/N` pairs of number and offset, then the objects from
 * `/First`. False when they could not all be read (what was read is kept).
 */
export function addObjectStreamDefinitions(objects: PdfObjects, dict: PdfDict, bytes: Uint8Array): boolean {
  const count = dict.get('N');
  const first = dict.get('First');
  if (typeof count !== 'number' || typeof first !== 'number' || count > MAX_OBJECTS_IN_STREAM) return false;
  const allowance = new ReadingAllowance(bytes.length);
  const text = latin1(bytes);
  const header = new PdfReader(bytes, 0, text);
  for (let index = 0; index < count; index++) {
    const pair = allowance.read(header, () => [header.readValue(), header.readValue()]);
    if (!pair || typeof pair[0] !== 'number' || typeof pair[1] !== 'number') return false;
    const reader = new PdfReader(bytes, first + pair[1], text);
    const value = allowance.read(reader, () => reader.readValue());
    if (value === undefined) return false;
    define(objects, pair[0], value);
  }
  return true;
}

export function isKeyword(data: Uint8Array, position: number, word: string): boolean {
  for (let index = 0; index < word.length; index++) if (data[position + index] !== word.charCodeAt(index)) return false;
  return !isRegular(data[position + word.length]);
}

function readObjectAt(objects: PdfObjects, at: number, allowance: ReadingAllowance): void {
  const { data, text } = objects;
  const id = headerBefore(data, text, at);
  const reader = new PdfReader(data, at + 3, text);
  const value = allowance.read(reader, () => reader.readValue());
  if (value === undefined) {
    // Garbage that happens to contain `obj` has no header; an object with one that cannot be read hides its references.
    if (id) objects.complete = false;
    return;
  }
  if (value instanceof PdfDict) {
    reader.skipSpace();
    if (isKeyword(data, reader.position, 'stream')) {
      objects.streamKeywords.add(reader.position);
      reader.position += 'stream'.length;
      reader.skipToNextLine();
      objects.streams.push({ id, dict: value, dataStart: reader.position });
      const type = value.get('Type');
      if (type instanceof PdfName && type.name === 'XRef') objects.trailers.push(value);
      return;
    }
  }
  if (id) define(objects, id.num, value);
}

/** `num gen` right before `obj`, whitespace between the three, or comments too (read the slow way). */
function headerBefore(data: Uint8Array, text: string, objAt: number): PdfObjectId | null {
  let at = objAt - 1;
  const skipSpace = () => {
    while (at >= 0 && isWhitespace(data[at])) at--;
  };
  const digits = () => {
    const end = at;
    while (at >= 0 && data[at] >= 0x30 && data[at] <= 0x39) at--;
    return end > at ? Number(latin1(data.subarray(at + 1, end + 1))) : null;
  };
  skipSpace();
  const gen = digits();
  skipSpace();
  const num = digits();
  if (gen !== null && num !== null && !isRegular(data[at])) return { num, gen };
  return data.subarray(Math.max(0, objAt - HEADER_LOOKBACK), objAt).includes(0x25) ? commentedHeaderBefore(data, text, objAt) : null;
}

function commentedHeaderBefore(data: Uint8Array, text: string, objAt: number): PdfObjectId | null {
  for (let start = objAt - 1; start >= Math.max(0, objAt - HEADER_LOOKBACK); start--) {
    if (isRegular(data[start - 1]) || data[start] < 0x30 || data[start] > 0x39) continue;
    const reader = new PdfReader(data, start, text);
    const numbers = tryRead(() => {
      const num = readInteger(reader);
      reader.skipSpace();
      const gen = readInteger(reader);
      reader.skipSpace();
      return { num, gen };
    });
    if (numbers && reader.position === objAt) return numbers;
  }
  return null;
}

function readInteger(reader: PdfReader): number {
  const start = reader.position;
  const value = reader.readValue();
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new RangeError(`no object number at ${start}`);
  return value;
}

function define(objects: PdfObjects, num: number, value: PdfValue): void {
  if (value instanceof PdfKeyword) return; // `endobj` straight away, or something unreadable
  const definitions = objects.definitions.get(num);
  if (definitions) definitions.push(value);
  else objects.definitions.set(num, [value]);
}

function tryRead<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch (error) {
    if (error instanceof RangeError) return undefined;
    throw error;
  }
}
