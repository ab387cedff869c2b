// The named commands that change a ticket: a person's PATCH, each workflow step, a human response, a
// failure, a question from support, an AI suggestion. Each writes the ticket, its event rows (and comment)
// in the caller's transaction — or its own — and signals the change once it is committed. They return the
// staff view (every field): their callers are support's routes and the system.
import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { Transactional } from '@nestjs-cls/transactional';
import { AppConfig } from '../config/app-config';
import { AfterCommit } from '../database/after-commit';
import { TicketDto } from './dto/ticket.dto';
import { assertNotOwnRequest, assertResolvableByHand, assertWorkflowStatusesKept } from './decision-rights';
import { AudienceEvent, failureEvents, suggestionEvent, toStaffView } from './ticket-audience';
import { TicketComment } from './ticket-comment.entity';
import { ReplyWindowClosedError, StaleClaimError, TicketClosedError } from './ticket-errors';
import { TicketEventType } from './ticket-events';
import { TICKET_CREATED, TICKET_EVENTS_APPENDED, TICKET_UPDATED, TicketCreatedSignal, TicketText, TicketUpdatedSignal } from './ticket-signals';
import { TicketSuggestion } from './ticket-suggestion';
import { allowedNextStatuses, canTransition, FINAL_STATUSES, NEXT_ACTION } from './ticket-transitions';
import { TicketStatus } from './ticket.enums';
import { Ticket } from './ticket.entity';
import { TicketsRepository } from './tickets.repository';

/** The fields a change may touch, as the workflow and support set them. */
export type TicketChanges = Partial<Pick<Ticket, 'status' | 'priority' | 'category' | 'assigneeId' | 'decision' | 'planSummary' | 'resolution' | 'nextAction' | 'incidentId'>>;

/** What the requester filed, as the ticket stores it. */
export type NewTicketFields = Pick<
  Ticket,
  'title' | 'description' | 'requestType' | 'category' | 'priority' | 'urgency' | 'businessJustification' | 'desiredCompletionDate' | 'employeeId' | 'followUpOf'
>;

/** What a person sent to POST /hil, as the audit trail records it. */
export interface HumanResponseRecord {
  kind: 'answer' | 'approval';
  approval: boolean | null;
  answer: string | null;
  comments: string | null;
  /** Null when the approval expired and its policy decided. */
  responderId: string | null;
  responderEmployeeId: string | null;
  expired?: boolean;
}

/** What a major incident does to one of its tickets (src/incidents decides; this records it). */
export interface IncidentStep {
  changes: TicketChanges;
  event: AudienceEvent;
  /** What the requester reads in the conversation, written by the step's actor. */
  comment?: string;
  /**
   * Staff bookkeeping (proposed, dismissed): the incident link and the event, with no workflow_update, so the
   * requester's stream shows nothing; also the way an update is posted (its comment and event only).
   */
  quiet?: boolean;
  /** Statuses in which the ticket is left as it is (nothing written): a closed ticket is not reopened. */
  skipIn?: readonly TicketStatus[];
  /**
   * A report joining this incident: left as it is when it is in it already, as when the workflow's first
   * step and detection both decided to link the same new report (its requester is told once).
   */
  joins?: string;
}

interface WorkflowStepOptions {
  note: Record<string, unknown>;
  comment?: string;
  onlyIfStatus?: TicketStatus;
  /** The run segment's claim: its steps write only while it holds the run. */
  claimFence?: number;
  /** The ticket as the segment last read or wrote it. */
  known?: TicketDto;
}

interface WriteOptions {
  comment?: { body: string; authorId: string | null };
  /** Events written before the workflow_update (a hil_response, a failure's). */
  events?: AudienceEvent[];
  /** Extra fields for the workflow_update's payload (the workflow step, the rule that fired). */
  note?: Record<string, unknown>;
}

