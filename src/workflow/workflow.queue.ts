// The run queue, in the database: runs are claimed with FOR UPDATE SKIP LOCKED (several instances can
// share one queue), at most MAX_CONCURRENT_WORKFLOWS at once per instance, each under a lease this
// instance renews and a fencing token that every write of the segment carries. Runs of a process that died
// are taken over when their lease lapses (at once on the embedded database, which only one process can open).
// An instance looks at the queue when it queued something itself, when a run of its own ends, and when
// another instance announces queued runs (LISTEN/NOTIFY); a slow poll (WORKFLOW_POLL_MS) is the safety net,
// and lapsed leases are looked for a few times per lease.
import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { randomUUID } from 'node:crypto';
import { AppConfig } from '../config/app-config';
import { AfterCommit } from '../database/after-commit';
import { DatabaseNotifications } from '../database/database-notifications';
import { MaintenanceJobs } from '../database/maintenance-jobs';
import { TicketClosedError } from '../tickets/ticket-writer.service';
import { StaleClaimError, WorkflowCommands } from './workflow.commands';
import { SegmentResult, WorkflowEngine } from './workflow.engine';
import { ClaimedRun, WorkflowRepository } from './workflow.repository';
import { RUN_SETTLED, RunSettledSignal } from './run-waiter';

/** A run claimed this many times without pausing or ending keeps killing its process: it is stopped. */
const MAX_ATTEMPTS = 3;
/** A pending ticket without a run this old was created by a process that stopped before queueing it. */
const ORPHAN_AGE_SECONDS = 5;
const SHUTDOWN_GRACE_MS = 5000;
const PRUNE_EVERY_MS = 60 * 60 * 1000;
/** Looks for lapsed leases this many times per lease, so a dead instance's run waits at most ~1.25 leases. */
const LEASE_CHECKS_PER_LEASE = 4;

class ShutdownAbort extends Error {}

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

interface ActiveRun {
  claim: ClaimedRun;
  done: Promise<void>;
  abort: AbortController;
}

