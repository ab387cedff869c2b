// How alike two tickets are, for grouping the reports of one outage: a hybrid of their vectors' cosine
// (the embedding model's idea of meaning) and the significant terms they share (what an engineer reads
// as "the same words"), with a small weight for the same kind of request. Pure: the eval
// (`npm run eval:incidents`) measures it on a labelled set, and the detector uses exactly this.
import { incidentTerms, isSymptom, troubleOf } from './incident-vocabulary';

export { incidentTerms };

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

const VECTOR_WEIGHT = 0.6;
const TERMS_WEIGHT = 0.35;
const SAME_KIND_WEIGHT = 0.05;
/**
 * What is left of the score when one of the two tickets says nothing is broken, or one says only that it is
 * slow and the other only that it is down: "where do I find the
 * recording of a Teams call" uses the words of "Teams calls drop" without reporting the outage.
 */
const NO_SYMPTOM_FACTOR = 0.5;

export function likeness(a: TicketFeatures, b: TicketFeatures): Likeness {
  let cosine = 0;
  const length = Math.min(a.vector.length, b.vector.length);
  for (let index = 0; index < length; index++) cosine += a.vector[index] * b.vector[index];
  const sharedTerms = [...a.terms].filter((term) => b.terms.has(term));
  // Symptoms ("not", "down", "offline") are in nearly every report of every outage: the overlap counts
  // only the terms that say which system and where, and the symptoms gate the score instead.
  const topicsOfA = countTopics(a.terms);
  const topicsOfB = countTopics(b.terms);
  const sharedTopics = sharedTerms.filter((term) => !isSymptom(term)).length;
  const union = topicsOfA + topicsOfB - sharedTopics;
  const overlap = union === 0 ? 0 : sharedTopics / union;
  const sameKind = a.requestType === b.requestType || a.category === b.category ? 1 : 0;
  const hybrid = VECTOR_WEIGHT * Math.max(0, cosine) + TERMS_WEIGHT * overlap + SAME_KIND_WEIGHT * sameKind;
  const bothReportSymptoms = topicsOfA < a.terms.size && topicsOfB < b.terms.size;
  const score = bothReportSymptoms && !differentTrouble(a.terms, b.terms) ? hybrid : hybrid * NO_SYMPTOM_FACTOR;
  return { score, cosine, sharedTerms: sharedTerms.sort() };
}

/** One says only that it is slow, the other only that it is down: two problems. */
function differentTrouble(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  const [troubleA, troubleB] = [troubleOf(a), troubleOf(b)];
  const onlySlow = (trouble: { outage: boolean; degraded: boolean }) => trouble.degraded && !trouble.outage;
  const onlyDown = (trouble: { outage: boolean; degraded: boolean }) => trouble.outage && !trouble.degraded;
  return (onlySlow(troubleA) && onlyDown(troubleB)) || (onlyDown(troubleA) && onlySlow(troubleB));
}

function countTopics(terms: ReadonlySet<string>): number {
  let topics = 0;
  for (const term of terms) if (!isSymptom(term)) topics += 1;
  return topics;
}
