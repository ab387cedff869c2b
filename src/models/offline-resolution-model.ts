// The offline provider's "model": a deterministic, extractive composer. It reads the retrieved passages by
// their structure (passage-sections.ts), picks the one section that answers the ticket — the one whose
// document title, heading and text cover most of what the ticket asks, its rarer words counting more —
// and gives that section's procedure in order, as plain text, citing only the passage it came from. A
// second document joins only when it covers what the first leaves out (the answer then says it takes
// two). When no section covers enough of the ticket, it does not pad: it says it found no how-to.
import { IT_THESAURUS } from '../knowledge/it-thesaurus';
import { porterStem, STOP_WORDS, tokenize } from '../knowledge/text-processing';
import { ENGLISH_WORDS_BY_FREQUENCY } from './english-word-ranks';
import { Block, distinctSteps, plainText, sectionsOf, sectionText } from './passage-sections';
import { NO_KNOWLEDGE_SUMMARY, Passage, ResolutionDraft, ResolutionModel, ResolutionRequest } from './resolution-model';

export { NO_KNOWLEDGE_SUMMARY };

/** A section must cover at least this share of the ticket's (weighted) words to answer it. */
export const ANSWER_COVERAGE = 0.5;
/** How much a document's introduction's words count for a section below it. */
const INTRODUCTION_FRAMING = 0.75;
/** No concept of the question that the answer leaves out may weigh this share of it (a third: one of three). */
const MAX_MISSING_SHARE = 0.33;
/** A section that covers this share of the question answers it whatever its title says. */
const CLEAR_COVERAGE = 0.65;
/** A word at least this specific (see specificityOf) names what a question is about. */
const SPECIFIC = 0.6;
/** A second document joins an answer only for a word at least this specific (beyond the 2,000 commonest). */
const VERY_SPECIFIC = 0.8;
/** The steps of one answer, at most. */
const MAX_STEPS = 8;
const MAX_STEP_CHARS = 400;
const MAX_LEAD_SENTENCES = 2;

/** Words that say how a request is asked, not what it is about. */
const REQUEST_WORDS = new Set(
  [
    'please help need needs want wants get got getting trying try tried thanks thank hi hello someone anyone able know tell way',
    'hey possible anything something sure still keep keeps really actually constantly always anymore suddenly ever even just',
    'one use using come coming take takes make go going since',
    // What is left of "won't", "doesn't", "isn't"… once the apostrophe splits them.
    'won didn doesn isn aren wasn weren couldn shouldn wouldn don haven hasn',
  ]
    .join(' ')
    .split(' '),
);


/** One thing the ticket asks about: a word (stemmed) or any of its alternatives, and how specific the word is. */
interface Concept {
  word: string;
  alternatives: string[][];
  specificity: number;
}

const ENGLISH_RANK = new Map(ENGLISH_WORDS_BY_FREQUENCY.map((word, rank) => [word, rank + 1]));

/**
 * How specific a word is, from 0.3 (the commonest English words: "second", "home", "work") to 1 (words
 * outside the 20,000 commonest: "keyboard", "vpn"), logarithmic in its frequency rank. A question's
 * everyday words must not carry an answer on their own.
 */
function specificityOf(word: string): number {
  const rank = ENGLISH_RANK.get(word);
  if (rank === undefined) return 1;
  return Math.min(1, Math.max(0.3, Math.log10(rank + 1) / Math.log10(ENGLISH_WORDS_BY_FREQUENCY.length)));
}

/** A section of a retrieved passage, ready to be matched. */
interface Candidate {
  passage: Passage;
  rank: number;
  heading: string | null;
  blocks: Block[];
  /** Stems of the document's title, the section's heading and its text. */
  terms: Set<string>;
  /** Stems of the document's opening, which frames a section below it, and how much they count there. */
  framing: { terms: Set<string>; level: number };
  /** Its own terms and its framing's together, for a concept whose words are split between them. */
  framedTerms: Set<string>;
  /** Stems of the document's title and the section's heading: what it says it is for. */
  headingTerms: Set<string>;
  /** Stems of the paragraphs that lead into the section's steps or list. */
  leadTerms: Set<string>;
  /** The document's opening paragraph, for a section below it. */
  openingLead?: string;
}

interface Scored {
  candidate: Candidate;
  coverage: number;
  covered: Set<string>;
  score: number;
}

