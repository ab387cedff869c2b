// Measures how far a PDF expands before pdf.js reads it: every stream pdf.js may decode while it extracts text is
// decoded here as pdf.js would (decrypted first if need be), each filter's output counted against the budget and
// dropped, until the budget runs out. pdf.js has no such limit of its own, and its buffers live outside the V8
// heap, where a worker's heap limit does not reach. Images, which it never decodes for text, are left alone.
import { DocumentError } from '../document-error';
import { ExpansionBudget, tooLargeUncompressed } from '../expansion-budget';
import { ExpansionCounter, ExpansionLimitExceeded } from './byte-sink';
import { StreamDecryption, streamDecryptions } from './pdf-decryption';
import { decodeChain, isImageCodec, PdfFilter } from './pdf-filters';
import { isMarkedImage, objectsReadAsData } from './pdf-roles';
import { addObjectStreamDefinitions, endstreamFrom, findObjects, isKeyword, PdfObjects, PdfStreamObject, resolveAll } from './pdf-objects';
import { PdfDict, PdfName, PdfRef, PdfValue } from './pdf-syntax';

/** More readings of one stream than this (a length, filter or parameter defined again and again) is not a real document. */
const MAX_READINGS = 16;

/** Refuses, as too large, a PDF whose streams decode to more than the budget in total. */
export function assertPdfExpandsWithin(data: Uint8Array, budget: ExpansionBudget): void {
  try {
    measure(data, new ExpansionCounter(budget.bytes));
  } catch (error) {
    if (error instanceof ExpansionLimitExceeded) throw tooLargeUncompressed('PDF', budget);
    throw error;
  }
}

function measure(data: Uint8Array, counter: ExpansionCounter): void {
  const objects = findObjects(data);
  assertEveryStreamRead(objects);
  const decryptions = streamDecryptions(objects);
  const isObjectStream = (stream: PdfStreamObject) => isName(stream.dict.get('Type'), 'ObjStm');
  // Object streams first: the objects they hold may be the lengths and filters of other streams, and the
  // references that tell an image from page contents.
  for (const stream of objects.streams.filter(isObjectStream)) {
    let read = false;
    measureStream(objects, stream, decryptions, counter, (bytes) => (read = addObjectStreamDefinitions(objects, stream.dict, bytes) || read));
    if (!read) objects.complete = false;
  }
  const readAsData = objectsReadAsData(objects);
  for (const stream of objects.streams.filter((stream) => !isObjectStream(stream))) {
    // Only where every reference could be read does "referenced as an image alone" mean anything.
    const onlyAnImage = objects.complete && stream.id !== null && isMarkedImage(stream.dict) && !readAsData.has(stream.id.num);
    if (!onlyAnImage) measureStream(objects, stream, decryptions, counter);
  }
}

/**
 * Adds the most any reading of the stream decodes to (with and without each decryption, with each definition
 * of an indirect filter): whichever pdf.js takes, it takes no more. `read` gets each reading's bytes in turn.
 */
function measureStream(objects: PdfObjects, stream: PdfStreamObject, decryptions: StreamDecryption[], counter: ExpansionCounter, read?: (bytes: Uint8Array) => void): void {
  const end = dataEnd(objects, stream);
  if (end === null) return;
  const raw = objects.data.subarray(stream.dataStart, end);
  const inputs = [raw, ...decryptions.map((decrypt) => decrypt(stream.id, raw)).filter((input) => input !== null)];
  const chains = filterChains(objects, stream.dict);
  assertFewReadings(inputs.length * chains.length);
  assertNoImageCodec(chains);
  let most = 0;
  for (const input of inputs) {
    for (const chain of chains) {
      const reading = new ExpansionCounter(counter.limit - counter.bytes);
      // Decrypting is a stage of its own in pdf.js, with a buffer of its own.
      if (input !== raw) reading.add(input.length);
      const bytes = decodeChain(input, chain, reading, read !== undefined);
      read?.(bytes);
      most = Math.max(most, reading.bytes);
    }
  }
  counter.add(most);
}

/**
 * An image codec expands without measure (a kilobyte of CCITT fax data with a million columns decodes to
 * gigabytes); pdf.js decodes one only where it reads data, which no real document asks of it.
 */
function assertNoImageCodec(chains: PdfFilter[][]): void {
  const codec = chains.flat().find((filter) => isImageCodec(filter.name));
  if (codec) throw new DocumentError('too_complex', `The PDF uses the image filter ${codec.name} for something other than an image; refusing to open it`);
}

/**
 * Where pdf.js could end the data: at /Length when `endstream` follows it, else at the first `endstream`. Every
 * candidate is kept and the furthest taken (decoding more input never decodes less); a /Length this scan cannot
 * resolve leaves the data running to the end of the file. Null when pdf.js would find no end and read nothing.
 */