/** A resolved ticket: until when its requester's reply reopens it; null for any other. */
export function replyReopensUntil(ticket: Pick<Ticket, 'status' | 'updatedAt'>, windowMs: number): Date | null {
  return ticket.status === TicketStatus.Resolved ? new Date(ticket.updatedAt.getTime() + windowMs) : null;
}

@Injectable()
export class TicketWriter {
  constructor(
    private readonly ticketsRepository: TicketsRepository,
    private readonly signals: EventEmitter2,
    private readonly afterCommit: AfterCommit,
    private readonly config: AppConfig,
  ) {}

  /** A new ticket, `pending`, with the workflow_update that opens its trail: one statement. */
  async fileTicket(requesterId: string, fields: NewTicketFields): Promise<Ticket> {
    const filed = { ...fields, status: TicketStatus.Pending, decision: 'pending', nextAction: NEXT_ACTION[TicketStatus.Pending], requesterId };
    const created = await this.ticketsRepository.insertTicketWithEvent(filed, {
      type: TicketEventType.WorkflowUpdate,
      actorId: requesterId,
      staffOnly: false,
      payload: { ...snapshot({ ...filed, planSummary: null, assigneeId: null } as Ticket), change: 'created' },
    });
    this.signalAppended();
    this.afterCommit.run(() => this.signals.emit(TICKET_CREATED, { ticketId: created.id, text: textOf(created) } satisfies TicketCreatedSignal));
    return created;
  }

  /** A comment (an internal note when `internal`: staff-only on the trail). */
  @Transactional()
  async recordComment(ticketId: string, authorId: string, body: string, internal: boolean): Promise<TicketComment> {
    const current = await this.lock(ticketId);
    const reply = internal ? null : this.requesterReplyAfterResolution(current, authorId);
    if (reply === 'too_late') throw new ReplyWindowClosedError(ticketId, this.config.reopenOnReplyMs);
    const created = await this.ticketsRepository.insertComment({ ticketId, authorId, body, internal });
    const event = { type: TicketEventType.Comment, staffOnly: internal, payload: { comment_id: created.id, author_id: authorId, body: created.body, internal } };
    if (reply === 'reopens') {
      // "The customer replied after close": back to the support queue, with whoever had it, and why.
      await this.write(current, authorId, { status: TicketStatus.Escalated, decision: 'escalated' }, { events: [event], note: { reopened: 'The requester replied after it was resolved' } });
      return created;
    }
    await this.ticketsRepository.appendEvent({ ticketId, actorId: authorId, ...event });
    this.signalAppended();
    return created;
  }

  /**
   * A file attached to the ticket or removed from it, on the trail for everybody who sees the ticket: in the
   * caller's transaction, which holds the ticket's lock (lockTicket) and stored or removed the file.
   */
  async recordAttachmentChange(
    ticketId: string,
    actorId: string,
    type: TicketEventType.AttachmentAdded | TicketEventType.AttachmentRemoved,
    attachment: Record<string, unknown>,
  ): Promise<void> {
    await this.ticketsRepository.appendEvent({ ticketId, actorId, type, staffOnly: false, payload: attachment });
    this.signalAppended();
  }

  /**
   * A resolved ticket's own requester replying: within REOPEN_ON_REPLY_DAYS of its last change (its
   * resolution) the reply reopens it; after that it would reach no one, and a follow-up is the way. Null for
   * any other comment.
   */
  private requesterReplyAfterResolution(ticket: Ticket, authorId: string): 'reopens' | 'too_late' | null {
    const until = replyReopensUntil(ticket, this.config.reopenOnReplyMs);
    if (until === null || ticket.requesterId !== authorId) return null;
    return Date.now() <= until.getTime() ? 'reopens' : 'too_late';
  }

  /**
   * What another module has to say on a ticket's trail (a service level crossed, an approval requested or
   * reminded): staff-only events without an actor, in the caller's transaction, in the order given.
   */
  async announce(ticketId: string, events: Array<{ type: TicketEventType; payload: Record<string, unknown> }>): Promise<void> {
    if (events.length === 0) return;
    await this.ticketsRepository.appendEvents(events.map(({ type, payload }) => ({ ticketId, type, actorId: null, staffOnly: true, payload })));
    this.signalAppended();
  }

