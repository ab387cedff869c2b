// Re-derives a ticket's service levels from its audit trail — on every change of the ticket (in the same
// transaction) and when one of its timers is due — stores the result for the queue, announces each
// change of state on the ticket's stream, and keeps exactly the timers that can fire next. A count that
// fails (a policy whose targets its calendar cannot reach) marks the ticket's service levels unknown and
// is logged: a derived figure never fails the change of the ticket it describes.
import { Injectable, Logger } from '@nestjs/common';
import { TicketEventType } from '../tickets/ticket-events';
import type { TicketSlaState } from '../tickets/ticket.entity';
import { TicketWriter } from '../tickets/ticket-writer.service';
import { BusinessCalendar } from './business-calendar';
import { parseIsoDuration } from './iso-duration';
import { policyDurations, unreachableDurations } from './policy-reach';
import { MetricState, replayMetric } from './sla-clock';
import { firstResponseAt, SLA_METRICS, SlaMetric, statusHistory, WITH_INCIDENT } from './sla-metrics';
import { CalendarRow, PolicyRow, SlaPoliciesRepository } from './sla-policies.repository';
import { DueTimer, TicketSlaRepository, TicketSlaRow, TicketTrail } from './ticket-sla.repository';

/** The policy a ticket is measured by, ready to count with. */
export interface ActivePolicy {
  policy: PolicyRow;
  calendar: BusinessCalendar;
  /** null: around the clock. */
  calendarRow: CalendarRow | null;
}

/** A change of a metric's state, to announce: when it happened, and its event. */
interface Crossing {
  at: Date;
  type: TicketEventType;
  payload: Record<string, unknown>;
}

export interface EvaluatedMetric {
  metric: SlaMetric;
  state: MetricState;
}

const AROUND_THE_CLOCK = BusinessCalendar.aroundTheClock();

@Injectable()
export class SlaEvaluator {
  private readonly logger = new Logger(SlaEvaluator.name);
  private readonly calendars = new Map<string, BusinessCalendar>();

  constructor(
    private readonly slaPoliciesRepository: SlaPoliciesRepository,
    private readonly ticketSlaRepository: TicketSlaRepository,
    private readonly ticketWriter: TicketWriter,
  ) {}

  /** The default policy with its calendar; null only if an admin retired every policy. */
  async activePolicy(): Promise<ActivePolicy | null> {
    const policy = await this.slaPoliciesRepository.findDefaultPolicy();
    return policy ? this.withCalendar(policy) : null;
  }

  /** Any policy with its calendar, ready to count with (a simulation's). */
  async withCalendar(policy: PolicyRow): Promise<ActivePolicy> {
    const calendarRow = await this.calendarRowOf(policy);
    return { policy, calendar: this.calendarOf(calendarRow), calendarRow };
  }

  /** The calendar a policy counts in (around the clock without one, or without a policy). */
  async calendarFor(policy: Pick<PolicyRow, 'calendar_id'> | null): Promise<BusinessCalendar> {
    return this.calendarOf(await this.calendarRowOf(policy));
  }

  /** The default policy as the ticket's trail was read with it (one round trip for both). */
  activeFor(trail: { policy: PolicyRow | null; calendar: CalendarRow | null }): ActivePolicy | null {
    return trail.policy ? { policy: trail.policy, calendar: this.calendarOf(trail.calendar), calendarRow: trail.calendar } : null;
  }

  private async calendarRowOf(policy: Pick<PolicyRow, 'calendar_id'> | null): Promise<CalendarRow | null> {
    return policy?.calendar_id ? this.slaPoliciesRepository.findCalendar(policy.calendar_id) : null;
  }

  /** One instance per calendar version: a calendar caches the working stretches of the days it has counted. */
  private calendarOf(row: CalendarRow | null): BusinessCalendar {
    if (!row) return AROUND_THE_CLOCK;
    const key = `${row.id}:${new Date(row.updated_at).getTime()}`;
    let calendar = this.calendars.get(key);
    if (!calendar) {
      if (this.calendars.size >= 50) this.calendars.clear();
      calendar = new BusinessCalendar({ time_zone: row.time_zone, working_hours: row.working_hours, holidays: row.holidays });
      this.calendars.set(key, calendar);
    }
    return calendar;
  }

