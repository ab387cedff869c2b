// Just enough of PDF's object syntax to read dictionaries and the values in them: numbers, names, strings,
// arrays, dictionaries and references, with comments and whitespace between them.

export class PdfName {
  constructor(readonly name: string) {}
}

export class PdfRef {
  constructor(
    readonly num: number,
    readonly gen: number,
  ) {}
}

export class PdfString {
  constructor(readonly bytes: Uint8Array) {}
}

/** A bare word other than true, false and null: `stream`, `endobj`, `obj`… */
export class PdfKeyword {
  constructor(readonly word: string) {}
}

export class PdfDict {
  constructor(readonly entries: Map<string, PdfValue>) {}

  get(key: string): PdfValue | undefined {
    return this.entries.get(key);
  }
}

export type PdfValue = number | boolean | null | PdfName | PdfRef | PdfString | PdfKeyword | PdfDict | PdfValue[];

const MAX_NESTING = 100;
// Each byte's class, looked up rather than tested: every byte of every object passes through these.
const REGULAR = 0;
const WHITESPACE = 1;
const DELIMITER = 2;
const CLASSES = new Uint8Array(256);
for (const byte of [0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]) CLASSES[byte] = WHITESPACE;
for (const byte of [0x28, 0x29, 0x3c, 0x3e, 0x5b, 0x5d, 0x7b, 0x7d, 0x2f, 0x25]) CLASSES[byte] = DELIMITER;
const ESCAPES: Record<number, number> = { 0x6e: 0x0a, 0x72: 0x0d, 0x74: 0x09, 0x62: 0x08, 0x66: 0x0c };

export function isWhitespace(byte: number | undefined): boolean {
  return byte !== undefined && CLASSES[byte] === WHITESPACE;
}

/** Neither whitespace nor a delimiter: part of a name, number or keyword. */
export function isRegular(byte: number | undefined): boolean {
  return byte !== undefined && CLASSES[byte] === REGULAR;
}

/** Reads values from `data` (and `text`, the same bytes as latin1), starting at `position`; malformed syntax throws a RangeError. */
export class PdfReader {
  constructor(
    private readonly data: Uint8Array,
    public position: number,
    private readonly text: string,
  ) {}

  skipSpace(): void {
    for (;;) {
      const byte = this.data[this.position];
      if (byte === 0x25) {
        while (this.position < this.data.length && this.data[this.position] !== 0x0a && this.data[this.position] !== 0x0d) this.position++;
      } else if (isWhitespace(byte)) {
        this.position++;
      } else {
        return;
      }
    }
  }

  /** After the keyword `stream`, as pdf.js does: everything up to and including the next line end. */
  skipToNextLine(): void {
    while (this.position < this.data.length) {
      const byte = this.data[this.position++];
      if (byte === 0x0a) return;
      if (byte === 0x0d) {
        if (this.data[this.position] === 0x0a) this.position++;
        return;
      }
    }
  }

  readValue(depth = 0): PdfValue {
    if (depth > MAX_NESTING) throw new RangeError('nested too deep');
    this.skipSpace();
    const byte = this.data[this.position];
    if (byte === undefined) throw new RangeError('unexpected end of data');
    if (byte === 0x3c && this.data[this.position + 1] === 0x3c) return this.readDict(depth);
    if (byte === 0x3c) return this.readHexString();
    if (byte === 0x28) return this.readLiteralString();
    if (byte === 0x5b) return this.readArray(depth);
    if (byte === 0x2f) return new PdfName(this.readName());
    const word = this.readWord();
    if (word === '') throw new RangeError(`unexpected byte ${byte} at ${this.position}`);
    if (!/^[+-]*(\d+\.?\d*|\.\d+)$/.test(word)) {
      return word === 'true' ? true : word === 'false' ? false : word === 'null' ? null : new PdfKeyword(word);
    }
    const number = Number(word.replace(/^[+-]*/, (signs) => (signs.includes('-') ? '-' : '')));
    return Number.isInteger(number) && number >= 0 ? (this.tryReference(number) ?? number) : number;
  }

  private readDict(depth: number): PdfDict {
    this.position += 2;
    const entries = new Map<string, PdfValue>();
    for (;;) {
      this.skipSpace();
      if (this.data[this.position] === 0x3e && this.data[this.position + 1] === 0x3e) {
        this.position += 2;
        return new PdfDict(entries);
      }
      if (this.data[this.position] !== 0x2f) {
        // pdf.js skips a key that is not a name and reads on.
        this.readValue(depth + 1);
        continue;
      }
      const key = this.readName();
      entries.set(key, this.readValue(depth + 1));
    }
  }

  private readArray(depth: number): PdfValue[] {
    this.position++;
    const items: PdfValue[] = [];
    for (;;) {
      this.skipSpace();
      if (this.data[this.position] === 0x5d) {
        this.position++;
        return items;
      }
      items.push(this.readValue(depth + 1));
    }
  }

  /** `num gen R` after a non-negative integer, else nothing read. */
  private tryReference(num: number): PdfRef | undefined {
    const start = this.position;
    this.skipSpace();
    const gen = this.readWord();
    this.skipSpace();
    if (/^\d+$/.test(gen) && this.data[this.position] === 0x52 && !isRegular(this.data[this.position + 1])) {
      this.position++;
      return new PdfRef(num, Number(gen));
    }
    this.position = start;
    return undefined;
  }

  private readWord(): string {
    const start = this.position;
    while (isRegular(this.data[this.position])) this.position++;
    return this.text.slice(start, this.position);
  }

  private readName(): string {
    this.position++; // the slash
    return this.readWord().replace(/#([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  }

  private readHexString(): PdfString {
    const end = this.data.indexOf(0x3e, this.position);
    if (end === -1) throw new RangeError('unterminated hex string');
    const digits = latin1(this.data.subarray(this.position + 1, end)).replace(/[^0-9a-fA-F]/g, '');
    this.position = end + 1;
    return new PdfString(Uint8Array.from(Buffer.from(digits.length % 2 ? `${digits}0` : digits, 'hex')));
  }

  private readLiteralString(): PdfString {
    const bytes: number[] = [];
    let depth = 0;
    for (this.position++; ; ) {
      const byte = this.data[this.position++];
      if (byte === undefined) throw new RangeError('unterminated string');
      if (byte === 0x29 && depth === 0) return new PdfString(Uint8Array.from(bytes));
      if (byte === 0x28) depth++;
      if (byte === 0x29) depth--;
      if (byte !== 0x5c) {
        bytes.push(byte);
        continue;
      }
      const next = this.data[this.position++];
      if (next === undefined) continue;
      if (next >= 0x30 && next <= 0x37) {
        let octal = next - 0x30;
        for (let more = 0; more < 2 && this.data[this.position] >= 0x30 && this.data[this.position] <= 0x37; more++) octal = octal * 8 + this.data[this.position++] - 0x30;
        bytes.push(octal & 0xff);
      } else if (next === 0x0d) {
        if (this.data[this.position] === 0x0a) this.position++;
      } else if (next !== 0x0a) {
        bytes.push(ESCAPES[next] ?? next);
      }
    }
  }
}

export function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}
