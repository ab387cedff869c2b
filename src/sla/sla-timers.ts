// Fires the service-level timers that are due — warnings and breaches — on whichever instance looks first:
// a due timer's ticket is claimed with SKIP LOCKED and evaluated, which marks what it fires as fired in the
// same transaction. A timer survives restarts and crashes (it is a row); one missed while every instance
// was down fires at the next look.
import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Transactional } from '@nestjs-cls/transactional';
import { AppConfig } from '../config/app-config';
import { SlaEvaluator } from './sla-evaluator';
import { SlaRepository } from './sla.repository';

/** Tickets evaluated per transaction: a backlog after an outage is worked off in short steps. */
const BATCH = 20;

@Injectable()
export class SlaTimers implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(SlaTimers.name);
  private timer?: NodeJS.Timeout;
  private running: Promise<void> | null = null;

  constructor(
    private readonly config: AppConfig,
    private readonly slaRepository: SlaRepository,
    private readonly evaluator: SlaEvaluator,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), this.config.sla.pollMs);
    this.timer.unref();
  }

  /** Before the database closes (shutdown hooks run after every module is destroyed): the last look finishes. */
  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One look: fires everything due now, batch after batch. */
  async tick(): Promise<void> {
    if (this.running) return;
    this.running = (async () => {
      try {
        while ((await this.fireDueBatch()) === BATCH);
      } catch (error) {
        this.logger.warn(`SLA timers: ${error instanceof Error ? error.message : String(error)}`);
      }
    })().finally(() => (this.running = null));
    await this.running;
  }

  @Transactional()
  private async fireDueBatch(): Promise<number> {
    const tickets = await this.slaRepository.claimDueTickets(BATCH);
    for (const ticketId of tickets) await this.evaluator.evaluate(ticketId);
    return tickets.length;
  }
}
