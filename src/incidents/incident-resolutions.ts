// An incident's resolution reaches its tickets in batches of INCIDENT_RESOLVE_BATCH, each its own
// transaction that also moves the incident's `resolve_after` (the last ticket id done): a crash half-way
// rolls back only the batch in progress, and the next pass — here or on another instance, which claims
// the incident with SKIP LOCKED — resumes after the last batch committed. No ticket is resolved twice: the
// cursor has passed it, and a ticket already closed is left as it is.
import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { WakeLoop } from '../common/wake-loop';
import { AppConfig } from '../config/app-config';
import { TicketWriter } from '../tickets/ticket-writer.service';
import { IncidentFeed } from './incident-feed';
import { incidentSteps } from './incident-steps';
import { IncidentsRepository } from './incidents.repository';

@Injectable()
export class IncidentResolutions implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(IncidentResolutions.name);
  private readonly passes = new WakeLoop(
    () => this.idle(),
    (error) => this.logger.warn(`Resolving an incident's tickets: ${error instanceof Error ? error.message : String(error)}`),
  );
  private poller?: NodeJS.Timeout;

  constructor(
    private readonly incidentsRepository: IncidentsRepository,
    private readonly ticketWriter: TicketWriter,
    private readonly feed: IncidentFeed,
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.feed.onChange(() => this.passes.wake());
    // What a crash left half-done, and what another instance's wake-up did not reach.
    this.poller = setInterval(() => this.passes.wake(), this.config.events.pollSeconds * 1000);
    this.poller.unref();
    this.passes.start(true);
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.poller);
    await this.passes.stop();
  }

  /** Resolves when every resolution asked for before the call has reached its tickets (tests, the bench). */
  async idle(): Promise<void> {
    while (await this.step());
  }

  /** One batch of one incident, in one transaction; false when none is left (or another instance holds it). */
  private step(): Promise<boolean> {
    return this.txHost.withTransaction(async () => {
      const claimed = await this.incidentsRepository.claimResolutionBatch(this.config.incidents.resolveBatch);
      if (!claimed) return false;
      const { incident, ticketIds } = claimed;
      for (const ticketId of ticketIds) {
        await this.ticketWriter.recordIncidentStep(ticketId, incident.closed_by, incidentSteps.resolved(incident.id, incident.resolution ?? ''));
      }
      const done = ticketIds.length < this.config.incidents.resolveBatch;
      await this.incidentsRepository.moveResolution(incident.id, done ? null : ticketIds.at(-1)!);
      return true;
    });
  }
}