  /** PATCH /tickets/{id} by support or admin. A `comment` with `status: resolved` becomes the resolution. */
  @Transactional()
  async changeByStaff(actorId: string, ticketId: string, requested: TicketChanges, comment?: string): Promise<TicketDto> {
    const locked = await this.ticketsRepository.findByIdForUpdateWithHold(ticketId);
    if (!locked) throw new NotFoundException(`Ticket ${ticketId} not found`);
    const current = locked.ticket;
    if (requested.status !== undefined && requested.status !== current.status) {
      assertNotOwnRequest(current, actorId, 'change the status of');
      if (requested.status === TicketStatus.Resolved) {
        assertResolvableByHand(current, requested.status, await this.ticketsRepository.lastApprovalWasDenial(ticketId));
      }
      // Without the workflow (WORKFLOW_ENABLED=false) every status is support's to set.
      if (this.config.workflow.enabled) assertWorkflowStatusesKept(ticketId, requested.status, locked.hold);
    }
    const changes = withoutUnchanged(current, requested);
    if (changes.status === TicketStatus.Resolved && comment !== undefined) changes.resolution = comment;
    return toStaffView(await this.write(current, actorId, changes, { comment: comment === undefined ? undefined : { body: comment, authorId: actorId } }));
  }

  /**
   * A step of the workflow (no actor). Under a run segment's `claimFence`, a superseded claim writes nothing
   * (StaleClaimError); given the ticket as the segment `known` it, the step is one statement when the ticket
   * is still that (writeAsKnown). With `onlyIfStatus`, changes nothing unless the ticket is still in it.
   * A ticket a person closed meanwhile is never changed by the workflow: TicketClosedError.
   */
  async recordWorkflowStep(ticketId: string, requested: TicketChanges, options: WorkflowStepOptions): Promise<TicketDto> {
    const { known, claimFence } = options;
    if (known && claimFence !== undefined && options.comment === undefined && options.onlyIfStatus === undefined) {
      // The common case, one statement: the ticket is still as the segment knows it, the claim holds.
      const written = await this.writeAsKnown(known, null, requested, { note: options.note }, claimFence);
      if (written) return written;
    }
    return this.recordWorkflowStepLocked(ticketId, requested, options);
  }

  @Transactional()
  private async recordWorkflowStepLocked(ticketId: string, requested: TicketChanges, options: WorkflowStepOptions): Promise<TicketDto> {
    const current = options.claimFence === undefined ? await this.lock(ticketId) : await this.lockUnderClaim(ticketId, options.claimFence);
    if (options.onlyIfStatus !== undefined && current.status !== options.onlyIfStatus) return toStaffView(current);
    if (FINAL_STATUSES.includes(current.status)) throw new TicketClosedError(ticketId, current.status);
    const comment = options.comment === undefined ? undefined : { body: options.comment, authorId: null };
    return toStaffView(await this.write(current, null, withoutUnchanged(current, requested), { note: options.note, comment }));
  }

  /**
   * A change computed from the ticket as the caller `known` it, written with its events in one statement
   * only if the ticket is still exactly that (and, given `claimFence`, the claim still holds its run): the
   * ticket as written, or null with nothing written, whenever the locking path must decide — the ticket
   * changed meanwhile, the claim is gone, it is closed, or the change is not a plain transition.
   */
  private async writeAsKnown(known: TicketDto, actorId: string | null, requested: TicketChanges, options: Pick<WriteOptions, 'events' | 'note'>, claimFence?: number): Promise<TicketDto | null> {
    if (FINAL_STATUSES.includes(known.status)) return null;
    const current = asTicket(known);
    const changes = withoutUnchanged(current, requested);
    if (Object.keys(changes).length === 0) return null;
    if (changes.status !== undefined) {
      if (!canTransition(current.status, changes.status)) return null;
      changes.nextAction = NEXT_ACTION[changes.status];
    }
    const updated = await this.ticketsRepository.updateAsExpected(
      known.ticket_id,
      { status: known.status, updatedAt: known.updated_at, claimFence },
      changes,
      eventsOfChange(current, changes, actorId, options),
    );
    if (!updated) return null;
    this.signalAppended();
    this.afterCommit.run(() => this.signals.emit(TICKET_UPDATED, { ticketId: updated.id, status: updated.status, actorId, decision: updated.decision, text: textOf(updated) } satisfies TicketUpdatedSignal));
    return toStaffView(updated);
  }

