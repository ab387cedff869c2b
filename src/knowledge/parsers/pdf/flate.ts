// A zlib/deflate decoder as tolerant as pdf.js's FlateStream, so that it never stops earlier than pdf.js would:
// back-references before the start read zeros, Huffman tables need not be complete, the checksum is ignored.
// zlib refuses such streams at once while pdf.js goes on inflating them, which would let a crafted stream pass a
// check made with zlib. Only what pdf.js refuses ends the stream here: a bad header, block type 3, an unknown code.
import { ByteSink } from './byte-sink';

const CODE_LENGTH_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];
// (extra bits << 16) | base, indexed by symbol - 257 and by distance symbol; pdf.js reads 286 and 287 as 258
// and distance symbols 30 and 31 as distance 0.
const LENGTHS = [
  3, 4, 5, 6, 7, 8, 9, 10, 0x1000b, 0x1000d, 0x1000f, 0x10011, 0x20013, 0x20017, 0x2001b, 0x2001f, 0x30023, 0x3002b, 0x30033, 0x3003b, 0x40043, 0x40053,
  0x40063, 0x40073, 0x50083, 0x500a3, 0x500c3, 0x500e3, 258, 258, 258,
];
const DISTANCES = [
  1, 2, 3, 4, 0x10005, 0x10007, 0x20009, 0x2000d, 0x30011, 0x30019, 0x40021, 0x40031, 0x50041, 0x50061, 0x60081, 0x600c1, 0x70101, 0x70181, 0x80201,
  0x80301, 0x90401, 0x90601, 0xa0801, 0xa0c01, 0xb1001, 0xb1801, 0xc2001, 0xc3001, 0xd4001, 0xd6001,
];

/** A lookup table of 2^maxLength entries, each (code length << 16) | symbol; 0 where no code fits. */
interface HuffmanTable {
  entries: Int32Array;
  maxLength: number;
}

const FIXED_LITERALS = huffmanTable(Uint8Array.from({ length: 288 }, (_, symbol) => (symbol < 144 ? 8 : symbol < 256 ? 9 : symbol < 280 ? 7 : 8)));
const FIXED_DISTANCES = huffmanTable(new Uint8Array(32).fill(5));

class EndOfData extends Error {}

/** Inflates zlib data into `sink` (which may stop it by throwing); returns quietly where pdf.js's output would end. */
export function inflatePdfStream(input: Uint8Array, sink: ByteSink): void {
  if (input.length < 2) return;
  const [cmf, flg] = input;
  // pdf.js reads nothing from a stream whose header it refuses.
  if ((cmf & 0x0f) !== 8 || ((cmf << 8) + flg) % 31 !== 0 || flg & 0x20) return;
  const bits = new BitReader(input, 2);
  try {
    let final = false;
    while (!final) {
      const header = bits.read(3);
      final = (header & 1) === 1;
      const type = header >> 1;
      if (type === 0) copyStoredBlock(bits, sink);
      else if (type === 1) inflateBlock(bits, sink, FIXED_LITERALS, FIXED_DISTANCES);
      else if (type === 2) inflateBlock(bits, sink, ...dynamicTables(bits));
      else return;
    }
  } catch (error) {
    if (!(error instanceof EndOfData)) throw error;
  }
}

function copyStoredBlock(bits: BitReader, sink: ByteSink): void {
  bits.alignToByte();
  const length = bits.byte() | (bits.byte() << 8);
  const check = bits.byte() | (bits.byte() << 8);
  if (check !== (~length & 0xffff) && (length !== 0 || check !== 0)) throw new EndOfData();
  // pdf.js makes room for the whole block before it reads it.
  const available = bits.takeBytes(length);
  sink.write(available);
  if (available.length < length) {
    sink.fill(0, length - available.length);
    throw new EndOfData();
  }
}

