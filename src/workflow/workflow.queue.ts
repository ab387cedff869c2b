// The run queue, in the database: runs are claimed with FOR UPDATE SKIP LOCKED (several instances can
// share one queue), at most MAX_CONCURRENT_WORKFLOWS at once per instance, each under a lease this
// instance renews and a fencing token that every write of the segment carries (RunLeaseKeeper; the
// segments themselves run in SegmentExecutor). An instance looks at the queue when it queued something
// itself, when a run of its own ends, and when another instance announces queued runs (LISTEN/NOTIFY); a
// slow poll (WORKFLOW_POLL_MS) is the safety net, and lapsed leases are looked for a few times per lease.
import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { AppConfig } from '../config/app-config';
import { AfterCommit } from '../database/after-commit';
import { DatabaseNotifications } from '../database/database-notifications';
import { CheckpointPruner } from './checkpoint-pruner';
import { errorMessage } from './error-message';
import { ExecutingRuns } from './executing-runs';
import { RunLeaseKeeper } from './run-lease-keeper';
import { SegmentExecutor, ShutdownAbort } from './segment-executor';
import { ClaimedRun, WorkflowRepository } from './workflow.repository';

const SHUTDOWN_GRACE_MS = 5000;
/** Looks for lapsed leases this many times per lease, so a dead instance's run waits at most ~1.25 leases. */
const LEASE_CHECKS_PER_LEASE = 4;

export interface QueueHealth {
  /** Runs queued and not yet claimed, on all instances. */
  waiting: number;
  /** Seconds the oldest of them has waited (null when none waits). */
  oldest_wait_seconds: number | null;
  /** Runs executing now, on all instances. */
  running: number;
  running_here: number;
  /** MAX_CONCURRENT_WORKFLOWS here (0 on an instance that runs no workflow). */
  slots_here: number;
}

