// Approval requests: raised when the workflow pauses for an approval, bound to the plan they show, timed by
// the default SLA policy's approval settings for the ticket's request type (business time of its calendar),
// settled once — by a person, or by the expiry — and raised again when the plan changes while they wait.
import { BadRequestException, ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { Transactional } from '@nestjs-cls/transactional';
import type { AuthUser } from '../auth/auth-user';
import { parseIsoDuration } from '../sla/iso-duration';
import { ApprovalRulesDto, DEFAULT_APPROVAL_SETTINGS } from '../sla/dto/approval-settings.dto';
import { SlaEvaluator } from '../sla/sla-evaluator';
import { PolicyRow, SlaPoliciesRepository } from '../sla/sla-policies.repository';
import type { TicketDto } from '../tickets/dto/ticket.dto';
import { TicketEventType } from '../tickets/ticket-events';
import { TicketWriter } from '../tickets/ticket-writer.service';
import { TicketsService } from '../tickets/tickets.service';
import { Role } from '../users/role.enum';
import { UsersService } from '../users/users.service';
import { ApprovalSettledError, PlanChangedError } from './approval-errors';
import { approvalPlan, planHash } from './approval-plan';
import { ApprovalListDto, ApprovalsQueryDto, CreateDelegationDto, DelegationDto, DelegationListDto, toApprovalDto, toDelegationDto } from './dto/approval.dto';
import { ApprovalRow, ApprovalsRepository, NewApproval } from './approvals.repository';

/** A delegation covers at most this long: an absence, not a standing transfer. */
const MAX_DELEGATION_DAYS = 366;
/** Delegations not yet ended that one person may have given: enough for a year of planned absences. */
export const MAX_OPEN_DELEGATIONS = 10;
/** How far a start may lie in the past: a client's clock a little behind ours. */
const START_TOLERANCE_MS = 60_000;

/** A decision on the request a run's pause raised: a person's, or the expiry's (`expired`). */
export interface ApprovalDecision {
  /** The pause (interrupt) the request was raised for. */
  pendingId: string;
  approval: boolean | null;
  /** Null for an expiry. */
  responderId: string | null;
  expired: boolean;
}

@Injectable()
export class ApprovalsService {
  constructor(
    private readonly approvalsRepository: ApprovalsRepository,
    private readonly slaPoliciesRepository: SlaPoliciesRepository,
    private readonly evaluator: SlaEvaluator,
    private readonly ticketsService: TicketsService,
    private readonly ticketWriter: TicketWriter,
    private readonly usersService: UsersService,
  ) {}

  /**
   * The run paused for an approval (`pendingId`) with the steps it drafted: its request, once per pause (a
   * segment that runs again finds it raised).
   */
  async requested(ticket: TicketDto, pendingId: string, steps: string[]): Promise<void> {
    const ticketId = ticket.ticket_id;
    const open = await this.approvalsRepository.findPending(ticketId);
    if (open?.pending_id === pendingId) return;
    // A request of an earlier pause that nobody settled (its ticket was closed and reopened, say) is over.
    if (open) await this.approvalsRepository.settle(open.id, 'closed', null);
    await this.raise(ticketId, pendingId, approvalPlan(ticket, steps), null);
  }

  /**
   * Settles the open request a decision is for, after the ticket's lock: 409 when it was settled first (an
   * expiry, another approver) or its plan is not the one the approver read.
   */
  async settle(ticketId: string, decision: ApprovalDecision, planHashRead: string | undefined, locked?: TicketDto): Promise<void> {
    const state = decision.expired ? 'expired' : decision.approval ? 'approved' : 'denied';
    // Checked and settled in one statement; a refusal below throws, which rolls the caller's transaction back.
    const latest = await this.approvalsRepository.settleLatestFor(ticketId, decision.pendingId, {
      state,
      decidedBy: decision.responderId,
      onlyIfDue: decision.expired,
      planHash: planHashRead ?? null,
    });
    // Paused before approvals had requests (an upgrade): nothing to settle.
    if (!latest) return;
    const { request, settled } = latest;
    if (request.state !== 'pending') {
      throw new ApprovalSettledError(`This approval request was ${request.state}${request.decided_at ? ` at ${new Date(request.decided_at).toISOString()}` : ''}: nothing was changed`);
    }
    if (planHashRead !== undefined && planHashRead !== request.plan_hash) {
      throw new PlanChangedError(
        `The plan changed since you read it: approval request ${request.id} is for the current plan (plan_hash ${request.plan_hash}); read it (GET /api/v1/approvals) and decide again`,
      );
    }
    // The request is raised again by a projection moments after a change of its plan; a decision arriving
    // before that must not approve what the approver no longer sees.
    if (!decision.expired && (await this.planChanged(ticketId, request, locked))) {
      throw new PlanChangedError(
        `The plan changed since approval request ${request.id} was raised: a request for the current plan is being raised; read it (GET /api/v1/approvals) in a moment and decide again`,
      );
    }
    if (!settled) throw new ApprovalSettledError('This approval request was settled a moment ago: nothing was changed');
  }

  /** GET /approvals: what waits for a decision (`mine`: for the viewer), oldest first, with time left. */
  async list(viewer: AuthUser, query: ApprovalsQueryDto): Promise<ApprovalListDto> {
    const rows = await this.approvalsRepository.listWaiting(viewer.id, query.mine, query.limit, query.ticket_id ?? null);
    const now = new Date();
    return { approvals: rows.map((row) => toApprovalDto(row, now)), count: rows.length };
  }

  // ---- delegations

  @Transactional()
  async delegate(delegator: AuthUser, dto: CreateDelegationDto): Promise<DelegationDto> {
    if (dto.delegate_id === delegator.id) throw new BadRequestException('delegate_id must be another support user: you cannot delegate to yourself');
    const startsAt = dto.starts_at ?? new Date();
    const endsAt = dto.ends_at;
    if (startsAt.getTime() < Date.now() - START_TOLERANCE_MS) throw new BadRequestException('starts_at must not be in the past: a delegation starts now (leave it out) or later');
    if (endsAt <= startsAt) throw new BadRequestException('ends_at must be after starts_at');
    if (endsAt.getTime() <= Date.now()) throw new BadRequestException('ends_at must be in the future');
    if (endsAt.getTime() - startsAt.getTime() > MAX_DELEGATION_DAYS * 24 * 3600 * 1000) throw new BadRequestException(`A delegation may last at most ${MAX_DELEGATION_DAYS} days`);
    const delegate = await this.usersService.findActive(dto.delegate_id);
    if (!delegate || (delegate.role !== Role.Support && delegate.role !== Role.Admin)) {
      throw new BadRequestException('delegate_id must be an active support or admin user');
    }
    await this.approvalsRepository.lockDelegationsOf([delegator.id, dto.delegate_id]);
    if ((await this.approvalsRepository.countOpenDelegationsFrom(delegator.id)) >= MAX_OPEN_DELEGATIONS) {
      throw new ConflictException(`You have ${MAX_OPEN_DELEGATIONS} delegations that have not ended, the most one may give; end one first`);
    }
    // Two people each standing in for the other at once would each decide what waits for themselves.
    const reverse = await this.approvalsRepository.findOverlappingDelegation(dto.delegate_id, delegator.id, startsAt, endsAt);
    if (reverse) {
      throw new ConflictException(
        `${dto.delegate_id} delegates to you from ${new Date(reverse.starts_at).toISOString()} to ${new Date(reverse.ends_at).toISOString()} (delegation ${reverse.id}): a delegation back to them may not overlap it`,
      );
    }
    const row = await this.approvalsRepository.insertDelegation({ delegator_id: delegator.id, delegate_id: dto.delegate_id, starts_at: startsAt, ends_at: endsAt });
    return toDelegationDto(row);
  }

  async listDelegations(user: AuthUser): Promise<DelegationListDto> {
    return { delegations: (await this.approvalsRepository.listDelegations(user.id)).map(toDelegationDto) };
  }

  /** The delegator (or an admin) ends a delegation. */
  async revokeDelegation(user: AuthUser, id: string): Promise<void> {
    const delegation = await this.approvalsRepository.findDelegation(id);
    if (!delegation) throw new NotFoundException(`Delegation ${id} not found`);
    if (delegation.delegator_id !== user.id && user.role !== Role.Admin) throw new ForbiddenException('Only who delegated (or an admin) may end a delegation');
    await this.approvalsRepository.deleteDelegation(id);
  }

  /** The next request whose reminder or expiry is due, its ticket locked (SKIP LOCKED: another instance may have it). */
  claimDue(): Promise<ApprovalRow | null> {
    return this.approvalsRepository.claimDue();
  }

  /** The run no longer waits for the request (its ticket was closed by hand): it is over. */
  async close(request: ApprovalRow): Promise<void> {
    await this.approvalsRepository.settle(request.id, 'closed', null);
  }

  /** Announces a reminder, once; false when it was sent already (another instance) or the request is settled. */
  async remind(request: ApprovalRow, now: Date): Promise<boolean> {
    const sent = request.reminders_sent + 1;
    const next = request.reminder_times[sent] ?? request.due_at;
    if (!(await this.approvalsRepository.markReminded(request.id, sent, next ? new Date(next) : null))) return false;
    const ticket = await this.ticketsService.findById(request.ticket_id);
    const approverId = ticket?.assignee_id ?? null;
    await this.announce(request.ticket_id, TicketEventType.ApprovalReminder, {
      approval_id: request.id,
      reminder: sent,
      reminders: request.reminder_times.length,
      due_at: request.due_at ? new Date(request.due_at).toISOString() : null,
      seconds_left: request.due_at ? Math.max(0, Math.round((new Date(request.due_at).getTime() - now.getTime()) / 1000)) : null,
      approver_id: approverId,
      delegate_ids: approverId ? await this.approvalsRepository.activeDelegates(approverId) : [],
    });
    return true;
  }

  /** The expiry's own event, in the transaction that applies it. */
  async announceExpiry(request: ApprovalRow, now: Date): Promise<void> {
    await this.announce(request.ticket_id, TicketEventType.ApprovalExpired, {
      approval_id: request.id,
      due_at: request.due_at ? new Date(request.due_at).toISOString() : null,
      seconds_over: request.due_at ? Math.max(0, Math.round((now.getTime() - new Date(request.due_at).getTime()) / 1000)) : null,
      on_expiry: request.on_expiry,
    });
  }

  /** The rules an approval of this request type waits by, under the default policy. */
  async rulesFor(requestType: string): Promise<{ policy: PolicyRow | null; rules: ApprovalRulesDto }> {
    const policy = await this.slaPoliciesRepository.findDefaultPolicy();
    const settings = policy?.approvals ?? DEFAULT_APPROVAL_SETTINGS;
    const byType = settings.request_types as Record<string, ApprovalRulesDto | undefined>;
    return { policy, rules: byType[requestType] ?? settings.default };
  }

  /**
   * A change of the ticket while its approval waits may change the plan the approver is shown: then the
   * request is superseded by one for the current plan. Called under the ticket's lock; idempotent.
   */
  async raiseAgainIfPlanChanged(ticketId: string): Promise<void> {
    const open = await this.approvalsRepository.findPending(ticketId);
    if (!open) return;
    const ticket = await this.ticketsService.findById(ticketId);
    if (!ticket) return;
    const plan = approvalPlan(ticket, open.plan.steps);
    if (planHash(plan) === open.plan_hash) return;
    await this.raise(ticketId, open.pending_id, plan, open);
  }

  /** `locked`: the ticket as its caller read it under its lock (else it is read here). */
  private async planChanged(ticketId: string, request: ApprovalRow, locked?: TicketDto): Promise<boolean> {
    const ticket = locked ?? (await this.ticketsService.findById(ticketId));
    return ticket !== null && planHash(approvalPlan(ticket, request.plan.steps)) !== request.plan_hash;
  }

  /** A new request (superseding `previous`, whose plan changed): due time and reminders counted from now. */
  private async raise(ticketId: string, pendingId: string, plan: ReturnType<typeof approvalPlan>, previous: ApprovalRow | null): Promise<void> {
    const { policy, rules } = await this.rulesFor(plan.request_type);
    const calendar = await this.evaluator.calendarFor(policy);
    const now = new Date();
    const dueAt = rules.due === null ? null : calendar.addWorkingSeconds(now, parseIsoDuration(rules.due));
    const reminderTimes = (rules.reminders ?? [])
      .map((offset) => calendar.addWorkingSeconds(now, parseIsoDuration(offset)))
      .filter((at) => dueAt === null || at < dueAt)
      .sort((a, b) => a.getTime() - b.getTime());
    if (previous) await this.approvalsRepository.settle(previous.id, 'superseded', null);
    const approval: NewApproval = {
      ticket_id: ticketId,
      pending_id: pendingId,
      plan,
      plan_hash: planHash(plan),
      policy_id: policy?.policy_id ?? null,
      policy_version: policy?.version ?? null,
      on_expiry: rules.on_expiry === 'approve' && !rules.low_risk ? 'escalate' : rules.on_expiry,
      requested_at: now,
      due_at: dueAt,
      reminder_times: reminderTimes,
      next_timer_at: reminderTimes[0] ?? dueAt,
    };
    const row = await this.approvalsRepository.insert(approval);
    await this.announce(ticketId, TicketEventType.ApprovalRequested, {
      approval_id: row.id,
      plan_hash: row.plan_hash,
      due_at: dueAt?.toISOString() ?? null,
      reminders: reminderTimes.map((at) => at.toISOString()),
      on_expiry: row.on_expiry,
      ...(previous ? { reason: 'plan_changed', supersedes: previous.id } : {}),
    });
  }

  private async announce(ticketId: string, type: TicketEventType, payload: Record<string, unknown>): Promise<void> {
    await this.ticketWriter.announce(ticketId, [{ type, payload }]);
  }
}
