// Fires the service-level timers that are due — warnings and breaches — on whichever instance looks first:
// a due timer's ticket is claimed with SKIP LOCKED and evaluated, which marks what it fires as fired in the
// same transaction. A timer survives restarts and crashes (it is a row); one missed while every instance
// was down fires at the next look.
import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Transactional } from '@nestjs-cls/transactional';
import { AppConfig } from '../config/app-config';
import { PollingLoop } from '../common/polling-loop';
import { SlaEvaluator } from './sla-evaluator';
import { TicketSlaRepository } from './ticket-sla.repository';

/** Tickets evaluated per transaction: a backlog after an outage is worked off in short steps. */
const BATCH = 20;

@Injectable()
export class SlaTimers implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(SlaTimers.name);
  private readonly loop = new PollingLoop(
    async () => {
      while ((await this.fireDueBatch()) === BATCH);
    },
    (error) => this.logger.warn(`SLA timers: ${error instanceof Error ? error.message : String(error)}`),
  );

  constructor(
    private readonly config: AppConfig,
    private readonly ticketSlaRepository: TicketSlaRepository,
    private readonly evaluator: SlaEvaluator,
  ) {}

  onApplicationBootstrap(): void {
    this.loop.start(this.config.sla.pollMs);
  }

  /** Before the database closes (shutdown hooks run after every module is destroyed): the last look finishes. */
  onModuleDestroy(): Promise<void> {
    return this.loop.stop();
  }

  /** One look: fires everything due now, batch after batch. */
  tick(): Promise<void> {
    return this.loop.run();
  }

  @Transactional()
  private async fireDueBatch(): Promise<number> {
    const tickets = await this.ticketSlaRepository.claimDueTickets(BATCH);
    for (const ticketId of tickets) await this.evaluator.evaluate(ticketId);
    return tickets.length;
  }
}
