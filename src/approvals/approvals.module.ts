import { Module } from '@nestjs/common';
import { SlaModule } from '../sla/sla.module';
import { TicketsModule } from '../tickets/tickets.module';
import { UsersModule } from '../users/users.module';
import { TrailModule } from '../trail/trail.module';
import { WorkflowModule } from '../workflow/workflow.module';
import { ApprovalPlanProjection } from './approval-plan-projection';
import { ApprovalTimers } from './approval-timers';
import { ApprovalsController } from './approvals.controller';
import { ApprovalsRepository } from './approvals.repository';
import { ApprovalsService } from './approvals.service';
import { DelegationEnds } from './delegation-ends';

@Module({
  imports: [TicketsModule, UsersModule, SlaModule, WorkflowModule, TrailModule],
  controllers: [ApprovalsController],
  providers: [ApprovalsService, ApprovalsRepository, ApprovalTimers, DelegationEnds, ApprovalPlanProjection],
})
export class ApprovalsModule {}
