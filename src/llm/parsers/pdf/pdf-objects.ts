// A PDF's objects found by scanning its bytes for `obj`, not by trusting its cross-reference table: pdf.js
// reads objects where the table says (or rebuilds the table by scanning when it is broken), and an object may
// even sit inside another one's data, so every occurrence is read and nothing is skipped as "inside a stream".
import { isRegular, latin1, PdfDict, PdfKeyword, PdfName, PdfReader, PdfRef, PdfValue } from './pdf-syntax';

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
}

/** How far back from `obj` its `num gen` header may start (comments may sit between them). */
const HEADER_LOOKBACK = 64;
const MAX_OBJECTS_IN_STREAM = 100_000;

export function findObjects(data: Uint8Array): PdfObjects {
  const text = latin1(data);
  const objects: PdfObjects = { data, text, definitions: new Map(), streams: [], streamKeywords: new Set(), trailers: [], complete: true };
  for (let at = text.indexOf('obj'); at !== -1; at = text.indexOf('obj', at + 3)) {
    if (isRegular(data[at - 1]) || isRegular(data[at + 3])) continue;
    readObjectAt(objects, at);
  }
  for (let at = text.indexOf('trailer'); at !== -1; at = text.indexOf('trailer', at + 7)) {
    if (isRegular(data[at - 1]) || isRegular(data[at + 7])) continue;
    const trailer = tryRead(() => new PdfReader(data, at + 7).readValue());
    if (trailer instanceof PdfDict) objects.trailers.push(trailer);
  }
  return objects;
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
  const header = new PdfReader(bytes, 0);
  for (let index = 0; index < count; index++) {
    const pair = tryRead(() => [header.readValue(), header.readValue()]);
    const value = pair && typeof pair[1] === 'number' ? tryRead(() => new PdfReader(bytes, first + (pair[1] as number)).readValue()) : undefined;
    if (!pair || typeof pair[0] !== 'number' || value === undefined) return false;
    define(objects, pair[0], value);
  }
  return true;
}

export function isKeyword(data: Uint8Array, position: number, word: string): boolean {
  for (let index = 0; index < word.length; index++) if (data[position + index] !== word.charCodeAt(index)) return false;
  return !isRegular(data[position + word.length]);
}

function readObjectAt(objects: PdfObjects, at: number): void {
  const { data } = objects;
  const id = headerBefore(data, at);
  const reader = new PdfReader(data, at + 3);
  const value = tryRead(() => reader.readValue());
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

/** `num gen` right before `obj`, comments and whitespace allowed between the three. */
function headerBefore(data: Uint8Array, objAt: number): PdfObjectId | null {
  for (let start = objAt - 1; start >= Math.max(0, objAt - HEADER_LOOKBACK); start--) {
    if (isRegular(data[start - 1]) || data[start] < 0x30 || data[start] > 0x39) continue;
    const reader = new PdfReader(data, start);
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
