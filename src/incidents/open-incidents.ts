// The workflow's first question about a new ticket — is it a report of an incident support has already
// opened? — asked without a statement while none is open (the usual case): the ids of the open incidents
// are kept here, read again whenever an incident changes (here or on another instance) and on the slow poll.
import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Transactional } from '@nestjs-cls/transactional';
import { AppConfig } from '../config/app-config';
import type { TicketDto } from '../tickets/dto/ticket.dto';
import { toStaffView } from '../tickets/ticket-audience';
import { TicketEventType } from '../tickets/ticket-events';
import { TicketWriter } from '../tickets/ticket-writer.service';
import { detect } from './incident-detection';
import { IncidentFeatures } from './incident-features';
import { IncidentFeed } from './incident-feed';
import { incidentSteps } from './incident-steps';
import { CandidateRow, IncidentsRepository } from './incidents.repository';

/** The ticket as the workflow knows it. */
export type NewReport = Pick<CandidateRow, 'ticket_id' | 'requester_id' | 'title' | 'description' | 'request_type' | 'category' | 'created_at' | 'incident_id'>;

@Injectable()
export class OpenIncidents implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(OpenIncidents.name);
  private openIds = new Set<string>();
  private poller?: NodeJS.Timeout;
  private reading: Promise<void> = Promise.resolve();

  constructor(
    private readonly incidentsRepository: IncidentsRepository,
    private readonly features: IncidentFeatures,
    private readonly ticketWriter: TicketWriter,
    private readonly feed: IncidentFeed,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.feed.onChange(() => void this.refresh());
    await this.refresh();
    this.poller = setInterval(() => void this.refresh(), this.config.events.pollSeconds * 1000);
    this.poller.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.poller);
  }

  /** Reads the open incidents again (the last read wins; a failed one keeps what was known). */
  refresh(): Promise<void> {
    this.reading = this.incidentsRepository
      .openIds()
      .then((ids) => void (this.openIds = new Set(ids)))
      .catch((error: unknown) => this.logger.warn(`Could not read the open incidents: ${error instanceof Error ? error.message : String(error)}`));
    return this.reading;
  }

  /**
   * Links the ticket to the open incident it reports, telling its requester the problem is known: the ticket
   * as written (the assistant then leaves it alone), or null. No statement while no incident is open.
   */
  async absorb(readReport: () => Promise<NewReport>): Promise<TicketDto | null> {
    if (this.openIds.size === 0) return null;
    const report = await readReport();
    // Already grouped (detection came first): an open incident has taken it over, a proposed one waits for support.
    return report.incident_id === null ? this.absorbReport(report) : null;
  }

  @Transactional()
  private async absorbReport(report: NewReport): Promise<TicketDto | null> {
    const members = await this.features.of(await this.incidentsRepository.openMembers());
    if (members.length === 0) return null;
    const [ticket] = await this.features.of([{ ...report, embedding: null }]);
    // However old the incident: a report of it this afternoon is still a report of it.
    const detection = detect(ticket, members, { minRequesters: Number.MAX_SAFE_INTEGER, windowMs: Number.POSITIVE_INFINITY, cutoff: this.config.incidents.similarity });
    if (detection.kind !== 'join') return null;
    // Still open, under its lock: a resolve in progress is waited for, and then this report is not linked to it.
    if ((await this.incidentsRepository.statusForLinking(detection.incidentId, { nowait: false })) !== 'open') return null;
    const written = await this.ticketWriter.recordIncidentStep(report.ticket_id, null, incidentSteps.absorbed(detection.incidentId, TicketEventType.IncidentLinked));
    if (!written) return null;
    this.feed.changed(detection.incidentId, 'incident_linked');
    return toStaffView(written);
  }
}
