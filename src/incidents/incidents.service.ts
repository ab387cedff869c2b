// What support does with major incidents: confirm or dismiss a proposal, create one by hand, correct its
// tickets, post an update every requester reads, resolve it (its tickets then follow in batches,
// IncidentResolutions) or reopen it. Each command locks the incident, then its tickets in id order.
import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { Transactional } from '@nestjs-cls/transactional';
import type { AuthUser } from '../auth/auth-user';
import { TicketEventType } from '../tickets/ticket-events';
import { TicketWriter } from '../tickets/ticket-writer.service';
import { TicketsService } from '../tickets/tickets.service';
import { CreateIncidentDto, ListIncidentsDto } from './dto/incident-requests.dto';
import { IncidentDetailDto, IncidentDto, IncidentListDto, IncidentReasonsDto } from './dto/incident.dto';
import { IncidentFeed } from './incident-feed';
import { incidentSteps } from './incident-steps';
import { IncidentRow, IncidentsRepository, IncidentStatus } from './incidents.repository';

const LIST_LIMIT = 200;

@Injectable()
export class IncidentsService {
  constructor(
    private readonly incidentsRepository: IncidentsRepository,
    private readonly ticketWriter: TicketWriter,
    private readonly ticketsService: TicketsService,
    private readonly feed: IncidentFeed,
  ) {}

  async list(query: ListIncidentsDto): Promise<IncidentListDto> {
    const incidents = (await this.incidentsRepository.list({ statuses: query.status?.split(',') as IncidentStatus[] | undefined, ticketId: query.ticket_id, limit: LIST_LIMIT })).map(mapIncident);
    return { incidents, count: incidents.length };
  }

  async get(incidentId: string): Promise<IncidentDetailDto> {
    return this.detail(await this.found(incidentId));
  }

  /** Support confirms a proposal: the incident opens and takes its live tickets over. */
  @Transactional()
  async confirm(actor: AuthUser, incidentId: string, title?: string): Promise<IncidentDetailDto> {
    const incident = await this.locked(incidentId, ['proposed'], 'confirm');
    await this.incidentsRepository.open(incidentId, actor.id, title);
    for (const ticketId of incident.ticket_ids.sort()) {
      await this.ticketWriter.recordIncidentStep(ticketId, actor.id, incidentSteps.absorbed(incidentId, TicketEventType.IncidentOpened));
    }
    this.feed.changed(incidentId, 'incident_opened');
    return this.get(incidentId);
  }

  /** Not one problem after all: its tickets go back to being handled on their own, and are not grouped again. */
  @Transactional()
  async dismiss(actor: AuthUser, incidentId: string): Promise<IncidentDetailDto> {
    const incident = await this.locked(incidentId, ['proposed'], 'dismiss');
    const ticketIds = incident.ticket_ids.sort();
    await this.incidentsRepository.dismiss(incidentId, actor.id, ticketIds);
    for (const ticketId of ticketIds) await this.ticketWriter.recordIncidentStep(ticketId, actor.id, incidentSteps.dismissed(incidentId));
    this.feed.changed(incidentId, 'incident_dismissed');
    return this.get(incidentId);
  }

  /** An incident support declares by hand, open at once, from the tickets they chose. */
  @Transactional()
  async create(actor: AuthUser, dto: CreateIncidentDto): Promise<IncidentDetailDto> {
    await this.assertLinkable(dto.ticket_ids);
    const incidentId = await this.incidentsRepository.insert({ status: 'open', title: dto.title, reasons: { detected: false }, createdBy: actor.id });
    for (const ticketId of [...dto.ticket_ids].sort()) {
      await this.ticketWriter.recordIncidentStep(ticketId, actor.id, incidentSteps.absorbed(incidentId, TicketEventType.IncidentOpened));
    }
    this.feed.changed(incidentId, 'incident_opened');
    return this.get(incidentId);
  }

  @Transactional()
  async link(actor: AuthUser, incidentId: string, ticketId: string): Promise<IncidentDetailDto> {
    const incident = await this.locked(incidentId, ['proposed', 'open'], 'link a ticket to');
    if (!incident.ticket_ids.includes(ticketId)) {
      await this.assertLinkable([ticketId]);
      const step = incident.status === 'open' ? incidentSteps.absorbed(incidentId, TicketEventType.IncidentLinked) : incidentSteps.linkedToProposed(incidentId, null);
      await this.ticketWriter.recordIncidentStep(ticketId, actor.id, step);
      this.feed.changed(incidentId, 'incident_linked');
    }
    return this.get(incidentId);
  }

  @Transactional()
  async unlink(actor: AuthUser, incidentId: string, ticketId: string): Promise<IncidentDetailDto> {
    const incident = await this.locked(incidentId, ['proposed', 'open'], 'unlink a ticket from');
    if (!incident.ticket_ids.includes(ticketId)) throw new NotFoundException(`Ticket ${ticketId} is not part of incident ${incidentId}`);
    await this.ticketWriter.recordIncidentStep(ticketId, actor.id, incidentSteps.unlinked(incidentId, incident.status === 'open'));
    this.feed.changed(incidentId, 'incident_unlinked');
    return this.get(incidentId);
  }

