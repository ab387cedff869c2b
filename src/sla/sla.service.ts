// Admin's calendars and policies, and a ticket's service levels as of now.
import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { Transactional } from '@nestjs-cls/transactional';
import { randomUUID } from 'node:crypto';
import { QueryFailedError } from 'typeorm';
import { BusinessCalendar } from './business-calendar';
import { policyDurations, unreachableDurations } from './policy-reach';
import { SaveCalendarDto, SlaCalendarDto } from './dto/sla-calendar.dto';
import { SavePolicyDto, SlaPolicyDto } from './dto/sla-policy.dto';
import { TicketSlaDto } from './dto/ticket-sla.dto';
import { EvaluatedMetric, SlaEvaluator } from './sla-evaluator';
import { SlaReevaluation } from './sla-reevaluation';
import { SimulationOutcomesDto, SlaSimulationDto } from './dto/sla-simulation.dto';
import { CalendarRow, PolicyRow, SlaPoliciesRepository } from './sla-policies.repository';
import { TicketSlaRepository, TicketTrail } from './ticket-sla.repository';

const SIMULATION_PAGE = 200;

@Injectable()
export class SlaService {
  constructor(
    private readonly slaPoliciesRepository: SlaPoliciesRepository,
    private readonly ticketSlaRepository: TicketSlaRepository,
    private readonly evaluator: SlaEvaluator,
    private readonly reevaluation: SlaReevaluation,
  ) {}

  // ---- calendars

  async listCalendars(): Promise<SlaCalendarDto[]> {
    return (await this.slaPoliciesRepository.listCalendars()).map(toCalendarDto);
  }

  async getCalendar(id: string): Promise<SlaCalendarDto> {
    return toCalendarDto(await this.calendarOrThrow(id));
  }

  createCalendar(dto: SaveCalendarDto): Promise<SlaCalendarDto> {
    return conflictOnRace(() => this.insertCalendar(dto), `A calendar named “${dto.name}” exists already`);
  }

  updateCalendar(id: string, dto: SaveCalendarDto): Promise<SlaCalendarDto> {
    return conflictOnRace(() => this.replaceCalendar(id, dto), `A calendar named “${dto.name}” exists already`);
  }

  @Transactional()
  private async insertCalendar(dto: SaveCalendarDto): Promise<SlaCalendarDto> {
    await this.assertCalendar(dto, null);
    return toCalendarDto(await this.slaPoliciesRepository.insertCalendar(calendarFields(dto)));
  }

  @Transactional()
  private async replaceCalendar(id: string, dto: SaveCalendarDto): Promise<SlaCalendarDto> {
    await this.calendarOrThrow(id);
    await this.assertCalendar(dto, id);
    await this.assertPoliciesStillReachable(id, dto);
    const updated = toCalendarDto((await this.slaPoliciesRepository.updateCalendar(id, calendarFields(dto)))!);
    // Working time changed: every open ticket measured in it counts again (what each earned stays its own).
    this.reevaluation.reevaluateOpenTicketsAfterCommit();
    return updated;
  }

  @Transactional()
  async deleteCalendar(id: string): Promise<void> {
    await this.calendarOrThrow(id);
    if (await this.slaPoliciesRepository.calendarInUse(id)) throw new ConflictException(`Calendar ${id} is used by a policy (a current one or an earlier version); point the policy elsewhere first`);
    await this.slaPoliciesRepository.deleteCalendar(id);
  }

  // ---- policies

  async listPolicies(): Promise<SlaPolicyDto[]> {
    return (await this.slaPoliciesRepository.listCurrentPolicies()).map(toPolicyDto);
  }

  async getPolicy(policyId: string, version?: number): Promise<SlaPolicyDto> {
    const policy = await this.slaPoliciesRepository.findPolicy(policyId, version);
    if (!policy || (version === undefined && !policy.is_current)) throw new NotFoundException(`SLA policy ${policyId}${version ? ` version ${version}` : ''} not found`);
    return toPolicyDto(policy);
  }

