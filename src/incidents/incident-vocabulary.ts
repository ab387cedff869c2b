// The words of an outage report, as incident grouping reads them: which words say what broke, which say
// nothing about which outage it is, and which spellings of one thing must meet. Measured on the labelled
// set (`npm run eval:incidents`); every list here is general report language, not one outage's words.
import { porterStem, tokenize } from '../knowledge/text-processing';

/** Words that say nothing about which outage it is (beside the usual stop words, which here keep "down", "not"). */
const FILLER = new Set(
  `a an the and or but to of in on at for from with by is are was were be been it its this that i me my we our
  you your he she they them can could would should will please hi hello thanks thank help need have has had
  get got do does did just also since today now still again there here as so if any some all`.split(/\s+/),
);

/**
 * Words every outage report uses, whichever system is down: who else has it, since when, what was tried,
 * and the verbs of any failure ("can't connect", "can't access"). Shared, they made reports of different
 * outages look alike.
 */
const REPORT_FILLER = new Set(
  `anyone everyone everybody nobody noone whole team colleague colleagues people same too either neither
  morning minutes minute hour hours yesterday earlier keep keeps kept say says said saying tried try trying
  then after right seem seems suddenly anything everything fine ok okay urgent urgently asap around about
  im ive really very show shows showing work works working worked connect connecting connected connection
  access able us our other others`.split(/\s+/),
);

/**
 * Stems of words that say something is broken. They tell the report of a failure from a question or a
 * request ("how do I set up VPN on my phone"), but not one outage from another.
 */
const SYMPTOMS = new Set(
  `not no cannot cant wont dont isnt doesnt didnt couldnt never nothing none down broken broke fail fails failing
  failed failure error errors offline drop drops dropping dropped disconnect disconnects disconnected
  unreachable unavailable unresponsive unable stuck hang hangs hanging crash crashes freeze freezes frozen
  timeout timed lost gone slow bounce bounced problem problems issue issues outage refused rejects rejected
  blocked dead disappeared loop wrong cut cuts terrible flaky unstable kicked intermittent jam jammed sluggish lag laggy lagging slowly`
    .split(/\s+/)
    .map(porterStem),
);

/** Spellings of one thing that stemming does not meet. */
const SAME_WORD = new Map(
  Object.entries({ email: 'mail', wlan: 'wifi', wireless: 'wifi', signin: 'login', logon: 'login', signon: 'login', printer: 'print' }),
);

/** "floor 3", "level 3", "3rd floor", "third floor" are one place, the term "floor3": where it broke matters. */
const FLOOR_NUMBER_AFTER = /\b(?:floor|level)\s+(\d+)\b/gi;
const FLOOR_NUMBER_BEFORE = /\b(\d+(?:st|nd|rd|th)?|first|second|third|fourth|fifth|sixth)\s+(?:floor|level)\b/gi;
const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth'];

/**
 * The stems of a text's significant words: short words, numbers and filler dropped, "n't" read as "not",
 * hyphenated words joined ("wi-fi", "e-mail", "sign-in") and a floor named one way.
 */
export function incidentTerms(text: string): Set<string> {
  const normalised = text
    .replace(/\bcan['’]?t\b/gi, 'cannot')
    .replace(/\bwon['’]t\b/gi, 'will not')
    .replace(/n['’]t\b/gi, ' not')
    .replace(/(\p{L})-(\p{L})/gu, '$1$2')
    .replace(FLOOR_NUMBER_AFTER, (_, number: string) => ` floor${floorNumber(number)} `)
    .replace(FLOOR_NUMBER_BEFORE, (_, number: string) => ` floor${floorNumber(number)} `);
  const terms = new Set<string>();
  for (const token of tokenize(normalised)) {
    if (token.length < 2 || /^\d+$/.test(token) || FILLER.has(token) || REPORT_FILLER.has(token)) continue;
    const stem = porterStem(token);
    terms.add(SAME_WORD.get(stem) ?? stem);
  }
  return terms;
}

/**
 * Stems of words that say a service works, only badly. "VPN slow on hotel Wi-Fi" is not "VPN down for
 * everyone": a report of slowness alone and a report of an outage alone are two problems.
 */
const DEGRADED = new Set(`slow slowly sluggish lag laggy lagging intermittent flaky unstable`.split(/\s+/).map(porterStem));

/** What kind of trouble a report's terms describe: an outage, a slowness, both, or none said. */
export function troubleOf(terms: ReadonlySet<string>): { outage: boolean; degraded: boolean } {
  let outage = false;
  let degraded = false;
  for (const term of terms) {
    if (DEGRADED.has(term)) degraded = true;
    else if (SYMPTOMS.has(term)) outage = true;
  }
  return { outage, degraded };
}

/** Whether a term (from incidentTerms) says that something is broken. */
export function isSymptom(term: string): boolean {
  return SYMPTOMS.has(term);
}

function floorNumber(number: string): number {
  const ordinal = ORDINALS.indexOf(number.toLowerCase());
  return ordinal >= 0 ? ordinal + 1 : Number.parseInt(number, 10);
}
