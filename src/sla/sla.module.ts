import { Module } from '@nestjs/common';
import { TicketsModule } from '../tickets/tickets.module';
import { SlaController } from './sla.controller';
import { SlaEvaluator } from './sla-evaluator';
import { SlaProjection } from './sla-projection';
import { SlaReevaluation } from './sla-reevaluation';
import { SlaTimers } from './sla-timers';
import { SlaPoliciesRepository } from './sla-policies.repository';
import { SlaService } from './sla.service';
import { TicketSlaRepository } from './ticket-sla.repository';
import { TicketSlaController } from './ticket-sla.controller';

@Module({
  imports: [TicketsModule],
  controllers: [SlaController, TicketSlaController],
  providers: [SlaService, SlaEvaluator, SlaPoliciesRepository, TicketSlaRepository, SlaTimers, SlaReevaluation, SlaProjection],
  // Approvals time their requests by the default policy's settings; a ticket's stored clocks stay the SLA's own.
  exports: [SlaEvaluator, SlaPoliciesRepository, SlaProjection],
})
export class SlaModule {}