  /**
   * A person answered or approved: the ticket runs again, with the hil_response before its workflow_update.
   * Given the ticket as the responder `known` it, an approval is one statement when the ticket is still that.
   */
  @Transactional()
  async recordHumanResponse(ticketId: string, response: HumanResponseRecord, note: Record<string, unknown>, known?: TicketDto): Promise<TicketDto> {
    const decision = response.kind === 'approval' ? (response.expired && response.approval === null ? 'expired' : response.approval ? 'approved' : 'denied') : 'pending';
    const requested: TicketChanges = { status: TicketStatus.InProgress, decision };
    const event: AudienceEvent = {
      type: TicketEventType.HilResponse,
      staffOnly: false,
      payload: {
        kind: response.kind,
        approval: response.approval,
        approver_id: response.kind === 'approval' ? response.responderEmployeeId : null,
        answer: response.answer,
        comments: response.comments,
        responder_id: response.responderId,
        responder_employee_id: response.responderEmployeeId,
        expired: response.expired ?? false,
      },
    };
    // An answer joins the ticket's conversation, where the question was asked.
    const comment = response.kind === 'answer' && response.answer ? { body: response.answer, authorId: response.responderId } : undefined;
    if (known && !comment) {
      const written = await this.writeAsKnown(known, response.responderId, requested, { events: [event], note });
      if (written) return written;
    }
    const current = await this.lock(ticketId);
    return toStaffView(await this.write(current, response.responderId, withoutUnchanged(current, requested), { events: [event], comment, note }));
  }

  /** Support asks the requester something: the ticket waits for them, and the question joins the conversation. */
  @Transactional()
  async recordStaffQuestion(ticketId: string, askerId: string, question: string, allowedFrom: readonly TicketStatus[]): Promise<TicketDto> {
    const current = await this.lockIn(ticketId, allowedFrom, 'ask the requester', askerId);
    const changes = withoutUnchanged(current, { status: TicketStatus.WaitingForUser, decision: 'needs_info', planSummary: 'Waiting for your answer to our question.' });
    return toStaffView(await this.write(current, askerId, changes, { comment: { body: question, authorId: askerId }, note: { step: 'ask' } }));
  }

  /** Support lets the assistant try again: the ticket is in progress, its run queued by the caller. */
  @Transactional()
  async recordRetry(ticketId: string, actorId: string, allowedFrom: readonly TicketStatus[]): Promise<TicketDto> {
    const current = await this.lockIn(ticketId, allowedFrom, 'retry its workflow', actorId);
    const changes = withoutUnchanged(current, { status: TicketStatus.InProgress, decision: 'pending' });
    return toStaffView(await this.write(current, actorId, changes, { note: { step: 'retry' } }));
  }

  /**
   * A failed run: the ticket goes to `error`, after its error events — the detail for staff, a plain message
   * for everybody (the workflow_update carries neither). A ticket a person closed meanwhile keeps its
   * status, and one already in `error` is not failed twice (read under the lock).
   */
  @Transactional()
  async recordWorkflowError(ticketId: string, detail: string): Promise<TicketDto> {
    const current = await this.lock(ticketId);
    if (FINAL_STATUSES.includes(current.status) || current.status === TicketStatus.Error) return toStaffView(current);
    const changes = withoutUnchanged(current, { status: TicketStatus.Error, decision: 'error' });
    return toStaffView(await this.write(current, null, changes, { events: failureEvents(detail), note: { step: 'error' } }));
  }

