// Decides, for one newly filed ticket, what the recent tickets like it make of it: it joins the incident
// they already belong to, or — when enough different people reported the same thing within the window —
// it and they become a proposed incident; otherwise nothing. Pure, so that the eval replays a labelled
// set through exactly what the projection runs.
import { Likeness, likeness, TicketFeatures } from './incident-similarity';

export interface DetectionSettings {
  /** Distinct requesters it takes to propose an incident (INCIDENT_MIN_REQUESTERS). */
  minRequesters: number;
  /** How far back a ticket counts as recent (INCIDENT_WINDOW_MINUTES), ms. */
  windowMs: number;
  /** The likeness a ticket must reach to count as a report of the same thing (INCIDENT_SIMILARITY). */
  cutoff: number;
}

/**
 * The measured cut-off (see `npm run eval:incidents` and the README): the middle of the tune half's plateau,
 * 0.24–0.28, where grouping precision stays above 0.97; below it look-alikes get in, above 0.29 outages are missed.
 */
export const DEFAULT_INCIDENT_SIMILARITY = 0.25;

export interface DetectionTicket {
  ticketId: string;
  requesterId: string;
  createdAt: Date;
  features: TicketFeatures;
  /** The proposed or open incident it is part of, if any. */
  incidentId: string | null;
}

export interface LikeTicket {
  ticketId: string;
  likeness: Likeness;
}

export type Detection =
  | { kind: 'join'; incidentId: string; like: LikeTicket[] }
  | { kind: 'propose'; members: DetectionTicket[]; like: LikeTicket[] }
  | { kind: 'none' };

/**
 * How many members of an incident a ticket must be like to join it (or all its members in the window, when
 * fewer): one look-alike ticket shares words with one report easily, with two much less often.
 */
const JOIN_SUPPORT = 2;
/**
 * How many other members each member of a proposal must be like. A ticket like the new one only through
 * a word they happen to share is dropped: reports of one outage are like each other, not only like the newest.
 */
const MEMBER_SUPPORT = 2;

/**
 * `recent`: the other open tickets filed within the window before `ticket` (any order). A ticket like
 * enough members of an incident joins the one it is most like (most alike members, then best score);
 * otherwise the tickets like it, and those like two of them, that are like each other become a proposal
 * when enough different people filed them.
 */
export function detect(ticket: DetectionTicket, recent: readonly DetectionTicket[], settings: DetectionSettings): Detection {
  const since = ticket.createdAt.getTime() - settings.windowMs;
  const inWindow = recent.filter((other) => other.ticketId !== ticket.ticketId && other.createdAt.getTime() >= since);
  const like: Array<{ other: DetectionTicket; likeness: Likeness }> = [];
  for (const other of inWindow) {
    const measured = likeness(ticket.features, other.features);
    if (measured.score >= settings.cutoff) like.push({ other, likeness: measured });
  }
  like.sort((a, b) => b.likeness.score - a.likeness.score);
  const likeTickets = like.map(({ other, likeness }) => ({ ticketId: other.ticketId, likeness }));
  const joined = incidentToJoin(like, inWindow);
  if (joined) return { kind: 'join', incidentId: joined, like: likeTickets };
  const unassigned = inWindow.filter((other) => other.incidentId === null);
  // A proposal is drawn from these: when they are not enough people, none can be, and the grouping (pairwise
  // over them) is not worth its cost — one person's thousand alike tickets made it stall the instance.
  if (new Set([ticket, ...unassigned].map((other) => other.requesterId)).size < settings.minRequesters) return { kind: 'none' };
  const alike = new PairLikeness(settings.cutoff);
  const members = cohesiveGroup(ticket, like.map(({ other }) => other).filter((other) => other.incidentId === null), unassigned, alike);
  if (new Set(members.map((member) => member.requesterId)).size < settings.minRequesters) return { kind: 'none' };
  return { kind: 'propose', members, like: likeTickets };
}

function incidentToJoin(like: ReadonlyArray<{ other: DetectionTicket; likeness: Likeness }>, inWindow: readonly DetectionTicket[]): string | null {
  const support = new Map<string, { count: number; best: number }>();
  for (const { other, likeness } of like) {
    if (other.incidentId === null) continue;
    const seen = support.get(other.incidentId) ?? { count: 0, best: 0 };
    support.set(other.incidentId, { count: seen.count + 1, best: Math.max(seen.best, likeness.score) });
  }
  const candidates = [...support].filter(([incidentId, { count }]) => {
    const membersInWindow = inWindow.filter((other) => other.incidentId === incidentId).length;
    return count >= Math.min(JOIN_SUPPORT, membersInWindow);
  });
  candidates.sort(([, a], [, b]) => b.count - a.count || b.best - a.best);
  return candidates[0]?.[0] ?? null;
}

/**
 * The new ticket, the unassigned tickets like it, and those like two of them; then, until none is left,
 * each member like fewer than MEMBER_SUPPORT others is dropped (the new ticket stays: it is the report
 * being decided on).
 */
function cohesiveGroup(ticket: DetectionTicket, like: DetectionTicket[], unassigned: DetectionTicket[], alike: PairLikeness): DetectionTicket[] {
  const core = [ticket, ...like];
  const linked = unassigned.filter((other) => !core.includes(other) && core.filter((member) => alike.test(other, member)).length >= 2);
  let group = [...core, ...linked];
  for (;;) {
    const kept = group.filter(
      (member) => member === ticket || group.filter((other) => other !== member && alike.test(member, other)).length >= MEMBER_SUPPORT,
    );
    if (kept.length === group.length) return group;
    group = kept;
  }
}

/** Whether two tickets are alike at the cut-off, each pair measured once per detection. */
class PairLikeness {
  private readonly measured = new Map<string, boolean>();

  constructor(private readonly cutoff: number) {}

  test(a: DetectionTicket, b: DetectionTicket): boolean {
    const key = a.ticketId < b.ticketId ? `${a.ticketId}\n${b.ticketId}` : `${b.ticketId}\n${a.ticketId}`;
    let alike = this.measured.get(key);
    if (alike === undefined) {
      alike = likeness(a.features, b.features).score >= this.cutoff;
      this.measured.set(key, alike);
    }
    return alike;
  }
}

/** A title drawn from the grouped tickets: the title of the one most like the others. */
export function titleOf(members: ReadonlyArray<{ title: string; features: TicketFeatures }>): string {
  let best = members[0];
  let bestScore = -1;
  for (const member of members) {
    const score = members.reduce((sum, other) => (other === member ? sum : sum + likeness(member.features, other.features).score), 0);
    if (score > bestScore) [best, bestScore] = [member, score];
  }
  return best.title;
}
