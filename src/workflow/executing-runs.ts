// The run segments this instance is executing now, and the id it claims them under: the queue adds and
// removes them, the lease keeper renews their leases and never requeues them.
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ClaimedRun } from './workflow.repository';

export interface ExecutingRun {
  claim: ClaimedRun;
  done: Promise<void>;
  abort: AbortController;
}

@Injectable()
export class ExecutingRuns {
  /** Written as `locked_by` on every run this instance claims. */
  readonly instanceId = randomUUID();
  private readonly runs = new Map<string, ExecutingRun>();

  get count(): number {
    return this.runs.size;
  }

  add(run: ExecutingRun): void {
    this.runs.set(run.claim.ticketId, run);
  }

  remove(ticketId: string): void {
    this.runs.delete(ticketId);
  }

  all(): ExecutingRun[] {
    return [...this.runs.values()];
  }

  ticketIds(): string[] {
    return [...this.runs.keys()];
  }

  claims(): ClaimedRun[] {
    return this.all().map((run) => run.claim);
  }
}