  /** The ticket's metrics now, replayed from its trail (nothing stored, nothing announced). */
  measure(trail: TicketTrail, active: ActivePolicy, now: Date): EvaluatedMetric[] {
    const { policy, calendar } = active;
    const history = statusHistory(trail.events);
    return SLA_METRICS.map((metric) => {
      const stopAt = metric === 'first_response' ? firstResponseAt(trail.events, trail.ticket.requester_id, policy.first_response) : null;
      const state = replayMetric(
        calendar,
        history,
        {
          targetSeconds: parseIsoDuration(policy.targets[trail.ticket.priority][metric]),
          pauseStatuses: [...policy.pause_statuses, WITH_INCIDENT],
          stopStatuses: policy.stop_statuses,
          warningThresholds: policy.warning_thresholds,
          stopAt,
        },
        now,
      );
      return { metric, state };
    });
  }

  /**
   * Evaluates the ticket in the caller's transaction: its row is locked, so evaluations of one ticket take
   * turns across instances, and each crossing is announced once (a fired timer is never fired again).
   */
  async evaluate(ticketId: string, now = new Date()): Promise<void> {
    // The ticket's lock first, in a statement of its own: a read that waits for the lock inside its own
    // statement would see the stored clocks as they were before the holder (another evaluation) committed,
    // and announce its crossings again.
    if (!(await this.ticketWriter.lockIfExists(ticketId))) return;
    const trail = await this.ticketSlaRepository.findTicketTrail(ticketId, false);
    if (!trail?.policy) return;
    // Events carry the database's clock; one a moment ahead of ours must still count (a replay ignores the future).
    const latest = trail.events.at(-1)?.at.getTime() ?? 0;
    if (latest >= now.getTime()) now = new Date(latest + 1);
    let active: ActivePolicy;
    let measured: EvaluatedMetric[];
    let timers: DueTimer[];
    try {
      active = this.activeFor(trail)!;
      measured = this.measure(trail, active, now);
      timers = measured.flatMap(({ metric, state }) => this.nextTimers(metric, state, active, now));
    } catch (error) {
      // Only the pure count failed (no statement did), so the caller's transaction commits the change itself.
      const reason = this.unknownReason(error, trail.policy, trail.calendar, trail.ticket.priority, now);
      this.logger.error(`The service levels of ticket ${ticketId} are unknown: ${reason}`, error instanceof Error ? error.stack : undefined);
      await this.ticketSlaRepository.saveUnknown(ticketId);
      return;
    }
    const stored = new Map(trail.stored.map((row) => [row.metric, row]));
    const crossings: Crossing[] = [];
    for (const { metric, state } of measured) crossings.push(...(await this.crossings(ticketId, metric, state, stored.get(metric), now)));
    // In the order they happened, whichever metric: one look may find several crossed since the last.
    crossings.sort((a, b) => a.at.getTime() - b.at.getTime());
    await this.ticketWriter.announce(ticketId, crossings);
    const states = measured.map((entry) => entry.state);
    await this.ticketSlaRepository.saveEvaluation(ticketId, measured.map(({ metric, state }) => rowOf(ticketId, metric, active.policy, state, now)), summaryOf(states), nearestDue(states), timers);
  }

  /**
   * Why a policy cannot measure a ticket of `priority`, for support: the targets of that priority its
   * calendar cannot reach, or else what the count ran into.
   */
  unknownReason(error: unknown, policy: PolicyRow, calendarRow: CalendarRow | null, priority: string, now: Date): string {
    let unreachable: string[] = [];
    try {
      unreachable = unreachableDurations(policyDurations(policy), calendarRow && this.calendarOf(calendarRow), calendarRow?.name ?? '', now);
    } catch {
      // The calendar or a duration itself cannot be read: the error says which.
    }
    const own = unreachable.filter((problem) => problem.startsWith(`targets.${priority}.`));
    const detail = own.length ? own.join('; ') : error instanceof Error ? error.message : String(error);
    return `policy “${policy.name}” (version ${policy.version}) cannot be counted: ${detail}`;
  }

