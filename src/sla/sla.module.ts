import { Module } from '@nestjs/common';
import { TicketsModule } from '../tickets/tickets.module';
import { TrailModule } from '../trail/trail.module';
import { SlaController } from './sla.controller';
import { SlaEvaluator } from './sla-evaluator';
import { SlaProjection } from './sla-projection';
import { SlaReevaluation } from './sla-reevaluation';
import { SlaTimers } from './sla-timers';
import { SlaRepository } from './sla.repository';
import { SlaService } from './sla.service';
import { TicketSlaController } from './ticket-sla.controller';

@Module({
  imports: [TicketsModule, TrailModule],
  controllers: [SlaController, TicketSlaController],
  providers: [SlaService, SlaEvaluator, SlaRepository, SlaTimers, SlaReevaluation, SlaProjection],
  exports: [SlaEvaluator, SlaRepository, SlaProjection],
})
export class SlaModule {}