  async listVersions(policyId: string): Promise<SlaPolicyDto[]> {
    const versions = await this.slaPoliciesRepository.listVersions(policyId);
    if (versions.length === 0) throw new NotFoundException(`SLA policy ${policyId} not found`);
    return versions.map(toPolicyDto);
  }

  createPolicy(dto: SavePolicyDto, adminId: string): Promise<SlaPolicyDto> {
    return conflictOnRace(() => this.insertPolicy(dto, adminId), POLICY_RACE);
  }

  /** A change is a new version; tickets are measured by the default policy's newest one from now on. */
  updatePolicy(policyId: string, dto: SavePolicyDto, adminId: string): Promise<SlaPolicyDto> {
    return conflictOnRace(() => this.addVersion(policyId, dto, adminId), POLICY_RACE);
  }

  @Transactional()
  private insertPolicy(dto: SavePolicyDto, adminId: string): Promise<SlaPolicyDto> {
    return this.saveVersion(randomUUID(), dto, adminId, false);
  }

  @Transactional()
  private async addVersion(policyId: string, dto: SavePolicyDto, adminId: string): Promise<SlaPolicyDto> {
    const current = await this.slaPoliciesRepository.findPolicy(policyId);
    if (!current?.is_current) throw new NotFoundException(`SLA policy ${policyId} not found`);
    return this.saveVersion(policyId, dto, adminId, current.is_default);
  }

  @Transactional()
  async retirePolicy(policyId: string): Promise<void> {
    const current = await this.slaPoliciesRepository.findPolicy(policyId);
    if (!current?.is_current) throw new NotFoundException(`SLA policy ${policyId} not found`);
    if (current.is_default) throw new ConflictException('This is the default policy, which every ticket is measured by; make another policy the default first');
    await this.slaPoliciesRepository.retirePolicy(policyId);
  }

  /**
   * What if: the tickets filed in the last `days` days replayed under a policy (any, not only the default),
   * counting how many would have met or breached each target. Nothing is stored.
   */
  async simulate(policyId: string, days: number): Promise<SlaSimulationDto> {
    const policy = await this.slaPoliciesRepository.findPolicy(policyId);
    if (!policy?.is_current) throw new NotFoundException(`SLA policy ${policyId} not found`);
    const active = await this.evaluator.withCalendar(policy);
    const now = new Date();
    // Saved before targets were checked against the calendar, or the calendar changed past the API: say so, not 500.
    const unreachable = unreachableDurations(policyDurations(policy), policy.calendar_id ? active.calendar : null, active.calendarRow?.name ?? '', now);
    if (unreachable.length) throw new ConflictException(`Policy “${policy.name}” cannot be simulated: ${unreachable.join('; ')}`);
    const since = new Date(now.getTime() - days * 86_400_000);
    const empty = (): SimulationOutcomesDto => ({ first_response: { met: 0, breached: 0, running: 0, paused: 0 }, resolution: { met: 0, breached: 0, running: 0, paused: 0 } });
    const outcomes = empty();
    const byPriority = { critical: empty(), high: empty(), medium: empty(), low: empty() };
    let tickets = 0;
    let after: string | null = null;
    for (;;) {
      const trails: TicketTrail[] = await this.ticketSlaRepository.trailsFiledSince(since, after, SIMULATION_PAGE);
      for (const trail of trails) {
        tickets++;
        for (const { metric, state } of this.evaluator.measure(trail, active, now)) {
          outcomes[metric][state.state]++;
          byPriority[trail.ticket.priority][metric][state.state]++;
        }
      }
      if (trails.length < SIMULATION_PAGE) break;
      after = trails.at(-1)!.ticket.id;
    }
    return { policy: { policy_id: policy.policy_id, version: policy.version, name: policy.name }, window_days: days, tickets, evaluated_at: now.toISOString(), outcomes, by_priority: byPriority };
  }

