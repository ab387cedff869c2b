// Old checkpoints go: a closed ticket's run keeps its summary, not the graph state it needed to resume.
import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { MaintenanceJobs } from '../database/maintenance-jobs';
import { WorkflowEngine } from './workflow.engine';
import { WorkflowRepository } from './workflow.repository';

const PRUNE_EVERY_MS = 60 * 60 * 1000;
const PRUNE_BATCH = 100;

@Injectable()
export class CheckpointPruner {
  constructor(
    private readonly config: AppConfig,
    private readonly workflowRepository: WorkflowRepository,
    private readonly engine: WorkflowEngine,
    private readonly maintenance: MaintenanceJobs,
  ) {}

  /** Prunes about every hour — once across all instances, not on each of them. */
  scheduleHourly(): void {
    this.maintenance.schedule('workflow-checkpoint-prune', PRUNE_EVERY_MS, () => this.pruneCheckpoints());
  }

  /** Deletes the checkpoints of tickets closed longer ago than the retention period; their summary stays. */
  async pruneCheckpoints(): Promise<number> {
    const cutoff = new Date(Date.now() - this.config.workflow.checkpointRetentionDays * 24 * 60 * 60 * 1000);
    let pruned = 0;
    for (;;) {
      const ticketIds = await this.workflowRepository.findPrunable(cutoff, PRUNE_BATCH);
      for (const ticketId of ticketIds) {
        const summary = await this.engine.describe(ticketId);
        await this.engine.deleteCheckpoints(ticketId);
        await this.workflowRepository.markPruned(ticketId, summary);
      }
      pruned += ticketIds.length;
      if (ticketIds.length < PRUNE_BATCH) return pruned;
    }
  }
}
