// Where a decoder's output goes while a PDF's expansion is measured: every byte is counted against the budget
// before it is kept, and the last filter of a chain keeps nothing, so measuring never holds what it measures.

export class ExpansionLimitExceeded extends Error {
  constructor() {
    super('The expansion budget is spent');
  }
}

/** Bytes decoded so far against a limit; `add` throws once the limit is passed. */
export class ExpansionCounter {
  private total = 0;

  constructor(readonly limit: number) {}

  get bytes(): number {
    return this.total;
  }

  add(bytes: number): void {
    this.total += bytes;
    if (this.total > this.limit) throw new ExpansionLimitExceeded();
  }
}

export interface ByteSink {
  byte(value: number): void;
  write(bytes: Uint8Array): void;
  fill(value: number, count: number): void;
  /** Repeats `length` bytes from `distance` back (a distance past the start reads zeros, as in pdf.js). */
  copyBack(distance: number, length: number): void;
}

/** Counts and forgets: for the last filter of a chain. */
export class CountingSink implements ByteSink {
  constructor(private readonly counter: ExpansionCounter) {}

  byte(): void {
    this.counter.add(1);
  }

  write(bytes: Uint8Array): void {
    this.counter.add(bytes.length);
  }

  fill(_value: number, count: number): void {
    this.counter.add(count);
  }

  copyBack(_distance: number, length: number): void {
    this.counter.add(length);
  }
}

/** Counts and keeps: the input of the next filter of a chain. */
export class CollectingSink implements ByteSink {
  private buffer = new Uint8Array(4096);
  private length = 0;

  constructor(private readonly counter: ExpansionCounter) {}

  get bytes(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }

  byte(value: number): void {
    this.reserve(1);
    this.buffer[this.length++] = value;
  }

  write(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.buffer.set(bytes, this.length);
    this.length += bytes.length;
  }

  fill(value: number, count: number): void {
    this.reserve(count);
    this.buffer.fill(value, this.length, this.length + count);
    this.length += count;
  }

  copyBack(distance: number, length: number): void {
    this.reserve(length);
    for (let copied = 0; copied < length; copied++, this.length++) {
      const from = this.length - distance;
      this.buffer[this.length] = from >= 0 && distance > 0 ? this.buffer[from] : 0;
    }
  }

  private reserve(bytes: number): void {
    this.counter.add(bytes);
    if (this.length + bytes <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.length + bytes) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.bytes);
    this.buffer = grown;
  }
}
