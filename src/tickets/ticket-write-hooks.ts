// Work that other modules do in the same transaction as every change of a ticket (its creation, a
// comment, a status or field change): the SLA module re-evaluates the ticket's clocks there, so that what
// it stores and announces can never disagree with the audit trail it is derived from.
import { Injectable } from '@nestjs/common';

export type TicketWriteHook = (ticketId: string) => Promise<void>;

@Injectable()
export class TicketWriteHooks {
  private readonly hooks: TicketWriteHook[] = [];

  register(hook: TicketWriteHook): void {
    this.hooks.push(hook);
  }

  /** Runs every hook, in the caller's transaction, after the ticket's rows for this change are written. */
  async written(ticketId: string): Promise<void> {
    for (const hook of this.hooks) await hook(ticketId);
  }
}
