// How alike two tickets are, for grouping the reports of one outage: a hybrid of their vectors' cosine
// (the embedding model's idea of meaning) and the significant terms they share (what an engineer reads
// as "the same words"), with a small weight for the same kind of request. Pure: the eval
// (`npm run eval:incidents`) measures it on a labelled set, and the detector uses exactly this.
import { porterStem, tokenize } from '../knowledge/text-processing';

/** What the comparison needs of a ticket. */
export interface TicketFeatures {
  /** The ticket's vector (title and description), L2-normalised. */
  vector: readonly number[];
  /** Its significant terms, stemmed (incidentTerms). */
  terms: ReadonlySet<string>;
  requestType: string;
  category: string;
}

export interface Likeness {
  /** 0..1: the hybrid score compared with the cut-off. */
  score: number;
  cosine: number;
  /** The stems both tickets use, for "why they were grouped". */
  sharedTerms: string[];
}

/** Words that say nothing about which outage it is (beside the usual stop words, which here keep "down", "not"). */
const FILLER = new Set(
  `a an the and or but to of in on at for from with by is are was were be been it its this that i me my we our
  you your he she they them can could would should will please hi hello thanks thank help need have has had
  get got do does did just also since today now still again there here as so if any some all`.split(/\s+/),
);

const VECTOR_WEIGHT = 0.6;
const TERMS_WEIGHT = 0.35;
const SAME_KIND_WEIGHT = 0.05;

/** The stems of a text's significant words (short words and filler dropped, but "down" and "not" kept: they say what broke). */
export function incidentTerms(text: string): Set<string> {
  const terms = new Set<string>();
  for (const token of tokenize(text)) {
    if (token.length < 2 || FILLER.has(token)) continue;
    terms.add(porterStem(token));
  }
  return terms;
}

export function likeness(a: TicketFeatures, b: TicketFeatures): Likeness {
  let cosine = 0;
  const length = Math.min(a.vector.length, b.vector.length);
  for (let index = 0; index < length; index++) cosine += a.vector[index] * b.vector[index];
  const sharedTerms = [...a.terms].filter((term) => b.terms.has(term));
  const union = a.terms.size + b.terms.size - sharedTerms.length;
  const overlap = union === 0 ? 0 : sharedTerms.length / union;
  const sameKind = a.requestType === b.requestType || a.category === b.category ? 1 : 0;
  const score = VECTOR_WEIGHT * Math.max(0, cosine) + TERMS_WEIGHT * overlap + SAME_KIND_WEIGHT * sameKind;
  return { score, cosine, sharedTerms: sharedTerms.sort() };
}