  /** Stores an AI suggestion on the ticket and shows it to support and admin (a staff-only workflow_update). */
  @Transactional()
  async recordSuggestion(ticketId: string, actorId: string | null, suggestion: TicketSuggestion): Promise<TicketDto> {
    const current = await this.lock(ticketId);
    const updated = await this.ticketsRepository.updateWithEvents(ticketId, { suggestion }, [{ actorId, ...suggestionEvent(snapshot(current), suggestion) }]);
    this.signalAppended();
    return toStaffView(updated);
  }

  /**
   * A step of a major incident on one of its tickets, in the caller's transaction: the ticket as written,
   * or null when it is gone or in one of `skipIn` (nothing written).
   */
  async recordIncidentStep(ticketId: string, actorId: string | null, step: IncidentStep): Promise<Ticket | null> {
    const current = await this.ticketsRepository.findByIdForUpdate(ticketId);
    if (!current || step.skipIn?.includes(current.status) || (step.joins !== undefined && current.incidentId === step.joins)) return null;
    const changes = withoutUnchanged(current, step.changes);
    const comment = step.comment === undefined ? undefined : { body: step.comment, authorId: actorId };
    if (!step.quiet) return this.write(current, actorId, changes, { events: [step.event], comment, note: { step: 'incident' } });
    if (comment) await this.ticketsRepository.insertComment({ ticketId, ...comment, internal: false });
    const event = { actorId, ...step.event };
    const updated = Object.keys(changes).length > 0 ? await this.ticketsRepository.updateWithEvents(ticketId, changes, [event]) : current;
    if (updated === current) await this.ticketsRepository.appendEvent({ ticketId, ...event });
    this.signalAppended();
    return updated;
  }

  /** Locks the ticket's row for the caller's transaction (the first lock every writer of a ticket takes); returns it as locked. */
  async lockTicket(ticketId: string): Promise<TicketDto> {
    return toStaffView(await this.lock(ticketId));
  }

  /** Like lockTicket, for work derived from the trail: false (nothing locked) when the ticket is gone. */
  async lockIfExists(ticketId: string): Promise<boolean> {
    return (await this.ticketsRepository.findByIdForUpdate(ticketId)) !== null;
  }

  /** Tells the event pump and the projections that rows were appended, once they are committed. */
  private signalAppended(): void {
    this.afterCommit.run(() => this.signals.emit(TICKET_EVENTS_APPENDED));
  }

  /** Locks a ticket a staff command acts on: never one the actor filed, and only in the statuses the command allows. */
  private async lockIn(ticketId: string, allowed: readonly TicketStatus[], what: 'ask the requester' | 'retry its workflow', actorId: string): Promise<Ticket> {
    const current = await this.lock(ticketId);
    assertNotOwnRequest(current, actorId, what === 'ask the requester' ? 'ask the requester on' : 'retry the workflow of');
    if (!allowed.includes(current.status)) {
      throw new ConflictException(`Cannot ${what} while the ticket is ${current.status}; that is possible when it is ${allowed.join(' or ')}`);
    }
    return current;
  }

  private async lockUnderClaim(ticketId: string, fence: number): Promise<Ticket> {
    const ticket = await this.ticketsRepository.findByIdForUpdateUnderClaim(ticketId, fence);
    if (!ticket) throw new StaleClaimError(ticketId);
    return ticket;
  }

  private async lock(ticketId: string): Promise<Ticket> {
    const ticket = await this.ticketsRepository.findByIdForUpdate(ticketId);
    if (!ticket) throw new NotFoundException(`Ticket ${ticketId} not found`);
    return ticket;
  }