  // ---- tickets

  /** The ticket's clocks read now from its audit trail (stored evaluations may be a poll behind). */
  async ticketSla(ticketId: string): Promise<TicketSlaDto> {
    const trail = await this.ticketSlaRepository.findTicketTrail(ticketId, false);
    if (!trail) throw new NotFoundException(`Ticket ${ticketId} not found`);
    const { policy } = trail;
    if (!policy) throw new ConflictException('No SLA policy is the default one');
    const now = new Date();
    const iso = (date: Date | null) => date?.toISOString() ?? null;
    const read = { ticket_id: ticketId, policy: { policy_id: policy.policy_id, version: policy.version, name: policy.name, calendar_id: policy.calendar_id }, evaluated_at: now.toISOString() };
    let measured: EvaluatedMetric[];
    try {
      measured = this.evaluator.measure(trail, this.evaluator.activeFor(trail)!, now);
    } catch (error) {
      return { ...read, metrics: [], unknown_reason: this.evaluator.unknownReason(error, policy, trail.calendar, trail.ticket.priority, now) };
    }
    return {
      ...read,
      unknown_reason: null,
      metrics: measured.map(({ metric, state }) => ({
        metric,
        state: state.state,
        target: policy.targets[trail.ticket.priority][metric],
        target_seconds: state.targetSeconds,
        consumed_seconds: Math.floor(state.consumedSeconds),
        remaining_seconds: Math.floor(state.remainingSeconds),
        due_at: iso(state.dueAt),
        started_at: state.startedAt.toISOString(),
        stopped_at: iso(state.stoppedAt),
        met_at: iso(state.metAt),
        breached_at: iso(state.breachedAt),
        warnings: state.warnings.map((warning) => ({ threshold: warning.threshold, at: warning.at.toISOString() })),
        next_warning_at: iso(state.nextWarningAt),
        pauses: state.pauses.map((pause) => ({ from: pause.from.toISOString(), to: iso(pause.to) })),
      })),
    };
  }

  private async saveVersion(policyId: string, dto: SavePolicyDto, adminId: string, wasDefault: boolean): Promise<SlaPolicyDto> {
    const overlap = dto.pause_statuses.filter((status) => dto.stop_statuses.includes(status));
    if (overlap.length) throw new BadRequestException(`A status cannot both pause and stop the clock: ${overlap.join(', ')}`);
    const autoApproved = Object.entries({ default: dto.approvals.default, ...dto.approvals.request_types }).filter(([, rules]) => rules?.on_expiry === 'approve' && !rules.low_risk);
    if (autoApproved.length) {
      throw new BadRequestException(`An expiry may approve only a request type an admin marks low_risk: set low_risk on ${autoApproved.map(([type]) => type).join(', ')}, or choose escalate or deny`);
    }
    if (dto.stop_statuses.length === 0) throw new BadRequestException('stop_statuses must name at least one status (resolved, say): a clock nothing stops would run for ever');
    const calendar = dto.calendar_id ? await this.slaPoliciesRepository.findCalendar(dto.calendar_id) : null;
    if (dto.calendar_id && !calendar) throw new BadRequestException(`calendar_id ${dto.calendar_id} is not a calendar`);
    const unreachable = unreachableDurations(policyDurations(dto), calendar && new BusinessCalendar(calendar), calendar?.name ?? '', new Date());
    if (unreachable.length) throw new BadRequestException(unreachable);
    if (await this.slaPoliciesRepository.policyNameTaken(dto.name, policyId)) throw new ConflictException(`A policy named “${dto.name}” exists already`);
    const isDefault = dto.is_default ?? wasDefault;
    if (wasDefault && !isDefault) throw new ConflictException('Every install has a default policy: make another one the default instead');
    const saved = await this.slaPoliciesRepository.insertPolicyVersion({
      policy_id: policyId,
      name: dto.name,
      calendar_id: dto.calendar_id ?? null,
      targets: dto.targets as unknown as PolicyRow['targets'],
      pause_statuses: dto.pause_statuses,
      stop_statuses: dto.stop_statuses,
      warning_thresholds: [...dto.warning_thresholds].sort((a, b) => a - b),
      first_response: dto.first_response,
      approvals: dto.approvals,
      is_default: isDefault,
      created_by: adminId,
    });
    if (isDefault) this.reevaluation.reevaluateOpenTicketsAfterCommit();
    return toPolicyDto(saved);
  }