export class OfflineResolutionModel implements ResolutionModel {
  readonly name = 'offline';

  async suggest({ ticket, passages }: ResolutionRequest): Promise<ResolutionDraft> {
    const concepts = conceptsOf(`${ticket.title}\n${ticket.description}`);
    const candidates = passages.flatMap(candidatesOf).filter((candidate) => candidate.blocks.length > 0);
    if (concepts.length === 0 || candidates.length === 0) return noAnswer(0);

    const weight = conceptWeights(concepts, candidates);
    const total = concepts.reduce((sum, concept) => sum + weight.get(concept.word)!, 0);
    const scored = candidates
      .map((candidate) => scoreOf(candidate, concepts, weight, total))
      .sort((a, b) => b.score - a.score || a.candidate.rank - b.candidate.rank);
    const best = scored[0];
    if (!answers(best, concepts, weight, total)) return noAnswer(best.coverage);

    const second = secondDocument(best, scored, concepts, weight, total);
    const parts = second ? [best, second] : [best];
    const steps = distinctSteps(parts.flatMap((part) => stepsOf(part.candidate, concepts))).slice(0, MAX_STEPS);
    const covered = new Set(parts.flatMap((part) => [...part.covered]));
    const coverage = concepts.reduce((sum, concept) => sum + (covered.has(concept.word) ? weight.get(concept.word)! : 0), 0) / total;
    return {
      summary: second ? `This takes two how-tos, “${sourceOf(best.candidate)}” and “${sourceOf(second.candidate)}”.` : summaryOf(best.candidate),
      steps: steps.map(clip),
      citedChunkIds: [...new Set(parts.map((part) => part.candidate.passage.chunkId))],
      confidence: round(coverage),
    };
  }
}

function noAnswer(coverage: number): ResolutionDraft {
  return { summary: NO_KNOWLEDGE_SUMMARY, steps: [], citedChunkIds: [], confidence: round(Math.min(coverage, ANSWER_COVERAGE - 0.01)) };
}

/** The ticket's concepts: its distinct content words, stemmed, each with its alternatives. */
function conceptsOf(text: string): Concept[] {
  const words = wordsOf(text).filter((word) => !REQUEST_WORDS.has(word));
  const concepts = new Map<string, Concept>();
  for (const word of words) {
    const stem = porterStem(word);
    if (concepts.has(stem)) continue;
    const alternatives = (IT_THESAURUS[word] ?? IT_THESAURUS[stem] ?? []).map((phrase) => wordsOf(phrase).map(porterStem));
    concepts.set(stem, { word: stem, alternatives: [[stem], ...alternatives], specificity: Math.min(specificityOf(word), specificityOf(stem)) });
  }
  return [...concepts.values()];
}

/** Lower-case words without stop words, with the spellings that tokenising splits joined again. */
function wordsOf(text: string): string[] {
  const joined = text.replace(/\bwi-fi\b/gi, 'wifi').replace(/\be-mail\b/gi, 'email').replace(/\blog(?:ging)?[ -]?(?:in|on)\b/gi, 'login');
  return tokenize(joined).filter((word) => (word.length > 1 || /\d/.test(word)) && !STOP_WORDS.has(word));
}

function stemsOf(text: string): Set<string> {
  return new Set(wordsOf(text).map(porterStem));
}

/**
 * Every section of a passage that can answer, with the words it is matched by. A document's opening frames
 * the sections below it: an introduction (paragraphs only) at three quarters of its words' weight — it
 * answers nothing by itself when the document has sections — and an opening with steps or a list at a
 * quarter, since it answers questions of its own.
 */
function candidatesOf(passage: Passage, rank: number): Candidate[] {
  const sections = sectionsOf(passage.text, passage.heading);
  const titleTerms = stemsOf(passage.title);
  const opening = sections[0] && (sections[0].heading === null || sameWords(sections[0].heading, passage.title)) ? sections[0] : null;
  const introduction = opening !== null && sections.length > 1 && opening.blocks.every((block) => block.kind === 'paragraph');
  const framing = { terms: opening ? stemsOf(sectionText(opening)) : new Set<string>(), level: introduction ? INTRODUCTION_FRAMING : 0.25 };
  return sections
    .filter((section) => !(introduction && section === opening))
    .map((section) => ({ section, terms: new Set([...titleTerms, ...stemsOf(sectionText(section))]) }))
    .map(({ section, terms }) => ({
      passage,
      rank,
      heading: section.heading,
      blocks: section.blocks,
      terms,
      framing: section === opening ? { terms: new Set<string>(), level: 0 } : framing,
      framedTerms: section === opening ? terms : new Set([...terms, ...framing.terms]),
      headingTerms: new Set([...titleTerms, ...(section.heading ? stemsOf(section.heading) : [])]),
      leadTerms: stemsOf(leadOf(section.blocks).map((block) => block.text).join('\n')),
      openingLead: section === opening ? undefined : opening?.blocks.find((block) => block.kind === 'paragraph')?.text,
    }));
}

