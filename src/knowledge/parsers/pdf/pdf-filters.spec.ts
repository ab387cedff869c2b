import { deflateSync } from 'node:zlib';
import { ExpansionCounter, ExpansionLimitExceeded } from './byte-sink';
import { decodeChain, PdfFilter } from './pdf-filters';
import { PdfDict, PdfValue } from './pdf-syntax';

const MiB = 1024 * 1024;

const filter = (name: string, params?: Record<string, PdfValue>): PdfFilter => ({ name, params: params ? new PdfDict(new Map(Object.entries(params))) : null });

/** What the chain decodes to, and how many bytes it counted on the way. */
function decode(input: Buffer | string, filters: PdfFilter[], limit = 100 * MiB): { output: string; counted: number } {
  const counter = new ExpansionCounter(limit);
  const output = decodeChain(typeof input === 'string' ? Buffer.from(input, 'latin1') : input, filters, counter, true);
  return { output: Buffer.from(output).toString('latin1'), counted: counter.bytes };
}

describe('decodeChain', () => {
  it('decodes LZW as the PDF reference shows it, early change included', () => {
    // ISO 32000-1, 7.4.4.2: "-----A---B" is 80 0B 60 50 22 0C 0C 85 01.
    expect(decode(Buffer.from('800b6050220c0c8501', 'hex'), [filter('LZWDecode')]).output).toBe('-----A---B');
  });

  it('counts the quadratic growth pdf.js gives LZW codes past the end of its table', () => {
    // Each code at or past the next free one repeats the current sequence one byte longer.
    const { counted } = decode(Buffer.alloc(1000, 0xff), [filter('LZWDecode')]);
    expect(counted).toBeGreaterThan(200 * 1000);
  });

  it('decodes run lengths, ASCII85 and hexadecimal as pdf.js does', () => {
    expect(decode(Buffer.from([2, 0x61, 0x62, 0x63, 255, 0x78, 128, 0x7a]), [filter('RunLengthDecode')]).output).toBe('abcxx');
    expect(decode('9jqo^ z 9jqo~>', [filter('ASCII85Decode')]).output).toBe('Man \0\0\0\0Man');
    expect(decode('48 65 6C\n6c 6F 7>', [filter('ASCIIHexDecode')]).output).toBe('Hellop');
  });

  it('counts every stage of a chain, since pdf.js keeps each one’s output', () => {
    const text = 'Printers on the third floor use the queue print03. ';
    const zlib = deflateSync(Buffer.from(text));
    const { output, counted } = decode(zlib.toString('hex') + '>', [filter('AHx'), filter('Fl')]);
    expect(output).toBe(text);
    expect(counted).toBe(zlib.length + text.length);
  });

  it('counts the rows a predictor writes, however little data they hold: an enormous /Columns is refused', () => {
    const columns = filter('FlateDecode', { Predictor: 12, Columns: 2 ** 27 }); // 128 MiB rows
    expect(() => decode(deflateSync(Buffer.from([2, 1, 2, 3])), [columns], 100 * MiB)).toThrow(ExpansionLimitExceeded);
    const ordinary = filter('FlateDecode', { Predictor: 12, Columns: 4 });
    expect(decode(deflateSync(Buffer.alloc(50)), [ordinary]).counted).toBeLessThan(3 * 50); // the data, then rows of about its size
  });

  it('passes data through a filter it does not know, as pdf.js does', () => {
    expect(decode('plain', [filter('Crypt'), filter('NoSuchDecode')])).toEqual({ output: 'plain', counted: 0 });
  });
});
