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

/** The measured cut-off (see `npm run eval:incidents` and the README). */
export const DEFAULT_INCIDENT_SIMILARITY = 0.5;

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
 * `recent`: the other open tickets filed within the window before `ticket` (any order). A ticket like
 * members of an incident joins the one it is most like (most alike members, then best score).
 */
export function detect(ticket: DetectionTicket, recent: readonly DetectionTicket[], settings: DetectionSettings): Detection {
  const since = ticket.createdAt.getTime() - settings.windowMs;
  const like: Array<{ other: DetectionTicket; likeness: Likeness }> = [];
  for (const other of recent) {
    if (other.ticketId === ticket.ticketId || other.createdAt.getTime() < since) continue;
    const measured = likeness(ticket.features, other.features);
    if (measured.score >= settings.cutoff) like.push({ other, likeness: measured });
  }
  like.sort((a, b) => b.likeness.score - a.likeness.score);
  const likeTickets = like.map(({ other, likeness }) => ({ ticketId: other.ticketId, likeness }));
  const byIncident = new Map<string, { count: number; best: number }>();
  for (const { other, likeness } of like) {
    if (other.incidentId === null) continue;
    const seen = byIncident.get(other.incidentId) ?? { count: 0, best: 0 };
    byIncident.set(other.incidentId, { count: seen.count + 1, best: Math.max(seen.best, likeness.score) });
  }
  const joined = [...byIncident].sort(([, a], [, b]) => b.count - a.count || b.best - a.best)[0];
  if (joined) return { kind: 'join', incidentId: joined[0], like: likeTickets };
  const members = [ticket, ...like.map(({ other }) => other)];
  if (new Set(members.map((member) => member.requesterId)).size < settings.minRequesters) return { kind: 'none' };
  return { kind: 'propose', members, like: likeTickets };
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
