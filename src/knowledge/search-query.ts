// Turns free text (an employee's question) into a PostgreSQL tsquery that matches ANY of its words:
// websearch_to_tsquery would demand all of them, and long questions rarely match a passage word for word.
// A word also finds its alternatives in the IT thesaurus ("folder" finds "directory"). The 'english'
// configuration then drops stop words and stems what is left.
import { IT_THESAURUS } from './it-thesaurus';

const MAX_TERMS = 40;

export function toSearchQuery(text: string): string {
  const asked = askedWords(text);
  return [...new Set([...asked, ...alternativesOf(asked)])].join(' | ');
}

/** The text with its words' alternatives after it: what a query's vector is computed from. */
export function withAlternatives(text: string): string {
  const alternatives = alternativesOf(askedWords(text));
  return alternatives.length > 0 ? `${text}\n${alternatives.join(' ')}` : text;
}

function askedWords(text: string): string[] {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return [...new Set(words.filter((word) => word.length > 1))].slice(0, MAX_TERMS);
}

function alternativesOf(words: string[]): string[] {
  return [...new Set(words.flatMap((word) => (IT_THESAURUS[word] ?? []).flatMap((phrase) => phrase.split(' '))))].filter((word) => !words.includes(word));
}
