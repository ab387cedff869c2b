// The offline provider's "model": a deterministic, extractive composer. It answers only with sentences
// taken from the retrieved passages — those that share the most (rarer) words with the ticket — and cites
// the passages they came from; with no relevant passage it says that no relevant knowledge was found.
import { Passage, ResolutionDraft, ResolutionModel, ResolutionRequest } from './resolution-model';

const MAX_STEPS = 5;
const MIN_SENTENCE_CHARS = 25;
const MAX_STEP_CHARS = 400;
const STOP_WORDS = new Set(
  ('a an and are as at be but by can do does for from get got has have how i if in into is it its me my need ' +
    'no not of on or our please so that the their then there these this to too up us was we what when where which ' +
    'who why will with would you your able cannot can’t dont don’t im i’m want').split(' '),
);

export const NO_KNOWLEDGE_SUMMARY = 'No relevant knowledge found for this ticket in the knowledge base.';

interface Candidate {
  sentence: string;
  passage: Passage;
  passageRank: number;
  order: number;
  terms: Set<string>;
}

export class OfflineResolutionModel implements ResolutionModel {
  readonly name = 'offline';

  async suggest({ ticket, passages }: ResolutionRequest): Promise<ResolutionDraft> {
    const queryTerms = new Set(terms(`${ticket.title} ${ticket.description}`));
    const candidates = passages.flatMap((passage, passageRank) =>
      sentences(passage.text).map((sentence, order) => ({ sentence, passage, passageRank, order, terms: new Set(terms(sentence)) })),
    );
    // A word found in few sentences says more about the ticket than one found everywhere.
    const frequency = new Map<string, number>();
    for (const candidate of candidates) for (const term of candidate.terms) frequency.set(term, (frequency.get(term) ?? 0) + 1);
    const weight = (term: string) => Math.log(1 + candidates.length / (frequency.get(term) ?? 1));
    const scored = candidates
      .map((candidate) => {
        const shared = [...queryTerms].filter((term) => candidate.terms.has(term));
        const score = shared.reduce((sum, term) => sum + weight(term), 0) / Math.sqrt(candidate.terms.size + 1) / (1 + 0.15 * candidate.passageRank);
        return { candidate, shared, score };
      })
      .filter((entry) => entry.shared.length > 0)
      .sort((a, b) => b.score - a.score);
    if (scored.length === 0) return { summary: NO_KNOWLEDGE_SUMMARY, steps: [], citedChunkIds: [], confidence: 0 };

    const chosen = dedupe(scored.map((entry) => entry.candidate)).slice(0, MAX_STEPS);
    // Steps in reading order: by passage rank, then where they stand in the passage.
    chosen.sort((a, b) => a.passageRank - b.passageRank || a.order - b.order);
    const covered = new Set(chosen.flatMap((candidate) => [...candidate.terms].filter((term) => queryTerms.has(term))));
    const best = scored[0].candidate;
    const source = `${best.passage.title}${best.passage.heading ? ` › ${best.passage.heading}` : ''}`;
    return {
      summary: `From “${source}”: ${clip(best.sentence)}`,
      steps: chosen.map((candidate) => clip(candidate.sentence)),
      citedChunkIds: [...new Set(chosen.map((candidate) => candidate.passage.chunkId))],
      confidence: Math.round((covered.size / Math.max(queryTerms.size, 1)) * 100) / 100,
    };
  }
}

function terms(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}][\p{L}\p{N}_-]*/gu) ?? []).filter((word) => word.length > 1 && !STOP_WORDS.has(word));
}

function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+|\n{2,}|\n(?=\s*(?:[-*•]|\d+[.)])\s)/u)
    // Markdown list marks and emphasis read badly in a step: keep the words.
    .map((sentence) => sentence.replace(/\s+/g, ' ').trim().replace(/^(?:[-*•]|\d+[.)])\s+/u, '').replace(/\*\*|__|`/g, ''))
    .filter((sentence) => sentence.length >= MIN_SENTENCE_CHARS);
}

function dedupe(candidates: Candidate[]): Candidate[] {
  const seen = new Set<string>();
  return candidates.filter((candidate) => {
    const key = candidate.sentence.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function clip(sentence: string): string {
  return sentence.length <= MAX_STEP_CHARS ? sentence : `${sentence.slice(0, MAX_STEP_CHARS - 1)}…`;
}
