import { Module } from '@nestjs/common';
import { SlaModule } from '../sla/sla.module';
import { TicketsModule } from '../tickets/tickets.module';
import { UsersModule } from '../users/users.module';
import { ApprovalPlanProjection } from './approval-plan-projection';
import { ApprovalsController } from './approvals.controller';
import { ApprovalsRepository } from './approvals.repository';
import { ApprovalsService } from './approvals.service';
import { DelegationEnds } from './delegation-ends';

@Module({
  imports: [TicketsModule, UsersModule, SlaModule],
  controllers: [ApprovalsController],
  providers: [ApprovalsService, ApprovalsRepository, DelegationEnds, ApprovalPlanProjection],
  // Beneath the workflow: it raises, settles and expires requests through the service; nothing here calls it back.
  exports: [ApprovalsService, ApprovalPlanProjection],
})
export class ApprovalsModule {}