function dynamicTables(bits: BitReader): [HuffmanTable, HuffmanTable] {
  const literalCount = bits.read(5) + 257;
  const distanceCount = bits.read(5) + 1;
  const codeLengthCount = bits.read(4) + 4;
  const codeLengthLengths = new Uint8Array(CODE_LENGTH_ORDER.length);
  for (let index = 0; index < codeLengthCount; index++) codeLengthLengths[CODE_LENGTH_ORDER[index]] = bits.read(3);
  const codeLengthTable = huffmanTable(codeLengthLengths);
  const lengths = new Uint8Array(literalCount + distanceCount);
  let previous = 0;
  for (let index = 0; index < lengths.length; ) {
    const symbol = bits.decode(codeLengthTable);
    if (symbol < 16) {
      lengths[index++] = previous = symbol;
      continue;
    }
    const [extraBits, base, value] = symbol === 16 ? [2, 3, previous] : symbol === 17 ? [3, 3, 0] : [7, 11, 0];
    if (symbol !== 16) previous = 0;
    for (let repeat = bits.read(extraBits) + base; repeat > 0 && index < lengths.length; repeat--) lengths[index++] = value;
  }
  return [huffmanTable(lengths.subarray(0, literalCount)), huffmanTable(lengths.subarray(literalCount))];
}

function inflateBlock(bits: BitReader, sink: ByteSink, literals: HuffmanTable, distances: HuffmanTable): void {
  for (;;) {
    const symbol = bits.decode(literals);
    if (symbol < 256) {
      sink.byte(symbol);
      continue;
    }
    if (symbol === 256) return;
    const lengthCode = LENGTHS[symbol - 257];
    const length = (lengthCode & 0xffff) + (lengthCode >> 16 > 0 ? bits.read(lengthCode >> 16) : 0);
    const distanceCode = DISTANCES[bits.decode(distances)] ?? 0;
    const distance = (distanceCode & 0xffff) + (distanceCode >> 16 > 0 ? bits.read(distanceCode >> 16) : 0);
    sink.copyBack(distance, length);
  }
}

/** Canonical Huffman codes by length, written bit-reversed (deflate sends codes from their last bit); over-full sets overwrite, as in pdf.js. */
function huffmanTable(lengths: Uint8Array): HuffmanTable {
  const maxLength = lengths.reduce((longest, length) => Math.max(longest, length), 0);
  const size = 1 << maxLength;
  const entries = new Int32Array(size);
  for (let length = 1, code = 0, step = 2; length <= maxLength; length++, code <<= 1, step <<= 1) {
    for (let symbol = 0; symbol < lengths.length; symbol++) {
      if (lengths[symbol] !== length) continue;
      let reversed = 0;
      for (let bit = 0, rest = code; bit < length; bit++, rest >>= 1) reversed = (reversed << 1) | (rest & 1);
      for (let index = reversed; index < size; index += step) entries[index] = (length << 16) | symbol;
      code++;
    }
  }
  return { entries, maxLength };
}

/** Reads deflate's bit stream (least significant bit first); running out of input ends the stream. */
class BitReader {
  private buffer = 0;
  private count = 0;

  constructor(
    private readonly input: Uint8Array,
    private position: number,
  ) {}

  read(wanted: number): number {
    while (this.count < wanted) {
      if (this.position >= this.input.length) throw new EndOfData();
      this.buffer |= this.input[this.position++] << this.count;
      this.count += 8;
    }
    const value = this.buffer & ((1 << wanted) - 1);
    this.buffer >>>= wanted;
    this.count -= wanted;
    return value;
  }

  decode(table: HuffmanTable): number {
    while (this.count < table.maxLength && this.position < this.input.length) {
      this.buffer |= this.input[this.position++] << this.count;
      this.count += 8;
    }
    const entry = table.entries[this.buffer & ((1 << table.maxLength) - 1)];
    const length = entry >> 16;
    if (length < 1 || this.count < length) throw new EndOfData();
    this.buffer >>>= length;
    this.count -= length;
    return entry & 0xffff;
  }

  alignToByte(): void {
    this.buffer = 0;
    this.count = 0;
  }

  byte(): number {
    if (this.position >= this.input.length) throw new EndOfData();
    return this.input[this.position++];
  }

  takeBytes(length: number): Uint8Array {
    const bytes = this.input.subarray(this.position, this.position + length);
    this.position += bytes.length;
    return bytes;
  }
}