/** How far a section answers a concept: 1 in its own words, the framing's level in its opening's, else 0. */
function levelOf(concept: Concept, candidate: Candidate): number {
  if (matches(concept, candidate.terms)) return 1;
  if (candidate.framing.level > 0 && matches(concept, candidate.framedTerms)) return candidate.framing.level;
  return 0;
}

/**
 * A concept found in few sections says more about which one answers than one found in all, and a specific
 * word more than an everyday one. One found in none counts as one found in one: a word no passage has
 * (often a filler) must not outweigh the rest.
 */
function conceptWeights(concepts: Concept[], candidates: Candidate[]): Map<string, number> {
  return new Map(
    concepts.map((concept) => {
      const found = candidates.filter((candidate) => levelOf(concept, candidate) > 0).length;
      return [concept.word, concept.specificity * Math.log(1 + (candidates.length + 1) / (Math.max(found, 1) + 0.5))];
    }),
  );
}

function matches(concept: Concept, terms: Set<string>): boolean {
  return concept.alternatives.some((alternative) => alternative.every((stem) => terms.has(stem)));
}

/**
 * How much of the ticket a section covers (its weighted share of the ticket's concepts), and its score:
 * the coverage, what its document's title and its heading cover (they name what the section is for), a
 * little for a procedure, and a little for retrieval's order.
 */
function scoreOf(candidate: Candidate, concepts: Concept[], weight: Map<string, number>, total: number): Scored {
  const levels = concepts.map((concept) => ({ concept, level: levelOf(concept, candidate) }));
  const coverage = levels.reduce((sum, { concept, level }) => sum + level * weight.get(concept.word)!, 0) / total;
  const covered = new Set(levels.filter(({ level }) => level > 0).map(({ concept }) => concept.word));
  const headed = concepts.filter((concept) => matches(concept, candidate.headingTerms)).reduce((sum, concept) => sum + weight.get(concept.word)!, 0) / total;
  const procedure = candidate.blocks.some((block) => block.kind === 'step') ? 0.05 : 0;
  return { candidate, coverage, covered, score: coverage + 0.3 * headed + procedure - 0.02 * candidate.rank };
}

/**
 * Whether a section is good enough to answer: it covers at least ANSWER_COVERAGE of the question, it
 * misses no concept that weighs MAX_MISSING_SHARE of it ("install Linux on my laptop" is not answered by a
 * laptop how-to), and — unless it covers CLEAR_COVERAGE — it says what it is about in the question's own
 * terms: a specific word of the question is in its document's title, its heading, the paragraph that leads
 * into it or its document's introduction, not only somewhere in its steps ("a second monitor" is not
 * answered by a step that mentions Activity Monitor).
 */
function answers(entry: Scored, concepts: Concept[], weight: Map<string, number>, total: number): boolean {
  if (entry.coverage < ANSWER_COVERAGE) return false;
  const heaviestMissing = Math.max(0, ...concepts.filter((concept) => !entry.covered.has(concept.word)).map((concept) => weight.get(concept.word)!));
  if (heaviestMissing / total >= MAX_MISSING_SHARE) return false;
  if (entry.coverage >= CLEAR_COVERAGE) return true;
  const { candidate } = entry;
  const named = new Set([...candidate.headingTerms, ...candidate.leadTerms, ...(candidate.framing.level === INTRODUCTION_FRAMING ? candidate.framing.terms : [])]);
  return concepts.some((concept) => concept.specificity >= SPECIFIC && matches(concept, named));
}

/**
 * Another document's section, when the question truly spans two: one of retrieval's first three that
 * covers most of what the best section leaves out — a good part of the question, at least two of its
 * words, one of them very specific — so that together they answer nearly all of it. Null otherwise (the usual
 * case).
 */