  /**
   * Writes the changes with their events: the status follows the transition table (409 otherwise),
   * next_action follows the status, and the stream shows a workflow_update. Nothing to change and nothing
   * to say records nothing.
   */
  private async write(current: Ticket, actorId: string | null, changes: TicketChanges, options: WriteOptions): Promise<Ticket> {
    if (Object.keys(changes).length === 0 && options.comment === undefined && !options.events?.length) return current;
    if (changes.status !== undefined) {
      if (!canTransition(current.status, changes.status)) {
        throw new ConflictException(
          `Cannot move a ticket from ${current.status} to ${changes.status}; from ${current.status} it can go to: ${allowedNextStatuses(current.status).join(', ')}`,
        );
      }
      changes.nextAction = NEXT_ACTION[changes.status];
    }
    const ticketId = current.id;
    const events = eventsOfChange(current, changes, actorId, options);
    if (options.comment) await this.ticketsRepository.insertComment({ ticketId, authorId: options.comment.authorId, body: options.comment.body, internal: false });
    // The change and its events in one statement; with nothing to change, the events alone.
    let updated = current;
    if (Object.keys(changes).length > 0) updated = await this.ticketsRepository.updateWithEvents(ticketId, changes, events);
    else await this.ticketsRepository.appendEvents(events.map((event) => ({ ticketId, ...event })));
    this.signalAppended();
    this.afterCommit.run(() => this.signals.emit(TICKET_UPDATED, { ticketId, status: updated.status, actorId, decision: updated.decision, text: textOf(updated) } satisfies TicketUpdatedSignal));
    return updated;
  }
}

/** The ticket fields every workflow_update carries (the Local IT Support API shows status and decision). */
export function snapshot(ticket: Ticket): Record<string, unknown> {
  return {
    status: ticket.status,
    decision: ticket.decision,
    plan_summary: ticket.planSummary,
    next_action: ticket.nextAction,
    priority: ticket.priority,
    category: ticket.category,
    assignee_id: ticket.assigneeId,
  };
}

/**
 * The events a change brings (a hil_response, a failure's), then its workflow_update, which describes the
 * ticket as the change leaves it.
 */
function eventsOfChange(current: Ticket, changes: TicketChanges, actorId: string | null, options: Pick<WriteOptions, 'events' | 'note' | 'comment'>) {
  return [
    ...(options.events ?? []).map((event) => ({ actorId, ...event })),
    {
      type: TicketEventType.WorkflowUpdate,
      actorId,
      staffOnly: false,
      payload: {
        ...snapshot({ ...current, ...changes } as Ticket),
        change: 'updated',
        changes: describeChanges(current, changes),
        ...(options.comment ? { comment: options.comment.body } : {}),
        ...options.note,
      },
    },
  ];
}

function textOf(ticket: Ticket): TicketText {
  return { title: ticket.title, description: ticket.description, resolution: ticket.resolution };
}

/** The fields a change may touch, from the staff view of a ticket. */
function asTicket(ticket: TicketDto): Ticket {
  return {
    id: ticket.ticket_id,
    status: ticket.status,
    priority: ticket.priority,
    category: ticket.category,
    assigneeId: ticket.assignee_id,
    decision: ticket.decision,
    planSummary: ticket.plan_summary,
    resolution: ticket.resolution,
    nextAction: ticket.next_action,
  } as Ticket;
}

function withoutUnchanged(current: Ticket, requested: TicketChanges): TicketChanges {
  const changes: TicketChanges = {};
  for (const [key, value] of Object.entries(requested) as Array<[keyof TicketChanges, unknown]>) {
    if (value !== undefined && current[key] !== value) (changes as Record<string, unknown>)[key] = value;
  }
  return changes;
}

const FIELD_NAMES: Record<string, string> = { assigneeId: 'assignee_id', planSummary: 'plan_summary', nextAction: 'next_action', incidentId: 'incident_id' };

function describeChanges(before: Ticket, changes: TicketChanges): Record<string, { from: unknown; to: unknown }> {
  return Object.fromEntries(Object.entries(changes).map(([key, to]) => [FIELD_NAMES[key] ?? key, { from: before[key as keyof Ticket], to }]));
}