@Injectable()
export class WorkflowQueue implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(WorkflowQueue.name);
  private readonly instanceId = randomUUID();
  private readonly active = new Map<string, ActiveRun>();
  private readonly timers: NodeJS.Timeout[] = [];
  private draining: Promise<void> | null = null;
  private drainAgain = false;
  private maintaining: Promise<void> | null = null;
  private stopping = false;

  constructor(
    private readonly config: AppConfig,
    private readonly workflowRepository: WorkflowRepository,
    private readonly engine: WorkflowEngine,
    private readonly commands: WorkflowCommands,
    private readonly signals: EventEmitter2,
    private readonly notifications: DatabaseNotifications,
    private readonly maintenance: MaintenanceJobs,
    private readonly afterCommit: AfterCommit,
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
  ) {}

  get runsHere(): boolean {
    return this.config.workflow.enabled && this.config.workflow.maxConcurrent > 0;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.runsHere) return;
    const requeued = await this.workflowRepository.requeueAbandoned(this.config.databaseUrl === undefined, []);
    const adopted = await this.workflowRepository.adoptOrphans(0);
    if (requeued + adopted > 0) this.logger.log(`Resuming ${requeued} interrupted and starting ${adopted} unqueued workflow run(s)`);
    this.notifications.on('workflow_runs', () => this.kick());
    this.notifications.onReconnected(() => this.kick());
    const { pollMs, leaseSeconds } = this.config.workflow;
    this.timers.push(
      setInterval(() => this.kick(), pollMs),
      setInterval(() => {
        this.maintaining ??= this.maintain().finally(() => (this.maintaining = null));
      }, (leaseSeconds * 1000) / LEASE_CHECKS_PER_LEASE),
      setInterval(() => void this.renewLeases().catch((error) => this.warn('renew leases', error)), (leaseSeconds * 1000) / 3),
    );
    // Once across all instances, not on each of them.
    this.maintenance.schedule('workflow-checkpoint-prune', PRUNE_EVERY_MS, () => this.pruneCheckpoints());
    this.kick();
  }

  /** Stops taking runs, lets running ones finish for a moment, then hands the rest back to the queue. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.timers.forEach(clearInterval);
    // A claim in flight may still hand us runs: let it finish (they are released below, not started).
    await Promise.all([this.draining, this.maintaining]);
    const running = [...this.active.values()];
    if (running.length > 0) {
      await Promise.race([Promise.all(running.map((run) => run.done)), new Promise((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS).unref())]);
      for (const run of this.active.values()) run.abort.abort(new ShutdownAbort('The server is shutting down'));
      await Promise.all([...this.active.values()].map((run) => run.done));
    }
    if (!this.runsHere) return;
    try {
      if ((await this.workflowRepository.release(this.instanceId)) > 0) this.notifications.notify('workflow_runs');
    } catch (error) {
      this.warn('release runs', error);
    }
  }

  /** Whether a run queued now would start at once on this instance. */
  hasFreeSlot(): boolean {
    return this.runsHere && this.active.size < this.config.workflow.maxConcurrent;
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
    return this.active.size;
  }

  /**
   * Runs were queued here: this instance looks at once, and the others are told to — once the caller's
   * transaction (an Idempotency-Key's holds the whole request) has committed, since nobody sees the runs
   * before, and outside it, so that the claim and the runs it starts never run in a committed transaction.
   */
  queued(): void {
    this.afterCommit.run(() =>
      void this.txHost.withoutTransaction(async () => {
        this.kick();
        this.notifications.notify('workflow_runs');
      }),
    );
  }

  /** Looks at the queue now. */
  kick(): void {
    if (!this.runsHere || this.stopping) return;
    if (this.draining) {
      this.drainAgain = true;
      return;
    }
    this.draining = this.drain().finally(() => {
      this.draining = null;
      // Asked again after the last claim looked: look once more.
      if (this.drainAgain) this.kick();
    });
  }

  /** Ends the run of a ticket a person closed while it waited: no question is left to answer. */
  async closeRun(ticketId: string, status: string, actorId: string | null): Promise<void> {
    await this.engine.close(ticketId, status, actorId);
    await this.workflowRepository.markDone(ticketId, await this.engine.describe(ticketId));
    this.settled(ticketId);
  }

  /** Deletes the checkpoints of tickets closed longer ago than the retention period; their summary stays. */
  async pruneCheckpoints(): Promise<number> {
    const cutoff = new Date(Date.now() - this.config.workflow.checkpointRetentionDays * 24 * 60 * 60 * 1000);
    let pruned = 0;
    for (;;) {
      const ticketIds = await this.workflowRepository.findPrunable(cutoff, 100);
      for (const ticketId of ticketIds) {
        const summary = await this.engine.describe(ticketId);
        await this.engine.deleteCheckpoints(ticketId);
        await this.workflowRepository.markPruned(ticketId, summary);
      }
      pruned += ticketIds.length;
      if (ticketIds.length < 100) return pruned;
    }
  }

  private renewLeases(): Promise<void> {
    return this.workflowRepository.renewLeases(this.instanceId, this.config.workflow.leaseSeconds, [...this.active.values()].map((run) => run.claim));
  }

  private async maintain(): Promise<void> {
    try {
      const requeued = await this.workflowRepository.requeueAbandoned(false, [...this.active.keys()]);
      const adopted = await this.workflowRepository.adoptOrphans(ORPHAN_AGE_SECONDS);
      if (requeued + adopted > 0) this.queued();
    } catch (error) {
      this.warn('look after the queue', error);
    }
  }

  private async drain(): Promise<void> {
    try {
      do {
        this.drainAgain = false;
        const free = this.config.workflow.maxConcurrent - this.active.size;
        if (free <= 0 || this.stopping) break;
        const runs = await this.workflowRepository.claim(this.instanceId, this.config.workflow.leaseSeconds, free, [...this.active.keys()]);
        for (const run of runs) this.launch(run);
        if (runs.length === free) this.drainAgain = true;
      } while (this.drainAgain);
    } catch (error) {
      this.warn('claim runs', error);
    }
  }

  private launch(claim: ClaimedRun): void {
    // Claimed while shutting down: left `running` here, so the release at shutdown hands it back.
    if (this.stopping) return;
    const abort = new AbortController();
    const done = this.execute(claim, abort).finally(() => {
      this.active.delete(claim.ticketId);
      this.settled(claim.ticketId);
      this.kick();
    });
    this.active.set(claim.ticketId, { claim, done, abort });
  }

  private async execute(claim: ClaimedRun, abort: AbortController): Promise<void> {
    const { timeoutMs } = this.config.workflow;
    const timer = setTimeout(() => abort.abort(new Error(`The workflow took longer than WORKFLOW_TIMEOUT (${timeoutMs / 1000} s) and was stopped`)), timeoutMs);
    let result: SegmentResult;
    try {
      if (claim.attempts > MAX_ATTEMPTS) {
        await this.fail(claim, `The workflow was interrupted ${MAX_ATTEMPTS} times by a server stop and was given up; support will take over`);
        return;
      }
      result = await this.engine.runSegment(claim, abort.signal);
    } catch (error) {
      // At shutdown the run is handed back to the queue, not failed: the next start resumes it.
      if (abort.signal.reason instanceof ShutdownAbort) return;
      if (error instanceof TicketClosedError) {
        result = { outcome: 'finished', pending: null, summary: null };
      } else {
        const message = abort.signal.aborted ? String((abort.signal.reason as Error).message) : errorMessage(error);
        await this.fail(claim, message, error);
        return;
      }
    } finally {
      clearTimeout(timer);
    }
    try {
      const summary = result.summary ?? (await this.engine.describe(claim.ticketId));
      if (!(await this.commands.finishSegment(claim, result.pending, summary))) throw new StaleClaimError(claim.ticketId);
      // Closed by a person while this segment ran: the close found the run busy, so it is ended here.
      const closedAs = result.outcome === 'paused' ? await this.engine.closedStatus(claim.ticketId) : null;
      if (closedAs) await this.closeRun(claim.ticketId, closedAs, null);
    } catch (error) {
      // A stale claim writes nothing; otherwise the lease lapses and another look at the queue picks the run up.
      this.warn(`finish the run of ticket ${claim.ticketId}`, error);
    }
  }

  /** Ends a failed segment: error event and status, run done — unless the claim is stale or a person closed the ticket. */
  private async fail(claim: ClaimedRun, message: string, cause?: unknown): Promise<void> {
    if (cause instanceof StaleClaimError) {
      this.logger.warn(cause.message);
      return;
    }
    this.logger.warn(`Workflow for ticket ${claim.ticketId} failed: ${message}`);
    try {
      await this.commands.recordFailure(claim, message, await this.engine.describe(claim.ticketId).catch(() => null));
    } catch (error) {
      this.warn(`record the failure of ticket ${claim.ticketId}`, error);
    }
  }

  private settled(ticketId: string): void {
    this.signals.emit(RUN_SETTLED, { ticketId } satisfies RunSettledSignal);
    // A `?wait=true` request for this ticket may be waiting on another instance.
    this.notifications.notify('workflow_settled', ticketId);
  }

  private warn(what: string, error: unknown): void {
    this.logger.warn(`Could not ${what}: ${errorMessage(error)}`);
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
