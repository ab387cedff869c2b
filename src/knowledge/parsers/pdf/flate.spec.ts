import { randomBytes } from 'node:crypto';
import { deflateSync, inflateSync } from 'node:zlib';
import { zlibOfSpaces } from '../../../../test/support/bomb-fixtures';
import { CollectingSink, CountingSink, ExpansionCounter, ExpansionLimitExceeded } from './byte-sink';
import { inflatePdfStream } from './flate';

const MiB = 1024 * 1024;

/** Deflate's bit stream by hand: fields least significant bit first, Huffman codes most significant bit first. */
class DeflateBits {
  private readonly bits: number[] = [];

  field(value: number, count: number): this {
    for (let bit = 0; bit < count; bit++) this.bits.push((value >> bit) & 1);
    return this;
  }

  code(value: number, length: number): this {
    for (let bit = length - 1; bit >= 0; bit--) this.bits.push((value >> bit) & 1);
    return this;
  }

  /** Behind a zlib header that pdf.js accepts (no checksum follows; pdf.js reads none). */
  zlib(): Buffer {
    const bytes = Buffer.alloc(Math.ceil(this.bits.length / 8));
    this.bits.forEach((bit, index) => (bytes[index >> 3] |= bit << (index & 7)));
    return Buffer.concat([Buffer.from([0x78, 0x01]), bytes]);
  }
}

/** Fixed Huffman codes: length 258 is symbol 285 (8 bits, 11000101), distance 1 is code 0 (5 bits), end of block 256 (7 zero bits). */
const fixedBlock = (bits: DeflateBits) => bits.field(1, 1).field(1, 2);
const length258Distance1 = (bits: DeflateBits) => bits.code(0b11000101, 8).code(0, 5);
const endOfBlock = (bits: DeflateBits) => bits.code(0, 7);

function inflated(data: Buffer, limit = Number.MAX_SAFE_INTEGER): Buffer {
  const sink = new CollectingSink(new ExpansionCounter(limit));
  inflatePdfStream(data, sink);
  return Buffer.from(sink.bytes);
}

describe('inflatePdfStream', () => {
  it('inflates what zlib deflates, byte for byte, at every level', () => {
    const samples = [randomBytes(200_000), Buffer.from('Restart the print spooler. '.repeat(20_000)), Buffer.alloc(0)];
    for (const sample of samples) {
      for (const level of [0, 1, 6, 9]) expect(inflated(deflateSync(sample, { level })).equals(sample)).toBe(true);
    }
  });

  it('counts a stream that inflates to a GiB without keeping it, and stops just past the budget', () => {
    const bomb = zlibOfSpaces(Buffer.from('x'), 1024 * MiB);
    const counter = new ExpansionCounter(50 * MiB);
    expect(() => inflatePdfStream(bomb, new CountingSink(counter))).toThrow(ExpansionLimitExceeded);
    expect(counter.bytes).toBeGreaterThan(50 * MiB);
    expect(counter.bytes).toBeLessThanOrEqual(50 * MiB + 258); // one match at most past the limit
  });

  it('goes on past a back-reference to before the start, writing zeros, where zlib gives up', () => {
    // pdf.js does not check distances: a stream zlib refuses at its first match still inflates in pdf.js.
    const bits = fixedBlock(new DeflateBits());
    for (let match = 0; match < 1000; match++) length258Distance1(bits);
    const stream = endOfBlock(bits).zlib();
    expect(() => inflateSync(stream)).toThrow(/invalid distance too far back/);
    expect(inflated(stream).equals(Buffer.alloc(258_000))).toBe(true);
  });

  it('reads nothing from a stream whose zlib header pdf.js refuses', () => {
    const stream = deflateSync(Buffer.from('Badge readers'));
    expect(inflated(Buffer.concat([Buffer.from([0x78, 0x00]), stream.subarray(2)]))).toHaveLength(0); // header checksum
    expect(inflated(Buffer.concat([Buffer.from([0x79, 0x9c]), stream.subarray(2)]))).toHaveLength(0); // not deflate
    expect(inflated(Buffer.concat([Buffer.from([0x78, 0xbb]), stream.subarray(2)]))).toHaveLength(0); // preset dictionary
  });

  it('keeps what came before a block of type 3 or data that runs out, as pdf.js does', () => {
    const notFinal = new DeflateBits().field(0, 1).field(1, 2).code(0b01110001, 8); // the literal "A" (0x30 + 0x41)
    const badBlock = endOfBlock(notFinal).field(1, 1).field(3, 2).zlib();
    expect(inflated(badBlock).toString()).toBe('A');
    const cut = deflateSync(Buffer.from('Map the shared drive: net use S: \\\\files\\shared')).subarray(0, 12);
    expect(inflated(cut).length).toBeGreaterThan(0);
  });
});
