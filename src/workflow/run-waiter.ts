// `?wait=true` waits for a run to pause or end without polling hot: an in-process signal wakes it when this
// instance settles the run, a notification when another instance does (LISTEN/NOTIFY on PostgreSQL), a
// coarse look at the database catches a notification that was lost, and the wait ends as soon as the
// client disconnects.
import { Injectable, OnModuleInit } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { DatabaseNotifications } from '../database/database-notifications';
import { WorkflowRun } from './workflow-run.entity';
import { WorkflowRepository } from './workflow.repository';

/** In-process signal: this instance finished a run segment (the run is waiting, done, or queued again). */
export const RUN_SETTLED = 'workflow.run-settled';
export interface RunSettledSignal {
  ticketId: string;
}

/** How often a waiter looks at the database for a run that another instance may have settled. */
const COARSE_POLL_MS = 1000;

export function isBusy(run: WorkflowRun | null): boolean {
  return run !== null && (run.state === 'queued' || run.state === 'running');
}

@Injectable()
export class RunWaiter implements OnModuleInit {
  private readonly wakers = new Map<string, Set<() => void>>();
  private waits = 0;

  constructor(
    private readonly workflowRepository: WorkflowRepository,
    private readonly notifications: DatabaseNotifications,
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
  ) {}

  onModuleInit(): void {
    this.notifications.on('workflow_settled', (ticketId) => {
      if (ticketId) this.wake({ ticketId });
    });
  }

  /** Waits in progress (for operators and tests). */
  get activeWaits(): number {
    return this.waits;
  }

  /** The run once it is no longer queued or running, or as it is when `limitMs` pass or `signal` aborts. */
  async untilSettled(ticketId: string, limitMs: number, signal?: AbortSignal): Promise<WorkflowRun | null> {
    // Inside a transaction (an Idempotency-Key's), a wait would hold it — on the embedded database, its only
    // connection — while the run needs the database to move, and could not see a run it queued: it looks once.
    if (this.txHost.isTransactionActive()) return this.workflowRepository.findRun(ticketId);
    const deadline = Date.now() + limitMs;
    this.waits += 1;
    try {
      for (;;) {
        const run = await this.workflowRepository.findRun(ticketId);
        const left = deadline - Date.now();
        if (!isBusy(run) || left <= 0 || signal?.aborted) return run;
        await this.nextWake(ticketId, Math.min(COARSE_POLL_MS, left), signal);
      }
    } finally {
      this.waits -= 1;
    }
  }

  @OnEvent(RUN_SETTLED)
  wake({ ticketId }: RunSettledSignal): void {
    this.wakers.get(ticketId)?.forEach((wake) => wake());
  }

  private nextWake(ticketId: string, ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const wakers = this.wakers.get(ticketId) ?? new Set<() => void>();
      this.wakers.set(ticketId, wakers);
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        wakers.delete(done);
        if (wakers.size === 0) this.wakers.delete(ticketId);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done);
      wakers.add(done);
    });
  }
}
