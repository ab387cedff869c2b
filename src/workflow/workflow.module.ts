import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApprovalsModule } from '../approvals/approvals.module';
import { IncidentsModule } from '../incidents/incidents.module';
import { LlmModule } from '../llm/llm.module';
import { TicketsModule } from '../tickets/tickets.module';
import { WorkflowController } from './workflow.controller';
import { WorkflowEngine } from './workflow.engine';
import { WorkflowQueue } from './workflow.queue';
import { ExecutingRuns } from './executing-runs';
import { SegmentExecutor } from './segment-executor';
import { RunLeaseKeeper } from './run-lease-keeper';
import { CheckpointPruner } from './checkpoint-pruner';
import { WorkflowRepository } from './workflow.repository';
import { WorkflowRun } from './workflow-run.entity';
import { WorkflowService } from './workflow.service';
import { WorkflowCommands } from './workflow.commands';
import { RunWaiter } from './run-waiter';
import { ApprovalTimers } from './approval-timers';
import { SettledResponse } from './settled-response';

@Module({
  imports: [TypeOrmModule.forFeature([WorkflowRun]), TicketsModule, LlmModule, ApprovalsModule, IncidentsModule],
  controllers: [WorkflowController],
  providers: [WorkflowService, WorkflowCommands, WorkflowEngine, WorkflowQueue, ExecutingRuns, SegmentExecutor, RunLeaseKeeper, CheckpointPruner, WorkflowRepository, RunWaiter, ApprovalTimers, SettledResponse],
  exports: [WorkflowQueue, WorkflowService, WorkflowCommands, WorkflowRepository],
})
export class WorkflowModule {}
