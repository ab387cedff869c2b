import { Module, OnModuleInit } from '@nestjs/common';
import { TicketWriteHooks } from '../tickets/ticket-write-hooks';
import { TicketsModule } from '../tickets/tickets.module';
import { SlaController } from './sla.controller';
import { SlaEvaluator } from './sla-evaluator';
import { SlaReevaluation } from './sla-reevaluation';
import { SlaTimers } from './sla-timers';
import { SlaRepository } from './sla.repository';
import { SlaService } from './sla.service';
import { TicketSlaController } from './ticket-sla.controller';

@Module({
  imports: [TicketsModule],
  controllers: [SlaController, TicketSlaController],
  providers: [SlaService, SlaEvaluator, SlaRepository, SlaTimers, SlaReevaluation],
  exports: [SlaEvaluator, SlaRepository],
})
export class SlaModule implements OnModuleInit {
  constructor(
    private readonly writeHooks: TicketWriteHooks,
    private readonly evaluator: SlaEvaluator,
  ) {}

  /** Every change of a ticket re-evaluates its clocks in the same transaction. */
  onModuleInit(): void {
    this.writeHooks.register((ticketId) => this.evaluator.evaluate(ticketId));
  }
}
