// Embeddings that need no model and no network: lexical feature hashing, for offline use and tests.
import { Embeddings } from '@langchain/core/embeddings';
import { porterStem, STOP_WORDS, tokenize } from '../knowledge/text-processing';

export const OFFLINE_EMBEDDING_DIMENSIONS = 768;

/** Texts this long in all are embedded on the event loop (about a millisecond), longer ones in a thread. */
const INLINE_CHARACTERS = 16 * 1024;
/** How much a word's character 4-grams count beside the word itself (each word's grams together). */
const CHARACTER_GRAM_WEIGHT = 0.3;
const CHARACTER_GRAM_LENGTH = 4;
const WORD_FEATURE = 0x77; // 'w': keeps a word "abcd" and its 4-gram "abcd" apart
const GRAM_FEATURE = 0x63; // 'c'

/**
 * A deterministic, model-free text embedding by feature hashing. The text is normalised (Unicode NFKC,
 * words re-joined across hyphenated line breaks, lower case) and split into words; English stop words
 * are dropped. Two kinds of feature are counted: each word's Porter stem, and the character 4-grams of
 * each word padded with boundary marks ("<disk>" → "<dis", "disk", "isk>"), which let related forms and
 * compounds ("filesystem", "file system") meet. A feature's weight is sublinear in its count,
 * 1 + ln(count), and a word's 4-grams share CHARACTER_GRAM_WEIGHT between them. Every feature is hashed
 * (32-bit FNV-1a with a murmur3 finaliser, so the vector is the same in every process) to one of 768
 * dimensions with a hashed sign, so that collisions cancel out rather than pile up, and the vector is
 * L2-normalised, which makes pgvector's cosine distance a tf-weighted lexical similarity. A text with no
 * features (empty, only stop words or punctuation) gets a fixed unit vector along the first dimension, so
 * cosine distance is always defined. It knows no synonyms; pair it with full-text search (hybrid).
 */
export class OfflineEmbeddings extends Embeddings {
  /** `inThreads`, when given, computes documents' vectors off the event loop (the same function, in a worker). */
  constructor(private readonly inThreads?: (texts: string[]) => Promise<number[][]>) {
    super({});
  }

  /**
   * An upload's chunks in a thread; a few tickets' worth of text (tens of microseconds each) here: a thread
   * costs more than that to reach, and half a second or more to start after it idled — which detection
   * of incidents, embedding a new report inside the trail's shared pass, made every projection wait.
   */
  embedDocuments(texts: string[]): Promise<number[][]> {
    if (this.inThreads && texts.reduce((sum, text) => sum + text.length, 0) > INLINE_CHARACTERS) return this.inThreads(texts);
    return Promise.resolve(texts.map((text) => embedText(text)));
  }

  embedQuery(text: string): Promise<number[]> {
    return Promise.resolve(embedText(text));
  }
}

export function embedText(text: string): number[] {
  const wordCounts = new Map<string, number>();
  for (const token of tokenize(text)) {
    if (token.length < 2 || STOP_WORDS.has(token)) continue;
    wordCounts.set(token, (wordCounts.get(token) ?? 0) + 1);
  }

  const features = new Map<number, number>();
  const add = (hash: number, weight: number) => features.set(hash, (features.get(hash) ?? 0) + weight);
  const stemCounts = new Map<string, number>();
  for (const [word, count] of wordCounts) {
    const stem = porterStem(word);
    stemCounts.set(stem, (stemCounts.get(stem) ?? 0) + count);
    const padded = `<${word}>`;
    const grams = Math.max(1, padded.length - CHARACTER_GRAM_LENGTH + 1);
    const gramWeight = (CHARACTER_GRAM_WEIGHT * sublinear(count)) / Math.sqrt(grams);
    for (let start = 0; start + CHARACTER_GRAM_LENGTH <= padded.length; start++) {
      add(hashString(padded, start, start + CHARACTER_GRAM_LENGTH, GRAM_FEATURE), gramWeight);
    }
  }
  for (const [stem, count] of stemCounts) add(hashString(stem, 0, stem.length, WORD_FEATURE), sublinear(count));

  const vector = new Float64Array(OFFLINE_EMBEDDING_DIMENSIONS);
  for (const [hash, weight] of features) {
    const sign = finalise(hash ^ 0x9e3779b9) & 1 ? 1 : -1;
    vector[hash % OFFLINE_EMBEDDING_DIMENSIONS] += sign * weight;
  }
  return normalise(vector);
}

function sublinear(count: number): number {
  return 1 + Math.log(count);
}

/** FNV-1a over text[start, end) after a one-byte feature kind, then murmur3's finaliser; unsigned 32 bits. */
function hashString(text: string, start: number, end: number, kind: number): number {
  let hash = Math.imul(0x811c9dc5 ^ kind, 0x01000193);
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return finalise(hash);
}

function finalise(value: number): number {
  let hash = value;
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
  return (hash ^ (hash >>> 16)) >>> 0;
}

function normalise(vector: Float64Array): number[] {
  let sumOfSquares = 0;
  for (const value of vector) sumOfSquares += value * value;
  if (sumOfSquares === 0) {
    const unit = new Array<number>(vector.length).fill(0);
    unit[0] = 1;
    return unit;
  }
  const norm = Math.sqrt(sumOfSquares);
  return Array.from(vector, (value) => value / norm);
}
