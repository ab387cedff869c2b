// Executes one claimed segment of a run — under WORKFLOW_TIMEOUT, given up after too many interrupted
// attempts — and ends it: the segment's pause or end is written under its claim, a failure is recorded
// on the ticket, and anyone waiting for the run hears that it settled.
import { Injectable, Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { AppConfig } from '../config/app-config';
import { DatabaseNotifications } from '../database/database-notifications';
import { StaleClaimError, TicketClosedError } from '../tickets/ticket-errors';
import { errorMessage } from './error-message';
import { RUN_SETTLED, RunSettledSignal } from './run-waiter';
import { WorkflowCommands } from './workflow.commands';
import { SegmentResult, WorkflowEngine } from './workflow.engine';
import { ClaimedRun, WorkflowRepository } from './workflow.repository';

/** A run claimed this many times without pausing or ending keeps killing its process: it is stopped. */
const MAX_ATTEMPTS = 3;

/** How a segment ended, for those waiting for its run: whether it settled it, and the ticket as it left it. */
export type SegmentEnd = Omit<RunSettledSignal, 'ticketId'>;
const UNSETTLED: SegmentEnd = { settled: false };

/** Why a segment is aborted at shutdown: its run goes back to the queue instead of failing. */
export class ShutdownAbort extends Error {}

@Injectable()
export class SegmentExecutor {
  private readonly logger = new Logger(SegmentExecutor.name);

  constructor(
    private readonly config: AppConfig,
    private readonly workflowRepository: WorkflowRepository,
    private readonly engine: WorkflowEngine,
    private readonly commands: WorkflowCommands,
    private readonly signals: EventEmitter2,
    private readonly notifications: DatabaseNotifications,
  ) {}

  /** Runs the segment and ends it; settled when it left the run waiting for a person or done (not: failed, handed back, or unknown). */
  async execute(claim: ClaimedRun, abort: AbortController): Promise<SegmentEnd> {
    const { timeoutMs } = this.config.workflow;
    const timer = setTimeout(() => abort.abort(new Error(`The workflow took longer than WORKFLOW_TIMEOUT (${timeoutMs / 1000} s) and was stopped`)), timeoutMs);
    let result: SegmentResult;
    try {
      if (claim.attempts > MAX_ATTEMPTS) {
        await this.fail(claim, `The workflow was interrupted ${MAX_ATTEMPTS} times by a server stop and was given up; support will take over`);
        return UNSETTLED;
      }
      result = await this.engine.runSegment(claim, abort.signal);
    } catch (error) {
      // At shutdown the run is handed back to the queue, not failed: the next start resumes it.
      if (abort.signal.reason instanceof ShutdownAbort) return UNSETTLED;
      if (error instanceof TicketClosedError) {
        result = { outcome: 'finished', pending: null, summary: null, ticket: null };
      } else {
        const message = abort.signal.aborted ? String((abort.signal.reason as Error).message) : errorMessage(error);
        await this.fail(claim, message, error);
        return UNSETTLED;
      }
    } finally {
      clearTimeout(timer);
    }
    try {
      const summary = result.summary ?? (await this.engine.describe(claim.ticketId));
      if (!(await this.commands.finishSegment(claim, result.pending, summary))) throw new StaleClaimError(claim.ticketId);
      // Closed by a person while this segment ran: the close found the run busy, so it is ended here.
      const closedAs = result.outcome === 'paused' ? await this.engine.closedStatus(claim.ticketId) : null;
      if (closedAs) {
        await this.closeRun(claim.ticketId, closedAs, null);
        return { settled: true };
      }
      return { settled: true, ticket: result.ticket ?? undefined };
    } catch (error) {
      // A stale claim writes nothing; otherwise the lease lapses and another look at the queue picks the run up.
      this.logger.warn(`Could not finish the run of ticket ${claim.ticketId}: ${errorMessage(error)}`);
      return UNSETTLED;
    }
  }

  /** Ends the run of a ticket a person closed while it waited: no question is left to answer. */
  async closeRun(ticketId: string, status: string, actorId: string | null): Promise<void> {
    await this.engine.close(ticketId, status, actorId);
    await this.workflowRepository.markDone(ticketId, await this.engine.describe(ticketId));
    this.announceSettled(ticketId, { settled: true });
  }

  /** A segment ended (settled: the run waits for a person or is done): `?wait=true` requests for its ticket, here or on another instance, answer now. */
  announceSettled(ticketId: string, end: SegmentEnd): void {
    this.signals.emit(RUN_SETTLED, { ticketId, ...end } satisfies RunSettledSignal);
    this.notifications.notify('workflow_settled', ticketId);
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
      this.logger.warn(`Could not record the failure of ticket ${claim.ticketId}: ${errorMessage(error)}`);
    }
  }
}
