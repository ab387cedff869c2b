// Language-level text helpers shared by chunking and the offline embeddings: clean-up, tokens, an
// English stop-word list and the Porter stemmer. Nothing here knows about any particular document set.

/** Unicode-normalises and re-joins words that a renderer hyphenated across a line break ("edi‐\n tor"). */
export function cleanText(text: string): string {
  return text.normalize('NFKC').replace(/(\p{L})[\u2010\u00ad-]\r?\n[ \t]*(\p{Ll})/gu, '$1$2');
}

/**
 * Adds the parts of dotted, slashed or underscored identifiers next to them ("systemd.timer" →
 * "systemd.timer systemd timer"): PostgreSQL's parser keeps such a name as one lexeme, so without the
 * parts a question saying "systemd" or "fstab" could not match it.
 */
export function expandIdentifiers(text: string): string {
  return text.replace(/[\p{L}\p{N}-]+(?:[./:_][\p{L}\p{N}-]+)+/gu, (name) => {
    const parts = name.split(/[./:_-]+/).filter((part) => part.length > 0);
    return `${name} ${parts.join(' ')}`;
  });
}

/** Lower-case word tokens (letters and digits), after `cleanText`. */
export function tokenize(text: string): string[] {
  return cleanText(text).toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

// A general English function-word list (in the spirit of the usual IR lists), not derived from any data.
export const STOP_WORDS: ReadonlySet<string> = new Set(
  `a about above after again against all also am an and any are as at be because been before being below
  between both but by can cannot could did do does doing down during each either etc few for from further
  had has have having he her here hers herself him himself his how i if in into is it its itself just let
  may me might more most must my myself no nor not now of off on once only or other ought our ours
  ourselves out over own per same shall she should so some such than that the their theirs them
  themselves then there these they this those through to too under until up upon us very via was we were
  what when where which while who whom why will with within without would you your yours yourself
  yourselves`.split(/\s+/),
);

// --- Porter (1980) stemmer ------------------------------------------------------------------------

function isConsonant(word: string, i: number): boolean {
  const c = word[i];
  if ('aeiou'.includes(c)) return false;
  if (c === 'y') return i === 0 || !isConsonant(word, i - 1);
  return true;
}

/** Porter's m: the number of vowel-consonant sequences in a stem. */
function measure(stem: string): number {
  let m = 0;
  let i = 0;
  while (i < stem.length && isConsonant(stem, i)) i++;
  while (i < stem.length) {
    while (i < stem.length && !isConsonant(stem, i)) i++;
    if (i >= stem.length) break;
    while (i < stem.length && isConsonant(stem, i)) i++;
    m++;
  }
  return m;
}

function hasVowel(stem: string): boolean {
  for (let i = 0; i < stem.length; i++) if (!isConsonant(stem, i)) return true;
  return false;
}

function endsWithDoubleConsonant(word: string): boolean {
  const n = word.length;
  return n >= 2 && word[n - 1] === word[n - 2] && isConsonant(word, n - 1);
}

function endsConsonantVowelConsonant(word: string): boolean {
  const n = word.length;
  return (
    n >= 3 &&
    isConsonant(word, n - 1) &&
    !isConsonant(word, n - 2) &&
    isConsonant(word, n - 3) &&
    !'wxy'.includes(word[n - 1])
  );
}

const STEP2: ReadonlyArray<[string, string]> = [
  ['ational', 'ate'], ['tional', 'tion'], ['enci', 'ence'], ['anci', 'ance'], ['izer', 'ize'],
  ['bli', 'ble'], ['alli', 'al'], ['entli', 'ent'], ['eli', 'e'], ['ousli', 'ous'], ['ization', 'ize'],
  ['ation', 'ate'], ['ator', 'ate'], ['alism', 'al'], ['iveness', 'ive'], ['fulness', 'ful'],
  ['ousness', 'ous'], ['aliti', 'al'], ['iviti', 'ive'], ['biliti', 'ble'], ['logi', 'log'],
];
const STEP3: ReadonlyArray<[string, string]> = [
  ['icate', 'ic'], ['ative', ''], ['alize', 'al'], ['iciti', 'ic'], ['ical', 'ic'], ['ful', ''], ['ness', ''],
];
const STEP4 = ['al', 'ance', 'ence', 'er', 'ic', 'able', 'ible', 'ant', 'ement', 'ment', 'ent', 'ion', 'ou',
  'ism', 'ate', 'iti', 'ous', 'ive', 'ize'];

function replaceSuffix(word: string, rules: ReadonlyArray<[string, string]>): string {
  for (const [suffix, replacement] of rules) {
    if (!word.endsWith(suffix)) continue;
    const stem = word.slice(0, -suffix.length);
    return measure(stem) > 0 ? stem + replacement : word;
  }
  return word;
}

/** Reduces an English word to its Porter stem ("directories" → "directori", "running" → "run"). */
export function porterStem(input: string): string {
  let word = input;
  if (word.length <= 2 || !/^[a-z]+$/.test(word)) return word;

  if (word.endsWith('sses') || word.endsWith('ies')) word = word.slice(0, -2);
  else if (word.endsWith('s') && !word.endsWith('ss')) word = word.slice(0, -1);

  let removedEdOrIng = false;
  if (word.endsWith('eed')) {
    if (measure(word.slice(0, -3)) > 0) word = word.slice(0, -1);
  } else if (word.endsWith('ed') && hasVowel(word.slice(0, -2))) {
    word = word.slice(0, -2);
    removedEdOrIng = true;
  } else if (word.endsWith('ing') && hasVowel(word.slice(0, -3))) {
    word = word.slice(0, -3);
    removedEdOrIng = true;
  }
  if (removedEdOrIng) {
    if (word.endsWith('at') || word.endsWith('bl') || word.endsWith('iz')) word += 'e';
    else if (endsWithDoubleConsonant(word) && !'lsz'.includes(word[word.length - 1])) word = word.slice(0, -1);
    else if (measure(word) === 1 && endsConsonantVowelConsonant(word)) word += 'e';
  }
  if (word.endsWith('y') && hasVowel(word.slice(0, -1))) word = `${word.slice(0, -1)}i`;

  word = replaceSuffix(word, STEP2);
  word = replaceSuffix(word, STEP3);
  const suffix = STEP4.find((candidate) => word.endsWith(candidate));
  if (suffix) {
    const stem = word.slice(0, -suffix.length);
    if (measure(stem) > 1 && (suffix !== 'ion' || /[st]$/.test(stem))) word = stem;
  }
  if (word.endsWith('e')) {
    const stem = word.slice(0, -1);
    const m = measure(stem);
    if (m > 1 || (m === 1 && !endsConsonantVowelConsonant(stem))) word = stem;
  }
  if (measure(word) > 1 && endsWithDoubleConsonant(word) && word.endsWith('l')) word = word.slice(0, -1);
  return word;
}
