// A stream's filter chain decoded the way pdf.js decodes it, into sinks that count every byte against the budget.
// pdf.js keeps each filter's whole output, so every stage of a chain counts, not only the last; the image codecs
// are not decoded here (see pdf-roles.ts for where pdf.js would decode them at all).
import { DocumentError } from '../document-error';
import { ByteSink, CollectingSink, CountingSink, ExpansionCounter } from './byte-sink';
import { inflatePdfStream } from './flate';
import { decodeAscii85, decodeAsciiHex, decodeLzw, decodeRunLength } from './pdf-decoders';
import { PdfDict } from './pdf-syntax';

export interface PdfFilter {
  name: string;
  params: PdfDict | null;
}

/** Predictor rows: columns × colours × bits per component, rounded up to whole bytes. */
interface PredictorRows {
  rowBytes: number;
}

const IMAGE_CODECS = new Set(['DCTDecode', 'DCT', 'JPXDecode', 'JBIG2Decode', 'CCITTFaxDecode', 'CCF']);

/** The filters that decode images only: their output is pixels, sized by what their data declares. */
export function isImageCodec(name: string): boolean {
  return IMAGE_CODECS.has(name);
}

type Decoder = (input: Uint8Array, sink: ByteSink, params: PdfDict | null) => void;

const DECODERS: Record<string, Decoder> = {
  FlateDecode: inflatePdfStream,
  Fl: inflatePdfStream,
  LZWDecode: decodeLzw,
  LZW: decodeLzw,
  RunLengthDecode: decodeRunLength,
  RL: decodeRunLength,
  ASCII85Decode: decodeAscii85,
  A85: decodeAscii85,
  ASCIIHexDecode: decodeAsciiHex,
  AHx: decodeAsciiHex,
};

/**
 * Decodes `input` through `filters`, counting every stage's output; returns the last stage's bytes when `keep`
 * (an object stream's objects are read from them), else nothing is kept.
 */
export function decodeChain(input: Uint8Array, filters: PdfFilter[], counter: ExpansionCounter, keep: boolean): Uint8Array {
  let data = input;
  filters.forEach((filter, index) => {
    const decode = DECODERS[filter.name];
    // pdf.js passes data through a filter it does not know; the image codecs are measured elsewhere.
    if (!decode) return;
    const predictor = predictorRows(filter);
    const last = index === filters.length - 1 && !keep;
    // A predictor's rows are counted, not computed: no filter may follow one, and an object stream is read from the data before it.
    if (predictor && index < filters.length - 1) throw new DocumentError('too_complex', 'The PDF applies a predictor before another filter, which this reader does not check');
    const before = counter.bytes;
    const sink = last ? new CountingSink(counter) : new CollectingSink(counter);
    decode(data, sink, filter.params);
    if (predictor) countPredictorRows(counter.bytes - before, predictor, counter);
    if (sink instanceof CollectingSink) data = sink.bytes;
  });
  return data;
}

/** pdf.js applies a predictor after Flate or LZW when /DecodeParms says /Predictor 2 or 10–15. */
function predictorRows(filter: PdfFilter): PredictorRows | null {
  if (!filter.params || !['FlateDecode', 'Fl', 'LZWDecode', 'LZW'].includes(filter.name)) return null;
  const predictor = numberOr(filter.params.get('Predictor'), 1);
  if (predictor <= 1) return null;
  const colors = numberOr(filter.params.get('Colors'), 1);
  const bits = numberOr(filter.params.get('BPC') ?? filter.params.get('BitsPerComponent'), 8);
  const columns = numberOr(filter.params.get('Columns'), 1);
  // pdf.js's arithmetic, 32-bit wrap-around included: what it computes is what it allocates.
  return { rowBytes: Math.max(0, (columns * colors * bits + 7) >> 3) };
}

/**
 * pdf.js writes whole rows of `rowBytes` whatever the data holds (a row for a lone byte), and asks the filter
 * before it for a row ahead: an enormous /Columns costs its rows in memory, not in the file.
 */
function countPredictorRows(inputBytes: number, { rowBytes }: PredictorRows, counter: ExpansionCounter): void {
  if (rowBytes === 0) return;
  counter.add((Math.ceil(inputBytes / rowBytes) + 2) * rowBytes);
}

/** pdf.js's `dict.get(key) || fallback`: 0 and anything not a number fall back. */
function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value !== 0 ? value : fallback;
}
