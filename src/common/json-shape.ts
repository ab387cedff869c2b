// Bounds the shape of a JSON text before it is parsed: the work done on a body later (class-transformer
// builds a DTO field by field, and grows faster than linearly with the number of keys) must not be
// decided by the client. One pass over the bytes, no allocation.

export const MAX_BODY_FIELDS = 2000;
/** Deeper than any body of ours; far shallower than what overflows the stack of the recursive validators. */
export const MAX_BODY_DEPTH = 32;

/** A body refused for its shape (too many fields, too deep): a 400 naming the limit. */
export class BodyShapeError extends Error {
  readonly status = 400;
  readonly expose = true;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;

/**
 * Throws a BodyShapeError when the JSON text holds more than `maxFields` members and array items, or
 * nests deeper than `maxDepth`. Malformed text is left to the parser: this counts, it does not validate.
 */
export function assertJsonShape(text: Buffer, maxFields = MAX_BODY_FIELDS, maxDepth = MAX_BODY_DEPTH): void {
  let depth = 0;
  let separators = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const byte = text[index];
    if (inString) {
      if (byte === BACKSLASH) index++;
      else if (byte === QUOTE) inString = false;
      continue;
    }
    if (byte === QUOTE) inString = true;
    else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      if (++depth > maxDepth) throw new BodyShapeError(`Request body is nested more than ${maxDepth} levels deep`);
    } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) depth--;
    // n members or items are n − 1 commas: counting commas bounds them all without telling the two apart.
    else if (byte === COMMA && ++separators >= maxFields) throw new BodyShapeError(tooManyFields(maxFields));
  }
}

export function tooManyFields(maxFields = MAX_BODY_FIELDS): string {
  return `Request body has more than ${maxFields} fields`;
}
