// The PDF filters other than Flate that may hold any data (not only images), decoded the way pdf.js decodes them:
// its quirks decide how much it writes, so they are kept.
import { ByteSink } from './byte-sink';
import { PdfDict } from './pdf-syntax';

/**
 * LZW as pdf.js decodes it, in blocks of 512 codes: a code at or past the next free one repeats the current
 * sequence one byte longer each time (so a run of them grows quadratically), and when the input ends the rest of
 * the block still yields a byte per code.
 */
export function decodeLzw(input: Uint8Array, sink: ByteSink, params: PdfDict | null): void {
  const early = typeof params?.get('EarlyChange') === 'number' ? (params.get('EarlyChange') as number) : 1;
  const values = new Uint8Array(4096);
  const lengths = new Uint16Array(4096);
  const previousCodes = new Uint16Array(4096);
  const sequence = new Uint8Array(4096);
  for (let code = 0; code < 256; code++) {
    values[code] = code;
    lengths[code] = 1;
  }
  let codeLength = 9;
  let nextCode = 258;
  let previous = 0;
  let sequenceLength = 0;
  let cached = 0;
  let cachedBits = 0;
  let position = 0;
  let ended = false;
  const readCode = (): number => {
    while (cachedBits < codeLength) {
      if (position >= input.length) {
        ended = true;
        return 0;
      }
      cached = (cached << 8) | input[position++];
      cachedBits += 8;
    }
    cachedBits -= codeLength;
    return (cached >>> cachedBits) & ((1 << codeLength) - 1);
  };
  while (!ended) {
    for (let inBlock = 0; inBlock < 512; inBlock++) {
      const code = readCode();
      const hadSequence = sequenceLength > 0;
      if (code < 256) {
        sequence[0] = code;
        sequenceLength = 1;
      } else if (code === 256) {
        codeLength = 9;
        nextCode = 258;
        sequenceLength = 0;
        continue;
      } else if (code === 257) {
        return;
      } else if (code < nextCode) {
        sequenceLength = lengths[code];
        for (let at = sequenceLength - 1, link = code; at >= 0; at--) {
          sequence[at] = values[link];
          link = previousCodes[link];
        }
      } else {
        sequence[sequenceLength++] = sequence[0];
      }
      if (hadSequence) {
        previousCodes[nextCode] = previous;
        lengths[nextCode] = lengths[previous] + 1;
        values[nextCode] = sequence[0];
        nextCode++;
        const next = nextCode + early;
        if ((next & (next - 1)) === 0) codeLength = Math.min(Math.log(next) / 0.6931471805599453 + 1, 12) | 0;
      }
      previous = code;
      if (sequenceLength <= sequence.length) sink.write(sequence.subarray(0, sequenceLength));
      else {
        sink.write(sequence);
        sink.fill(0, sequenceLength - sequence.length);
      }
    }
  }
}

/** Runs: a length byte n, then n + 1 bytes to copy (n < 128) or one byte to repeat 257 − n times; 128 ends. */
export function decodeRunLength(input: Uint8Array, sink: ByteSink): void {
  for (let position = 0; position + 1 < input.length && input[position] !== 128; ) {
    const header = input[position];
    if (header < 128) {
      const copied = input.subarray(position + 1, position + 2 + header);
      sink.write(copied);
      // pdf.js counts the run as whole even when the data stops short.
      if (copied.length < header + 1) sink.fill(0, header + 1 - copied.length);
      position += 2 + header;
    } else {
      sink.fill(input[position + 1], 257 - header);
      position += 2;
    }
  }
}

/** Groups of five characters make four bytes, `z` four zeros; `~` or the end of the data ends it. */
export function decodeAscii85(input: Uint8Array, sink: ByteSink): void {
  const group = new Uint8Array(5);
  let position = 0;
  const next = (): number => {
    while (position < input.length && isAsciiWhitespace(input[position])) position++;
    return position < input.length ? input[position++] : -1;
  };
  for (;;) {
    const first = next();
    if (first === -1 || first === 0x7e) return;
    if (first === 0x7a) {
      sink.fill(0, 4);
      continue;
    }
    group[0] = first;
    let count = 1;
    for (; count < 5; count++) {
      const character = next();
      if (character === -1 || character === 0x7e) break;
      group[count] = character;
    }
    const complete = count === 5;
    for (let rest = count; rest < 5; rest++) group[rest] = 0x75;
    let value = 0;
    for (const character of group) value = value * 85 + (character - 0x21);
    const bytes = new Uint8Array(4);
    for (let index = 3; index >= 0; index--, value = Math.floor(value / 256)) bytes[index] = value & 0xff;
    sink.write(bytes.subarray(0, count - 1));
    if (!complete) return;
  }
}

/** Pairs of hex digits; other characters are skipped, `>` ends it (a lone last digit then counts as a byte). */
export function decodeAsciiHex(input: Uint8Array, sink: ByteSink): void {
  let high = -1;
  for (const character of input) {
    if (character === 0x3e) {
      if (high >= 0) sink.byte(high << 4);
      return;
    }
    const digit = hexDigit(character);
    if (digit < 0) continue;
    if (high < 0) high = digit;
    else {
      sink.byte((high << 4) | digit);
      high = -1;
    }
  }
}

function hexDigit(character: number): number {
  if (character >= 0x30 && character <= 0x39) return character - 0x30;
  if ((character >= 0x41 && character <= 0x46) || (character >= 0x61 && character <= 0x66)) return (character & 0x0f) + 9;
  return -1;
}

function isAsciiWhitespace(byte: number): boolean {
  return byte === 0x00 || byte === 0x09 || byte === 0x0a || byte === 0x0c || byte === 0x0d || byte === 0x20;
}
