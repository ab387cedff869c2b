// After the default policy or a calendar changes, every open ticket is measured again — in the background,
// a ticket per transaction, so a large backlog never holds a long lock. What each ticket earned (its pauses)
// comes from its own trail, so nothing is lost in the change.
import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Transactional } from '@nestjs-cls/transactional';
import { AfterCommit } from '../database/after-commit';
import { SlaEvaluator } from './sla-evaluator';
import { TicketSlaRepository } from './ticket-sla.repository';

const PAGE = 100;

@Injectable()
export class SlaReevaluation implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(SlaReevaluation.name);
  private pass: Promise<void> | null = null;
  private again = false;
  private stopping = false;
  /** The first pass after start-up measures only the open tickets that never were (filed before service levels existed). */
  private onlyUnevaluated = false;

  constructor(
    private readonly ticketSlaRepository: TicketSlaRepository,
    private readonly evaluator: SlaEvaluator,
    private readonly afterCommit: AfterCommit,
  ) {}

  /** Starts a pass over every open ticket once the current transaction commits (another is queued if one is running). */
  reevaluateOpenTicketsAfterCommit(): void {
    this.afterCommit.run(() => void this.start());
  }

  onApplicationBootstrap(): void {
    this.onlyUnevaluated = true;
    void this.start();
  }

  /** At shutdown the pass stops after its current ticket (the next start's evaluations catch up). */
  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    await this.idle();
  }

  /** Resolves when no pass is running (for shutdown and tests). */
  async idle(): Promise<void> {
    while (this.pass) await this.pass;
  }

  private start(): Promise<void> {
    if (this.stopping) return Promise.resolve();
    if (this.pass) {
      this.again = true;
      return this.pass;
    }
    this.pass = this.run()
      .catch((error: unknown) => this.logger.warn(`Re-evaluating open tickets failed: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => {
        this.pass = null;
        if (this.again) {
          this.again = false;
          void this.start();
        }
      });
    return this.pass;
  }

  private async run(): Promise<void> {
    const onlyUnevaluated = this.onlyUnevaluated;
    this.onlyUnevaluated = false;
    const active = await this.evaluator.activePolicy();
    if (!active) return;
    let after: string | null = null;
    for (;;) {
      const ids: string[] = await this.ticketSlaRepository.openTicketIds(active.policy.stop_statuses, after, PAGE, onlyUnevaluated);
      for (const id of ids) {
        if (this.stopping) return;
        await this.evaluateOne(id);
      }
      if (ids.length < PAGE) return;
      after = ids.at(-1)!;
    }
  }

  @Transactional()
  private evaluateOne(ticketId: string): Promise<void> {
    return this.evaluator.evaluate(ticketId);
  }
}
