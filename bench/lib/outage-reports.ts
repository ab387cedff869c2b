// Many people's reports of one VPN outage, as a help desk receives them: a few ways of saying it (the
// wordings test/incidents.e2e-spec.ts groups), each varied — when it started, a detail or a question
// added, "vpn" in lower case, the odd typo — and a few filed under the wrong kind of request.
// Deterministic: the same count gives the same reports.
import { seededRandom } from '../../src/common/seeded-random';

export interface OutageReport {
  title: string;
  description: string;
  request_type: string;
  priority: string;
}

/** Title, and a description whose `{since}` is when it started. */
const WORDINGS: ReadonlyArray<readonly [string, string]> = [
  ['VPN down', 'The VPN is down, I cannot connect to the VPN {since}.'],
  ['Cannot connect to VPN', 'VPN connection fails every time {since}, the VPN is down for me and my team.'],
  ['VPN not working', '{Since} the VPN does not connect, it says the VPN gateway is unreachable.'],
  ['VPN is down again', 'I cannot connect to the company VPN at all {since}, it keeps failing to connect.'],
  ['No VPN connection', 'The VPN will not connect {since}, VPN down for everyone on my floor?'],
  ['VPN connection failing', 'VPN is down: connecting to the VPN fails with a timeout {since}.'],
  ["Can't connect to the VPN", 'The VPN is down {since}, connecting to the VPN fails.'],
  ['VPN down?', 'Is the VPN down? I cannot connect to the VPN {since}.'],
];
const SINCE = ['since 9am', 'since this morning', 'for the last 20 minutes', 'since I logged on', 'since about 9:15', 'today'];
const ADDED = ['', '', '', 'Please help.', 'Restarted my laptop, same thing.', 'I work from home today.', 'Urgent, I have a client call.', 'Thanks.'];
/** Typos people make in these words (never in "VPN", which a hurried person still writes, if in lower case). */
const TYPOS: Record<string, string> = { connect: 'conect', cannot: 'cannto', connection: 'conection', working: 'workign', the: 'teh', since: 'sinse', fails: 'fials', again: 'agian' };

export function outageReports(count: number, seed = 7): OutageReport[] {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const typo = (text: string) => text.replace(/\b[a-z]+\b/g, (word) => (TYPOS[word] && random() < 0.1 ? TYPOS[word] : word));
  const lower = (text: string) => (random() < 0.2 ? text.replace(/VPN/g, 'vpn') : text);
  return Array.from({ length: count }, () => {
    const [title, template] = pick(WORDINGS);
    const since = pick(SINCE);
    const description = template.replace('{since}', since).replace('{Since}', since[0].toUpperCase() + since.slice(1));
    return {
      title: lower(typo(title)),
      description: lower(typo([description, pick(ADDED)].filter(Boolean).join(' '))),
      request_type: random() < 0.9 ? 'network' : pick(['other', 'software_access']),
      priority: pick(['medium', 'medium', 'high', 'critical']),
    };
  });
}