  /** Posted once; every live ticket of the incident gets it as a comment, with an event on its stream. */
  @Transactional()
  async postUpdate(actor: AuthUser, incidentId: string, body: string): Promise<IncidentDetailDto> {
    const incident = await this.locked(incidentId, ['open'], 'post an update on');
    await this.incidentsRepository.insertUpdate(incidentId, actor.id, body);
    for (const ticketId of incident.ticket_ids.sort()) await this.ticketWriter.recordIncidentStep(ticketId, actor.id, incidentSteps.update(incidentId, body));
    this.feed.changed(incidentId, 'incident_update');
    return this.get(incidentId);
  }

  /** Resolved now; the resolution reaches its tickets in batches right after (IncidentResolutions). */
  @Transactional()
  async resolve(actor: AuthUser, incidentId: string, resolution: string): Promise<IncidentDetailDto> {
    await this.locked(incidentId, ['open'], 'resolve');
    await this.incidentsRepository.resolve(incidentId, actor.id, resolution);
    this.feed.changed(incidentId, 'incident_resolved');
    return this.get(incidentId);
  }

  /** Open again (the outage came back): new reports join it; its resolved tickets stay resolved. */
  @Transactional()
  async reopen(actor: AuthUser, incidentId: string): Promise<IncidentDetailDto> {
    await this.locked(incidentId, ['resolved'], 'reopen');
    await this.incidentsRepository.open(incidentId, actor.id);
    await this.incidentsRepository.moveResolution(incidentId, null);
    this.feed.changed(incidentId, 'incident_reopened');
    return this.get(incidentId);
  }

  private async found(incidentId: string): Promise<IncidentRow> {
    const incident = await this.incidentsRepository.find(incidentId);
    if (!incident) throw new NotFoundException(`Incident ${incidentId} not found`);
    return incident;
  }

  /**
   * The incident locked for update, with its tickets read once the lock is held: the locking read's own
   * snapshot may predate a report linked by the transaction whose lock it waited for.
   */
  private async locked(incidentId: string, allowed: IncidentStatus[], what: string): Promise<IncidentRow> {
    const incident = await this.incidentsRepository.find(incidentId, true);
    if (!incident) throw new NotFoundException(`Incident ${incidentId} not found`);
    if (!allowed.includes(incident.status)) {
      throw new ConflictException(`Cannot ${what} an incident that is ${incident.status}; that is possible when it is ${allowed.join(' or ')}`);
    }
    return { ...incident, ticket_ids: await this.incidentsRepository.memberIds(incidentId) };
  }

  /** Every ticket exists, and none is already in a proposed or open incident (409 naming them). */
  private async assertLinkable(ticketIds: string[]): Promise<void> {
    const tickets = await this.ticketsService.findByIds(ticketIds);
    const missing = ticketIds.filter((id) => !tickets.some((ticket) => ticket.ticket_id === id));
    if (missing.length > 0) throw new NotFoundException(`No ticket ${missing.join(', ')}`);
    const inOthers = tickets.filter((ticket) => ticket.incident_id !== null).map((ticket) => ticket.ticket_id);
    if (inOthers.length === 0) return;
    const live = (await this.incidentsRepository.list({ statuses: ['proposed', 'open'], limit: LIST_LIMIT })).flatMap((incident) => incident.ticket_ids);
    const taken = inOthers.filter((id) => live.includes(id));
    if (taken.length > 0) throw new ConflictException(`Already part of another incident: ${taken.join(', ')}; unlink it there first`);
  }

  private async detail(incident: IncidentRow): Promise<IncidentDetailDto> {
    const [members, updates] = await Promise.all([this.incidentsRepository.members(incident.id), this.incidentsRepository.updates(incident.id)]);
    return {
      ...mapIncident(incident),
      tickets: members.map((member) => ({
        ticket_id: member.ticket_id,
        title: member.title,
        status: member.status,
        created_at: member.created_at,
        requester: { user_id: member.requester_id, name: member.requester_name, department: member.department },
      })),
      updates: updates.map((update) => ({ update_id: update.id, body: update.body, author_id: update.author_id, author_name: update.author_name, created_at: update.created_at })),
    };
  }
}

export function mapIncident(row: IncidentRow): IncidentDto {
  return {
    incident_id: row.id,
    status: row.status,
    title: row.title,
    ticket_ids: row.ticket_ids,
    requester_count: row.requester_count,
    detected_at: row.detected_at,
    reasons: row.reasons as unknown as IncidentReasonsDto,
    created_by: row.created_by,
    opened_at: row.opened_at,
    opened_by: row.opened_by,
    closed_at: row.closed_at,
    closed_by: row.closed_by,
    resolution: row.resolution,
    resolving: row.resolve_after !== null,
    updated_at: row.updated_at,
  };
}