@Injectable()
export class WorkflowQueue implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(WorkflowQueue.name);
  private readonly timers: NodeJS.Timeout[] = [];
  private claiming: Promise<void> | null = null;
  private claimAgain = false;
  /**
   * Whether queued runs may wait that no look claimed: the last look filled every free slot, or a look was
   * asked for while none was free. Only then does a run's end look at the queue; otherwise whatever is
   * queued later announces itself (here, or by notification), and the poll is the safety net.
   */
  private runsMayWait = true;
  private recoveringLapsedRuns: Promise<void> | null = null;
  private stopping = false;

  constructor(
    private readonly config: AppConfig,
    private readonly workflowRepository: WorkflowRepository,
    private readonly executingRuns: ExecutingRuns,
    private readonly segmentExecutor: SegmentExecutor,
    private readonly leaseKeeper: RunLeaseKeeper,
    private readonly checkpointPruner: CheckpointPruner,
    private readonly notifications: DatabaseNotifications,
    private readonly afterCommit: AfterCommit,
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
  ) {}

  get runsHere(): boolean {
    return this.config.workflow.enabled && this.config.workflow.maxConcurrent > 0;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.runsHere) return;
    await this.leaseKeeper.recoverAtStartup();
    this.notifications.on('workflow_runs', () => this.claimQueuedRuns());
    this.notifications.onReconnected(() => this.claimQueuedRuns());
    const { pollMs, leaseSeconds } = this.config.workflow;
    this.timers.push(
      setInterval(() => this.claimQueuedRuns(), pollMs),
      setInterval(() => {
        this.recoveringLapsedRuns ??= this.recoverLapsedRuns().finally(() => (this.recoveringLapsedRuns = null));
      }, (leaseSeconds * 1000) / LEASE_CHECKS_PER_LEASE),
      setInterval(() => void this.leaseKeeper.renewLeases(), (leaseSeconds * 1000) / 3),
    );
    this.checkpointPruner.scheduleHourly();
    this.claimQueuedRuns();
  }

  /** Stops taking runs, lets running ones finish for a moment, then hands the rest back to the queue. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.timers.forEach(clearInterval);
    // A claim in flight may still hand us runs: let it finish (they are released below, not started).
    await Promise.all([this.claiming, this.recoveringLapsedRuns]);
    const running = this.executingRuns.all();
    if (running.length > 0) {
      await Promise.race([Promise.all(running.map((run) => run.done)), new Promise((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS).unref())]);
      for (const run of this.executingRuns.all()) run.abort.abort(new ShutdownAbort('The server is shutting down'));
      await Promise.all(this.executingRuns.all().map((run) => run.done));
    }
    if (!this.runsHere) return;
    if ((await this.leaseKeeper.releaseClaims()) > 0) this.notifications.notify('workflow_runs');
  }

  /** Whether a run queued now would start at once on this instance. */
  hasFreeSlot(): boolean {
    return this.runsHere && this.executingRuns.count < this.config.workflow.maxConcurrent;
  }

  /** The queue as an operator (and /health) sees it. */
  async health(): Promise<QueueHealth> {
    const stats = await this.workflowRepository.queueStats();
    return {
      waiting: stats.waiting,
      oldest_wait_seconds: stats.oldestWaitSeconds,
      running: stats.running,
      running_here: this.executing,
      slots_here: this.runsHere ? this.config.workflow.maxConcurrent : 0,
    };
  }

  /** Whether this instance is stopping (it takes no more runs, and should get no more traffic). */
  get isStopping(): boolean {
    return this.stopping;
  }

  /** How many run segments this instance is executing now. */
  get executing(): number {
    return this.executingRuns.count;
  }

  /**
   * Runs were queued here: this instance looks at once, and the others are told to — once the caller's
   * transaction (an Idempotency-Key's holds the whole request) has committed, since nobody sees the runs
   * before, and outside it, so that the claim and the runs it starts never run in a committed transaction.
   */
  announceQueuedRuns(): void {
    this.afterCommit.run(() =>
      void this.txHost.withoutTransaction(async () => {
        this.claimQueuedRuns();
        this.notifications.notify('workflow_runs');
      }),
    );
  }

  /** Looks at the queue now and starts what fits in the free slots; a look already under way looks once more. */
  claimQueuedRuns(): void {
    if (!this.runsHere || this.stopping) return;
    if (this.claiming) {
      this.claimAgain = true;
      return;
    }
    this.claiming = this.claimWhileSlotsAreFree().finally(() => {
      this.claiming = null;
      // Asked again after the last claim looked: look once more.
      if (this.claimAgain) this.claimQueuedRuns();
    });
  }

  /** Ends the run of a ticket a person closed while it waited: no question is left to answer. */
  closeRun(ticketId: string, status: string, actorId: string | null): Promise<void> {
    return this.segmentExecutor.closeRun(ticketId, status, actorId);
  }

  private async recoverLapsedRuns(): Promise<void> {
    if ((await this.leaseKeeper.recoverLapsedRuns()) > 0) this.announceQueuedRuns();
  }

  private async claimWhileSlotsAreFree(): Promise<void> {
    try {
      do {
        this.claimAgain = false;
        const free = this.config.workflow.maxConcurrent - this.executingRuns.count;
        if (free <= 0) this.runsMayWait = true;
        if (free <= 0 || this.stopping) break;
        const { instanceId } = this.executingRuns;
        const runs = await this.workflowRepository.claim(instanceId, this.config.workflow.leaseSeconds, free, this.executingRuns.ticketIds());
        for (const run of runs) this.launch(run);
        this.runsMayWait = runs.length === free;
        if (this.runsMayWait) this.claimAgain = true;
      } while (this.claimAgain);
    } catch (error) {
      this.logger.warn(`Could not claim runs: ${errorMessage(error)}`);
    }
  }

  private launch(claim: ClaimedRun): void {
    // Claimed while shutting down: left `running` here, so the release at shutdown hands it back.
    if (this.stopping) return;
    const abort = new AbortController();
    const done = this.segmentExecutor
      .execute(claim, abort)
      .catch(() => ({ settled: false }))
      .then((end) => {
        this.executingRuns.remove(claim.ticketId);
        this.segmentExecutor.announceSettled(claim.ticketId, end);
        if (this.runsMayWait) this.claimQueuedRuns();
      });
    this.executingRuns.add({ claim, done, abort });
  }
}