function dataEnd(objects: PdfObjects, stream: PdfStreamObject): number | null {
  const length = stream.dict.get('Length');
  const lengths = definitionsOf(objects, length);
  if (length instanceof PdfRef && lengths.length === 0) return objects.data.length;
  const ends = lengths
    .filter((value): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 0)
    .map((value) => stream.dataStart + value)
    .filter((end) => end <= objects.data.length && endstreamFollows(objects.data, end));
  const searched = endstreamFrom(objects, stream.dataStart);
  if (searched !== -1) ends.push(searched);
  return ends.length > 0 ? ends.reduce((furthest, end) => Math.max(furthest, end)) : null;
}

function endstreamFollows(data: Uint8Array, position: number): boolean {
  let at = position;
  for (;;) {
    while (at < data.length && [0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20].includes(data[at])) at++;
    if (data[at] !== 0x25) break;
    while (at < data.length && data[at] !== 0x0a && data[at] !== 0x0d) at++;
  }
  return isKeyword(data, at, 'endstream');
}

/**
 * The filter chains the stream may have: pdf.js reads /F before /Filter and /DP before /DecodeParms, resolves
 * references, and ignores parameters that are not a dictionary. One chain per definition of an indirect value.
 */
function filterChains(objects: PdfObjects, dict: PdfDict): PdfFilter[][] {
  const chains: PdfFilter[][] = [];
  for (const filterValue of orNull(definitionsOf(objects, dict.get('F') ?? dict.get('Filter')))) {
    for (const paramValue of orNull(definitionsOf(objects, dict.get('DP') ?? dict.get('DecodeParms')))) {
      if (filterValue instanceof PdfName) chains.push([filterOf(objects, filterValue, paramValue)]);
      else if (Array.isArray(filterValue)) chains.push(...arrayChains(objects, filterValue, Array.isArray(paramValue) ? paramValue : []));
      assertFewReadings(chains.length);
    }
  }
  return chains.length > 0 ? chains : [[]];
}

function arrayChains(objects: PdfObjects, names: PdfValue[], params: PdfValue[]): PdfFilter[][] {
  let chains: PdfFilter[][] = [[]];
  names.forEach((name, index) => {
    const choices = definitionsOf(objects, name).filter((value): value is PdfName => value instanceof PdfName);
    const filters = choices.flatMap((choice) => orNull(definitionsOf(objects, params[index])).map((param) => filterOf(objects, choice, param)));
    // pdf.js gives up a stream with a filter that is not a name; reading on only overestimates.
    if (filters.length === 0) return;
    assertFewReadings(chains.length * filters.length);
    chains = chains.flatMap((chain) => filters.map((filter) => [...chain, filter]));
  });
  return chains;
}

/** The filter with its parameters' references replaced by the largest number they may stand for (pdf.js resolves them on reading). */
function filterOf(objects: PdfObjects, name: PdfName, params: PdfValue | null): PdfFilter {
  if (!(params instanceof PdfDict)) return { name: name.name, params: null };
  const entries = new Map<string, PdfValue>();
  for (const [key, value] of params.entries) {
    const numbers = definitionsOf(objects, value).filter((candidate): candidate is number => typeof candidate === 'number');
    entries.set(key, value instanceof PdfRef ? numbers.reduce<number | null>((most, number) => Math.max(most ?? number, number), null) : value);
  }
  return { name: name.name, params: new PdfDict(entries) };
}

/** Each definition of a value that may be indirect; a real document defines an object once, or again in an update. */
function definitionsOf(objects: PdfObjects, value: PdfValue | undefined): PdfValue[] {
  const definitions = resolveAll(objects, value);
  assertFewReadings(definitions.length);
  return definitions;
}

function orNull(values: PdfValue[]): Array<PdfValue | null> {
  return values.length > 0 ? values : [null];
}

function assertFewReadings(readings: number): void {
  if (readings > MAX_READINGS) throw new DocumentError('too_complex', 'The PDF defines its streams’ filters in too many conflicting ways to be read safely');
}

/** A `>> stream` this scan could not read as an object's dictionary might still be one pdf.js reads: refuse rather than guess. */
function assertEveryStreamRead(objects: PdfObjects): void {
  const { text } = objects;
  const pattern = />>[\0\t\n\f\r ]*stream/g;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    const keywordAt = match.index + match[0].length - 'stream'.length;
    if (!isKeyword(objects.data, keywordAt, 'stream')) continue;
    if (!objects.streamKeywords.has(keywordAt)) {
      throw new DocumentError('corrupt', 'The PDF has a stream whose dictionary cannot be read; it may be damaged');
    }
  }
}

function isName(value: PdfValue | undefined, name: string): boolean {
  return value instanceof PdfName && value.name === name;
}