  /** What changed since the stored evaluation, as events: pauses, resumptions, warnings, a breach, a met target. */
  private async crossings(ticketId: string, metric: SlaMetric, state: MetricState, before: TicketSlaRow | undefined, now: Date): Promise<Crossing[]> {
    const crossings: Crossing[] = [];
    const base = { metric, due_at: state.dueAt?.toISOString() ?? null, target_seconds: state.targetSeconds };
    const left = { seconds_left: Math.max(0, Math.floor(state.remainingSeconds)) };
    const wasState = before?.state ?? 'running';
    const lastPause = state.pauses.at(-1);
    if (state.state === 'paused' && wasState !== 'paused') crossings.push({ at: lastPause?.from ?? now, type: TicketEventType.SlaPaused, payload: { ...base, ...left } });
    if (state.state === 'running' && wasState === 'paused') crossings.push({ at: lastPause?.to ?? now, type: TicketEventType.SlaResumed, payload: { ...base, ...left } });
    for (const warning of state.warnings) {
      if (await this.ticketSlaRepository.fireOnce(ticketId, metric, 'warning', warning.threshold, warning.at)) {
        crossings.push({ at: warning.at, type: TicketEventType.SlaWarning, payload: { ...base, threshold: warning.threshold, crossed_at: warning.at.toISOString(), ...left } });
      }
    }
    if (state.breachedAt && (await this.ticketSlaRepository.fireOnce(ticketId, metric, 'breach', 1, state.breachedAt))) {
      const payload = { ...base, breached_at: state.breachedAt.toISOString(), seconds_over: Math.max(0, Math.floor(-state.remainingSeconds)) };
      crossings.push({ at: state.breachedAt, type: TicketEventType.SlaBreached, payload });
    }
    if (state.state === 'met' && wasState !== 'met') crossings.push({ at: state.metAt ?? now, type: TicketEventType.SlaMet, payload: { ...base, met_at: state.metAt?.toISOString() ?? null, ...left } });
    return crossings;
  }

  /** Only a running clock has something due: its next warning and its breach, when it keeps running. */
  private nextTimers(metric: SlaMetric, state: MetricState, active: ActivePolicy, now: Date): DueTimer[] {
    if (state.state !== 'running' || !state.dueAt) return [];
    const crossed = new Set(state.warnings.map((warning) => warning.threshold));
    const threshold = [...active.policy.warning_thresholds].sort((a, b) => a - b).find((candidate) => !crossed.has(candidate));
    const next = state.nextWarningAt && threshold !== undefined ? [{ metric, kind: 'warning' as const, threshold, at: state.nextWarningAt }] : [];
    // A target reached exactly at the close of a working day is breached only at the next working instant:
    // a timer due before that would find nothing to fire, look after look, until then.
    const breachAt = state.dueAt > now ? state.dueAt : active.calendar.addWorkingSeconds(now, 0.001);
    return [...next, { metric, kind: 'breach' as const, threshold: 1, at: breachAt }];
  }
}

/** One word for the ticket: the worst of its metrics — breached, then at risk (a warning fired), then on track. */
function summaryOf(states: MetricState[]): TicketSlaState {
  if (states.some((state) => state.breachedAt !== null)) return 'breached';
  const open = states.filter((state) => state.state === 'running' || state.state === 'paused');
  if (open.length === 0) return 'met';
  if (open.some((state) => state.warnings.length > 0)) return 'at_risk';
  return open.every((state) => state.state === 'paused') ? 'paused' : 'on_track';
}

/** The nearest due time of a clock still open — a breached one's lies in the past, so the queue shows it first. */
function nearestDue(states: MetricState[]): Date | null {
  const open = (state: MetricState) => state.state === 'running' || (state.state === 'breached' && state.stoppedAt === null);
  const due = states.filter((state) => open(state) && state.dueAt).map((state) => state.dueAt!.getTime());
  return due.length ? new Date(Math.min(...due)) : null;
}

function rowOf(ticketId: string, metric: SlaMetric, policy: PolicyRow, state: MetricState, now: Date): TicketSlaRow {
  return {
    ticket_id: ticketId,
    metric,
    policy_id: policy.policy_id,
    policy_version: policy.version,
    state: state.state,
    consumed_seconds: Math.floor(state.consumedSeconds),
    target_seconds: state.targetSeconds,
    due_at: state.dueAt,
    met_at: state.metAt,
    breached_at: state.breachedAt,
    evaluated_at: now,
  };
}
