// Detection of major incidents is a projection of the committed trail: the trail's projections
// (src/projections) hand it the events that file tickets; it compares each new ticket with the live ones
// filed within INCIDENT_WINDOW_MINUTES before it (incident-detection.ts) and records what that makes of
// it — it joins the incident its like tickets are in, or they and it become a proposed incident once
// INCIDENT_MIN_REQUESTERS different people have reported alike. Idempotent: a ticket already in an incident
// is passed over, so a batch applied again links nothing twice; the shared checkpoint is worked by one
// instance at a time, so each incident is proposed once.
import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { TicketEventType } from '../tickets/ticket-events';
import { TicketWriter } from '../tickets/ticket-writer.service';
import { TrailProjection, ticketsOf } from '../trail/trail-follower';
import { TrailEntry } from '../trail/trail.repository';
import { detect, DetectionSettings, LikeTicket, titleOf } from './incident-detection';
import { DetectionCandidate, IncidentFeatures } from './incident-features';
import { IncidentFeed } from './incident-feed';
import { incidentSteps } from './incident-steps';
import { IncidentsRepository } from './incidents.repository';

@Injectable()
export class IncidentDetectionProjection implements TrailProjection {
  readonly name = 'incident detection';
  readonly concerns = `event.type = '${TicketEventType.WorkflowUpdate}' AND event.payload->>'change' = 'created'`;
  private readonly logger = new Logger(IncidentDetectionProjection.name);

  constructor(
    private readonly incidentsRepository: IncidentsRepository,
    private readonly features: IncidentFeatures,
    private readonly ticketWriter: TicketWriter,
    private readonly feed: IncidentFeed,
    private readonly config: AppConfig,
  ) {}

  private get settings(): DetectionSettings {
    const { minRequesters, windowMs, similarity } = this.config.incidents;
    return { minRequesters, windowMs, cutoff: similarity };
  }

  async apply(entries: TrailEntry[]): Promise<void> {
    const filed = ticketsOf(entries);
    let tickets: DetectionCandidate[];
    try {
      tickets = await this.features.of(await this.incidentsRepository.candidates(filed, this.settings.windowMs));
    } catch (error) {
      // Advice, not a record: a failing embedding model must not hold up the other projections of the pass.
      this.logger.warn(`Could not compare ${filed.length} new ticket(s) for incidents: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    const byId = new Map(tickets.map((ticket) => [ticket.ticketId, ticket]));
    const statusOf = new Map<string, 'proposed' | 'open'>();
    for (const ticketId of filed) {
      const ticket = byId.get(ticketId);
      if (!ticket || ticket.incidentId !== null) continue;
      const earlier = tickets.filter((other) => other !== ticket && other.createdAt <= ticket.createdAt);
      const detection = detect(ticket, earlier, this.settings);
      if (detection.kind === 'join') {
        await this.join(ticket, detection.incidentId, detection.like, statusOf);
      } else if (detection.kind === 'propose') {
        await this.propose(detection.members as DetectionCandidate[], detection.like, statusOf);
      }
    }
  }

  private async join(ticket: DetectionCandidate, incidentId: string, like: LikeTicket[], statusOf: Map<string, 'proposed' | 'open'>): Promise<void> {
    // Read under the incident's lock, held to the end of the pass: a link never crosses support's confirm
    // (the report would join a proposal that has just opened, and never be taken over). This pass already
    // holds tickets, so it does not wait for a command in progress: it is rolled back and runs again when
    // the command's commit wakes it.
    const status = statusOf.get(incidentId) ?? (await this.incidentsRepository.statusForLinking(incidentId, { nowait: true }));
    if (status !== 'proposed' && status !== 'open') return;
    statusOf.set(incidentId, status);
    const step = status === 'open' ? incidentSteps.absorbed(incidentId, TicketEventType.IncidentLinked) : incidentSteps.linkedToProposed(incidentId, like[0]?.likeness.score ?? null);
    if (await this.ticketWriter.recordIncidentStep(ticket.ticketId, null, step)) ticket.incidentId = incidentId;
    this.feed.changed(incidentId, 'incident_linked');
  }

  private async propose(members: DetectionCandidate[], like: LikeTicket[], statusOf: Map<string, 'proposed' | 'open'>): Promise<void> {
    const title = titleOf(members);
    const reasons = reasonsFor(members, like, this.settings);
    const incidentId = await this.incidentsRepository.insert({ status: 'proposed', title, reasons, createdBy: null });
    statusOf.set(incidentId, 'proposed');
    // In id order, as every writer of several tickets locks them.
    for (const member of [...members].sort((a, b) => (a.ticketId < b.ticketId ? -1 : 1))) {
      if (await this.ticketWriter.recordIncidentStep(member.ticketId, null, incidentSteps.proposed(incidentId, title, reasons))) member.incidentId = incidentId;
    }
    this.feed.changed(incidentId, 'incident_proposed');
  }
}

/** Why they were grouped: the terms most of them share, how alike they are, and the rule that fired. */
function reasonsFor(members: DetectionCandidate[], like: LikeTicket[], settings: DetectionSettings): Record<string, unknown> {
  const counts = new Map<string, number>();
  for (const member of members) for (const term of member.features.terms) counts.set(term, (counts.get(term) ?? 0) + 1);
  const sharedTerms = [...counts]
    .filter(([, count]) => count >= Math.ceil(members.length / 2))
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .slice(0, 8)
    .map(([term]) => term);
  const scores = like.map((ticket) => ticket.likeness.score);
  return {
    detected: true,
    shared_terms: sharedTerms,
    similarity: scores.length > 0 ? { min: round(Math.min(...scores)), mean: round(scores.reduce((a, b) => a + b, 0) / scores.length), cutoff: settings.cutoff } : null,
    requesters: new Set(members.map((member) => member.requesterId)).size,
    rule: `${settings.minRequesters} or more people reported alike problems within ${Math.round(settings.windowMs / 60_000)} minutes`,
  };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
