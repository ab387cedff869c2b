// The incident evaluation's labelled tickets (eval/incident-stories.tsv) as the detector sees them, split
// into a tune half and a held-out half, and laid out in time as a morning of overlapping outages.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { incidentTerms, TicketFeatures } from '../src/incidents/incident-similarity';
import { embedText } from '../src/models/offline-embeddings';

export interface StoryTicket {
  ticketId: string;
  /** The outage it reports, or null for a single ticket that must stay apart. */
  story: string | null;
  requesterId: string;
  title: string;
  features: TicketFeatures;
}

export interface Arrival extends StoryTicket {
  createdAt: Date;
}

/** How far apart the outages begin, and how long each one's reports keep coming in. */
const STORY_STAGGER_MS = 5 * 60_000;
const STORY_SPAN_MS = 10 * 60_000;
const MORNING = Date.parse('2026-03-02T09:00:00Z');

/** The set beside the sources (ts-register) or beside dist/ (npm run eval:incidents). */
export function storiesPath(): string {
  const candidates = [join(__dirname, '..', 'eval'), join(__dirname, '..', '..', 'eval')].map((dir) => join(dir, 'incident-stories.tsv'));
  const found = candidates.find((path) => existsSync(path));
  if (!found) throw new Error(`eval/incident-stories.tsv not found (looked at ${candidates.join(', ')})`);
  return found;
}

export function readIncidentStories(path: string): StoryTicket[] {
  const rows = readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() && !line.startsWith('#'));
  return rows.map((line, index) => {
    const [story, requestType, category, title, description] = line.split('\t').map((cell) => cell.trim());
    if (description === undefined) throw new Error(`${path}: a row without five columns: ${line}`);
    const text = `${title}\n${description}`;
    return {
      ticketId: `t${index + 1}`,
      story: story === '-' ? null : story,
      // Every row of the set is a different person: an outage is many people, never one person many times.
      requesterId: `r${index + 1}`,
      title,
      features: { vector: embedText(text), terms: incidentTerms(text), requestType, category },
    };
  });
}

/**
 * Even rows of each story (and of the singles) tune, odd rows are held out, so that both halves hold every
 * story in about half its wordings and the held-out wordings were never looked at while tuning.
 */
export function splitByParity(tickets: readonly StoryTicket[]): { tune: StoryTicket[]; heldOut: StoryTicket[] } {
  const seen = new Map<string, number>();
  const tune: StoryTicket[] = [];
  const heldOut: StoryTicket[] = [];
  for (const ticket of tickets) {
    const group = ticket.story ?? '-';
    const index = seen.get(group) ?? 0;
    seen.set(group, index + 1);
    (index % 2 === 0 ? tune : heldOut).push(ticket);
  }
  return { tune, heldOut };
}

/**
 * A morning of outages: each story's reports arrive evenly over STORY_SPAN_MS in the set's order, the
 * stories start STORY_STAGGER_MS apart (so they overlap), and the singles are sprinkled evenly from a
 * little before the first outage to a little after the last, in the set's order — which puts each
 * look-alike near the outage it resembles.
 */
export function asArrivals(tickets: readonly StoryTicket[]): Arrival[] {
  const stories = [...new Set(tickets.flatMap((ticket) => (ticket.story ? [ticket.story] : [])))];
  const arrivals: Arrival[] = [];
  for (const [storyIndex, story] of stories.entries()) {
    const reports = tickets.filter((ticket) => ticket.story === story);
    const gap = reports.length > 1 ? STORY_SPAN_MS / (reports.length - 1) : 0;
    reports.forEach((ticket, index) => {
      arrivals.push({ ...ticket, createdAt: new Date(MORNING + storyIndex * STORY_STAGGER_MS + index * gap) });
    });
  }
  const singles = tickets.filter((ticket) => ticket.story === null);
  const from = MORNING - STORY_STAGGER_MS;
  const to = MORNING + (stories.length - 1) * STORY_STAGGER_MS + STORY_SPAN_MS + STORY_STAGGER_MS;
  singles.forEach((ticket, index) => {
    arrivals.push({ ...ticket, createdAt: new Date(from + ((to - from) * (index + 0.5)) / singles.length) });
  });
  return arrivals.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
}