function secondDocument(best: Scored, scored: Scored[], concepts: Concept[], weight: Map<string, number>, total: number): Scored | null {
  const missing = concepts.filter((concept) => !best.covered.has(concept.word));
  const missingWeight = missing.reduce((sum, concept) => sum + weight.get(concept.word)!, 0);
  if (missingWeight / total < 0.3) return null;
  for (const other of scored) {
    if (other.candidate.passage.documentId === best.candidate.passage.documentId || other.candidate.rank > 2 || other.coverage < 0.3) continue;
    const adds = missing.filter((concept) => other.covered.has(concept.word));
    const added = adds.reduce((sum, concept) => sum + weight.get(concept.word)!, 0);
    const specific = adds.some((concept) => concept.specificity >= VERY_SPECIFIC);
    if (adds.length >= 2 && specific && added / missingWeight >= 0.75 && (best.coverage * total + added) / total >= 0.85) return other;
  }
  return null;
}

/**
 * The section's answer: its numbered procedure, whole and in order (with the code and tables between its
 * steps); else its list items that concern the ticket (all of them if none does); else its paragraphs
 * that concern the ticket. Code and tables stand as they are.
 */
function stepsOf(candidate: Candidate, concepts: Concept[]): string[] {
  const { blocks } = candidate;
  const firstStep = blocks.findIndex((block) => block.kind === 'step');
  if (firstStep >= 0) {
    let last = firstStep;
    blocks.forEach((block, index) => {
      if (block.kind === 'step') last = index;
    });
    return blocks.slice(firstStep, last + 1).filter((block) => block.kind !== 'paragraph').map((block) => block.text);
  }
  const concerns = (block: Block) => concepts.some((concept) => matches(concept, stemsOf(block.text)));
  const items = blocks.filter((block) => block.kind === 'item');
  if (items.length > 0) {
    const relevant = items.filter(concerns);
    return (relevant.length > 0 ? relevant : items).map((block) => block.text);
  }
  const others = blocks.filter((block) => block.kind !== 'step');
  const relevant = others.filter(concerns);
  return (relevant.length > 0 ? relevant : others.slice(0, 1)).slice(0, 3).map((block) => block.text);
}

/**
 * "From “Title › Heading”: " and the opening sentences of the paragraph that leads into the section's
 * steps (or of the document's opening, for a section that starts with them).
 */
function summaryOf(candidate: Candidate): string {
  // A section of paragraphs only answers with them: no lead, or it would say the same twice.
  const startsWithAnswer = candidate.blocks[0]?.kind !== 'paragraph';
  const lead = leadOf(candidate.blocks)[0]?.text ?? (startsWithAnswer ? candidate.openingLead : undefined);
  const sentences = lead ? firstSentences(lead, MAX_LEAD_SENTENCES) : '';
  return `From “${sourceOf(candidate)}”${sentences ? `: ${sentences}` : '.'}`;
}

/** The paragraphs before a section's first step, list item, code or table (none when it has only paragraphs). */
function leadOf(blocks: Block[]): Block[] {
  const firstOther = blocks.findIndex((block) => block.kind !== 'paragraph');
  return firstOther > 0 ? blocks.slice(0, firstOther) : [];
}

function sourceOf(candidate: Candidate): string {
  const title = plainText(candidate.passage.title);
  return candidate.heading && !sameWords(candidate.heading, title) ? `${title} › ${candidate.heading}` : title;
}

function firstSentences(text: string, count: number): string {
  const sentences = text.match(/[^.!?]+(?:[.!?]+(?=\s|$)|$)/g) ?? [text];
  return clip(sentences.slice(0, count).join('').trim());
}

function sameWords(a: string, b: string): boolean {
  return tokenize(a).join(' ') === tokenize(b).join(' ');
}


function clip(text: string): string {
  if (text.length <= MAX_STEP_CHARS || text.includes('\n')) return text;
  const cut = text.slice(0, MAX_STEP_CHARS - 1);
  const sentenceEnd = cut.search(/[.!?]\s[^.!?]*$/);
  return sentenceEnd > MAX_STEP_CHARS / 2 ? cut.slice(0, sentenceEnd + 1) : `${cut.replace(/\s+\S*$/, '')}…`;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