  private async calendarOrThrow(id: string): Promise<CalendarRow> {
    const calendar = await this.slaPoliciesRepository.findCalendar(id);
    if (!calendar) throw new NotFoundException(`SLA calendar ${id} not found`);
    return calendar;
  }

  /** A calendar changed so that a current policy counting in it could no longer reach its targets is refused (400). */
  private async assertPoliciesStillReachable(id: string, dto: SaveCalendarDto): Promise<void> {
    const policies = await this.slaPoliciesRepository.listCurrentPoliciesIn(id);
    if (policies.length === 0) return;
    const calendar = new BusinessCalendar(calendarFields(dto));
    const now = new Date();
    const problems = policies.flatMap((policy) => unreachableDurations(policyDurations(policy), calendar, dto.name, now).map((problem) => `policy “${policy.name}”: ${problem}`));
    if (problems.length) throw new BadRequestException(problems);
  }

  private async assertCalendar(dto: SaveCalendarDto, exceptId: string | null): Promise<void> {
    const problems = BusinessCalendar.validate(calendarFields(dto));
    if (problems.length) throw new BadRequestException(problems);
    if (await this.slaPoliciesRepository.calendarNameTaken(dto.name, exceptId)) throw new ConflictException(`A calendar named “${dto.name}” exists already`);
  }
}

/** The calendar as stored: plain data, and only the weekdays the request named (a DTO carries the others as undefined). */
const POLICY_RACE = 'Another change of SLA policies (the same name, or a new default) was saved at the same time; look at the policies and try again';
const UNIQUE_VIOLATION = '23505';

/** Two admins saving at once: the unique indexes decide, and the loser is told so (409), not a 500. */
async function conflictOnRace<T>(work: () => Promise<T>, message: string): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === UNIQUE_VIOLATION) throw new ConflictException(message);
    throw error;
  }
}

function calendarFields(dto: SaveCalendarDto): Omit<CalendarRow, 'id' | 'created_at' | 'updated_at'> {
  const working_hours = Object.fromEntries(
    Object.entries(dto.working_hours)
      .filter(([, intervals]) => intervals !== undefined)
      .map(([day, intervals]) => [day, (intervals as Array<{ start: string; end: string }>).map(({ start, end }) => ({ start, end }))]),
  );
  return { name: dto.name, time_zone: dto.time_zone, working_hours, holidays: dto.holidays ?? [] };
}

function toCalendarDto(row: CalendarRow): SlaCalendarDto {
  return {
    calendar_id: row.id,
    name: row.name,
    time_zone: row.time_zone,
    working_hours: row.working_hours,
    holidays: row.holidays,
    created_at: new Date(row.created_at).toISOString(),
    updated_at: new Date(row.updated_at).toISOString(),
  };
}

function toPolicyDto(row: PolicyRow): SlaPolicyDto {
  return {
    policy_id: row.policy_id,
    version: row.version,
    name: row.name,
    calendar_id: row.calendar_id,
    targets: row.targets as unknown as SlaPolicyDto['targets'],
    pause_statuses: row.pause_statuses,
    stop_statuses: row.stop_statuses,
    warning_thresholds: row.warning_thresholds.map(Number),
    first_response: row.first_response,
    approvals: row.approvals,
    is_default: row.is_default,
    created_at: new Date(row.created_at).toISOString(),
  };
}

