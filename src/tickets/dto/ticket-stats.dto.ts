// GET /tickets/stats: the support dashboard's figures. The console reads this shape exactly.
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { TicketPriority, TicketStatus } from '../ticket.enums';

export class TicketStatsQueryDto {
  /** How many UTC days the window covers, today included: it starts at midnight UTC, `days - 1` days ago. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(365)
  days: number = 30;
}

export class StatusCountDto {
  status: TicketStatus;
  count: number;
}

export class DayCountDto {
  /** A UTC day. @example "2026-03-14" */
  date: string;
  /** Tickets filed that day. */
  count: number;
}

export class BucketCountDto {
  /** A bucket holds its lower bound: a duration of exactly 1 h counts in "1–4 h". @example "1–4 h" */
  label: string;
  count: number;
}

/**
 * Tickets first resolved within the window. Durations are whole seconds (rounded down) from the ticket's
 * filing to its first move into `resolved`; percentiles are nearest-rank (the smallest duration that at
 * least that share of the durations do not exceed, as the bench's `percentile` and SQL's percentile_disc).
 */
export class ResolutionStatsDto {
  /** Tickets whose first move into `resolved` happened within the window. */
  resolved: number;
  /**
   * Of those, the ones no support or admin person acted on before they were resolved: no event of the
   * ticket's audit trail up to its first resolution has a support or admin user (by their role now) other
   * than the ticket's own requester as its actor.
   */
  assistant_resolved: number;
  /** assistant_resolved / resolved, from 0 to 1; null when nothing was resolved. */
  assistant_share: number | null;
  /** Median time to resolution in seconds; null when nothing was resolved. */
  median_seconds: number | null;
  /** 90th percentile of the time to resolution in seconds; null when nothing was resolved. */
  p90_seconds: number | null;
  /** Times to resolution in the buckets "< 1 h", "1–4 h", "4–24 h", "1–3 days", "> 3 days", in that order, zeros included. */
  buckets: BucketCountDto[];
}

export class WaitingTicketDto {
  ticket_id: string;
  title: string;
  priority: TicketPriority;
  requester_id: string;
  /** Whole seconds since the ticket last moved into `waiting_for_approval`. */
  waiting_seconds: number;
}

/** Tickets in `waiting_for_approval` now, whenever they were filed; each waits since its latest move into that status. */
export class ApprovalsWaitingDto {
  count: number;
  /** How long the ticket that has waited longest has waited, in whole seconds; null when none waits. */
  oldest_seconds: number | null;
  /** Waiting times in the buckets "< 1 h", "1–4 h", "4–24 h", "> 1 day", in that order, zeros included. */
  age_buckets: BucketCountDto[];
  /** The ten that have waited longest, oldest first. */
  tickets: WaitingTicketDto[];
}

export class TicketStatsDto {
  /** The `days` asked for. @example 30 */
  window_days: number;
  /** When the figures were read (ISO 8601, UTC); waiting times are measured to it. @example "2026-03-14T09:30:00.000Z" */
  generated_at: string;
  /** Every ticket by its current status, whenever filed: all eight statuses in the enum's order, zeros included. */
  by_status: StatusCountDto[];
  /** Tickets filed on each UTC day of the window, oldest first and today last, zeros included. */
  created_per_day: DayCountDto[];
  /** Tickets a major incident took over in the window: support answered them once, on the incident. */
  absorbed_by_incidents: number;
  resolution: ResolutionStatsDto;
  approvals_waiting: ApprovalsWaitingDto;
}
