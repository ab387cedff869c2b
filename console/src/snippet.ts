// A search hit as a reader scans it: the part of the passage where the query's words are, those words marked.
// Matching is deliberately simple: a word matches a query word if they share a stem (a few English endings
// dropped) or the word begins with the query word's stem ("connect" marks "connecting", "connection").

export interface SnippetPart {
  text: string;
  marked: boolean;
}

const WORD = /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu;
const STOP_WORDS = new Set(
  'a an and are as at be but by can do does for from how i if in into is it its me my no not of on or our so that the their then this to up was we what when where which who why will with you your'.split(' '),
);
/** How much of the passage before the first matched word a snippet keeps, to read the word in context. */
const LEAD = 40;

/** The words of a query worth marking: no one-letter words, no words as common as "the" or "how". */
export function queryStems(query: string): string[] {
  const words = (query.toLowerCase().match(WORD) ?? []).filter((word) => word.length > 1 && !STOP_WORDS.has(word));
  return [...new Set(words.map(stem))];
}

export function stem(word: string): string {
  const lower = word.toLowerCase().replace(/['’]s$/, '');
  for (const ending of ['ing', 'ed', 'es', 's']) {
    if (lower.endsWith(ending) && lower.length - ending.length >= 3) return lower.slice(0, -ending.length);
  }
  return lower;
}

function matchedStem(word: string, stems: string[]): string | undefined {
  const own = stem(word);
  return stems.find((query) => own === query || (query.length >= 3 && own.startsWith(query)));
}

/**
 * At most `maxLength` characters of `text` (plain text, e.g. from plainText), cut at words around the
 * stretch that holds the most different query words, with "…" where it was cut, as parts to mark or not.
 */
export function snippet(text: string, query: string, maxLength = 220): SnippetPart[] {
  // One line per block (see plainText): a block that ends without a stop (a heading, a list item) gets a "·".
  const plain = text
    .trim()
    .replace(/([.!?:;…])?[^\S\n]*\n\s*/gu, (_, stop?: string) => (stop ? `${stop} ` : ' · '))
    .replace(/\s+/g, ' ');
  const stems = queryStems(query);
  const words = [...plain.matchAll(WORD)].map((match) => ({ start: match.index, end: match.index + match[0].length, stem: matchedStem(match[0], stems) }));
  const hits = words.filter((word) => word.stem !== undefined);

  let start = 0;
  let end = plain.length;
  if (plain.length > maxLength) {
    let best = -1;
    for (const hit of hits.length ? hits : [{ start: 0 }]) {
      const from = Math.max(0, hit.start - LEAD);
      const covered = new Set(hits.filter((other) => other.start >= from && other.end <= from + maxLength).map((other) => other.stem)).size;
      if (covered > best) [best, start] = [covered, from];
    }
    end = Math.min(plain.length, start + maxLength);
    // Whole words only: start at the first word that begins in the window, end after the last that ends in it.
    if (start > 0) start = words.find((word) => word.start >= start)?.start ?? start;
    if (end < plain.length) end = [...words].reverse().find((word) => word.end <= end && word.start >= start)?.end ?? end;
  }

  const parts: SnippetPart[] = [];
  const push = (part: string, marked: boolean) => {
    if (!part) return;
    const last = parts[parts.length - 1];
    if (last && last.marked === marked) last.text += part;
    else parts.push({ text: part, marked });
  };
  push(start > 0 ? '…' : '', false);
  let at = start;
  for (const hit of hits.filter((word) => word.start >= start && word.end <= end)) {
    push(plain.slice(at, hit.start), false);
    push(plain.slice(hit.start, hit.end), true);
    at = hit.end;
  }
  push(plain.slice(at, end), false);
  push(end < plain.length ? '…' : '', false);
  return parts;
}
