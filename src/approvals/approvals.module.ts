import { Module } from '@nestjs/common';
import { SlaModule } from '../sla/sla.module';
import { TicketsModule } from '../tickets/tickets.module';
import { UsersModule } from '../users/users.module';
import { WorkflowModule } from '../workflow/workflow.module';
import { ApprovalTimers } from './approval-timers';
import { ApprovalsController } from './approvals.controller';
import { ApprovalsRepository } from './approvals.repository';
import { ApprovalsService } from './approvals.service';

@Module({
  imports: [TicketsModule, UsersModule, SlaModule, WorkflowModule],
  controllers: [ApprovalsController],
  providers: [ApprovalsService, ApprovalsRepository, ApprovalTimers],
})
export class ApprovalsModule {}
