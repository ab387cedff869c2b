// Leases and orphans: this instance renews the leases of the runs it executes and hands them back at
// shutdown; runs whose lease lapsed (their process died) are requeued, and pending tickets whose process
// stopped before queueing their run get one.
import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { errorMessage } from './error-message';
import { ExecutingRuns } from './executing-runs';
import { WorkflowRepository } from './workflow.repository';

/** A pending ticket without a run this old was created by a process that stopped before queueing it. */
const ORPHAN_AGE_SECONDS = 5;

@Injectable()
export class RunLeaseKeeper {
  private readonly logger = new Logger(RunLeaseKeeper.name);

  constructor(
    private readonly config: AppConfig,
    private readonly workflowRepository: WorkflowRepository,
    private readonly executingRuns: ExecutingRuns,
  ) {}

  /** At start-up: every lapsed run is requeued (all running ones on the embedded database, which only one process can open). */
  async recoverAtStartup(): Promise<void> {
    const requeued = await this.workflowRepository.requeueAbandoned(this.config.databaseUrl === undefined, []);
    const adopted = await this.workflowRepository.adoptOrphans(0);
    if (requeued + adopted > 0) this.logger.log(`Resuming ${requeued} interrupted and starting ${adopted} unqueued workflow run(s)`);
  }

  /** Requeues runs whose lease lapsed elsewhere and queues orphaned tickets; how many runs it queued (0 on failure). */
  async recoverLapsedRuns(): Promise<number> {
    try {
      const requeued = await this.workflowRepository.requeueAbandoned(false, this.executingRuns.ticketIds());
      const adopted = await this.workflowRepository.adoptOrphans(ORPHAN_AGE_SECONDS);
      return requeued + adopted;
    } catch (error) {
      this.warn('look after the queue', error);
      return 0;
    }
  }

  async renewLeases(): Promise<void> {
    try {
      await this.workflowRepository.renewLeases(this.executingRuns.instanceId, this.config.workflow.leaseSeconds, this.executingRuns.claims());
    } catch (error) {
      this.warn('renew leases', error);
    }
  }

  /** Hands every run still claimed here back to the queue; how many. */
  async releaseClaims(): Promise<number> {
    try {
      return await this.workflowRepository.release(this.executingRuns.instanceId);
    } catch (error) {
      this.warn('release runs', error);
      return 0;
    }
  }

  private warn(what: string, error: unknown): void {
    this.logger.warn(`Could not ${what}: ${errorMessage(error)}`);
  }
}
