// `?wait=true` waits for a run to pause or end without polling hot: an in-process signal wakes it when this
// instance settles the run, a notification when another instance does (LISTEN/NOTIFY on PostgreSQL), a
// coarse look at the database catches a notification that was lost, and the wait ends as soon as the
// client disconnects.
import { Injectable, OnModuleInit } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { DatabaseNotifications } from '../database/database-notifications';
import type { TicketDto } from '../tickets/dto/ticket.dto';
import { WorkflowRun } from './workflow-run.entity';
import { WorkflowRepository } from './workflow.repository';

/** In-process signal: this instance finished a run segment (the run is waiting, done, or queued again). */
export const RUN_SETTLED = 'workflow.run-settled';
export interface RunSettledSignal {
  ticketId: string;
  /** True when the segment that ended left the run waiting or done (false: unknown, or queued again). */
  settled: boolean;
  /** The ticket as that segment left it (its last read or write), when it settled the run. */
  ticket?: TicketDto;
}

/** Where a wait ended: the run as last read, or this instance's own word that it settled. */
interface WaitEnd {
  run?: WorkflowRun | null;
  settledHere?: RunSettledSignal;
}

/** How often a waiter looks at the database for a run that another instance may have settled. */
const COARSE_POLL_MS = 1000;

export function isBusy(run: WorkflowRun | null): boolean {
  return run !== null && (run.state === 'queued' || run.state === 'running');
}

@Injectable()
export class RunWaiter implements OnModuleInit {
  private readonly wakers = new Map<string, Set<(settled?: RunSettledSignal) => void>>();
  private waits = 0;

  constructor(
    private readonly workflowRepository: WorkflowRepository,
    private readonly notifications: DatabaseNotifications,
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
  ) {}

  onModuleInit(): void {
    // Another instance's word carries no state: the waiter reads the run.
    this.notifications.on('workflow_settled', (ticketId) => {
      if (ticketId) this.wake({ ticketId, settled: false });
    });
  }

  /** Waits in progress (for operators and tests). */
  get activeWaits(): number {
    return this.waits;
  }

  /** The run once it is no longer queued or running, or as it is when `limitMs` pass or `signal` aborts. */
  async untilSettled(ticketId: string, limitMs: number, signal?: AbortSignal): Promise<WorkflowRun | null> {
    const end = await this.wait(ticketId, limitMs, signal, { needsRun: true, queuedNow: false });
    return end.run ?? null;
  }

  /**
   * For a caller that only waits (`?wait=true`): the ticket as the segment that settled the run left it,
   * when this instance's own signal says so — nothing is read again; undefined otherwise (the caller reads
   * it). A caller that has just queued the run (`queuedNow`) does not have it read first: the wait starts at
   * once (a run that settled before it would be found by the next look).
   */
  async untilSettledTicket(ticketId: string, limitMs: number, signal?: AbortSignal, queuedNow = false): Promise<TicketDto | undefined> {
    const end = await this.wait(ticketId, limitMs, signal, { needsRun: false, queuedNow });
    return end.settledHere?.ticket;
  }

  private async wait(ticketId: string, limitMs: number, signal: AbortSignal | undefined, options: { needsRun: boolean; queuedNow: boolean }): Promise<WaitEnd> {
    // Inside a transaction (an Idempotency-Key's), a wait would hold it — on the embedded database, its only
    // connection — while the run needs the database to move, and could not see a run it queued: it looks once.
    if (this.txHost.isTransactionActive()) return { run: await this.workflowRepository.findRun(ticketId) };
    const deadline = Date.now() + limitMs;
    this.waits += 1;
    try {
      // undefined: not read yet (a run queued just now is known to be busy).
      let run = options.queuedNow ? undefined : await this.workflowRepository.findRun(ticketId);
      for (;;) {
        const left = deadline - Date.now();
        if (run !== undefined && (!isBusy(run) || left <= 0 || signal?.aborted)) return { run };
        const settledHere = await this.nextWake(ticketId, Math.min(COARSE_POLL_MS, left), signal);
        if (settledHere && !options.needsRun) return { settledHere };
        run = await this.workflowRepository.findRun(ticketId);
      }
    } finally {
      this.waits -= 1;
    }
  }

  @OnEvent(RUN_SETTLED)
  wake(settled: RunSettledSignal): void {
    this.wakers.get(settled.ticketId)?.forEach((wake) => wake(settled));
  }

  /** Resolves at the next wake-up: with this instance's signal when it said the run settled, else null. */
  private nextWake(ticketId: string, ms: number, signal?: AbortSignal): Promise<RunSettledSignal | null> {
    return new Promise((resolve) => {
      const wakers = this.wakers.get(ticketId) ?? new Set<(settled?: RunSettledSignal) => void>();
      this.wakers.set(ticketId, wakers);
      const done = (woken?: RunSettledSignal) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', aborted);
        wakers.delete(done);
        if (wakers.size === 0) this.wakers.delete(ticketId);
        resolve(woken?.settled ? woken : null);
      };
      const aborted = () => done();
      const timer = setTimeout(() => done(), ms);
      signal?.addEventListener('abort', aborted);
      wakers.add(done);
    });
  }
}
