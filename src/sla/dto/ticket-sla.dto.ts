import { ApiProperty } from '@nestjs/swagger';
import { SLA_METRICS, type SlaMetric } from '../sla-metrics';

export const METRIC_STATES = ['running', 'paused', 'met', 'breached'] as const;

export class SlaWarningDto {
  /** The fraction of the target. */
  threshold: number;
  /** When the clock crossed it. */
  at: string;
}

export class SlaPauseDto {
  from: string;
  /** null while the pause lasts. */
  to: string | null;
}

export class TicketSlaMetricDto {
  /** `first_response` or `resolution`. */
  @ApiProperty({ enum: SLA_METRICS })
  metric: SlaMetric;
  /** `running`, `paused` (a person outside support is awaited), `met` or `breached`. */
  @ApiProperty({ enum: METRIC_STATES })
  state: (typeof METRIC_STATES)[number];
  /** The target as the policy states it. @example "PT4H" */
  target: string;
  target_seconds: number;
  /** Working time the clock has run. */
  consumed_seconds: number;
  /** target − consumed: negative once over. */
  remaining_seconds: number;
  /** When the target is (or was) reached if the clock keeps its course; null while paused. */
  due_at: string | null;
  started_at: string;
  stopped_at: string | null;
  met_at: string | null;
  breached_at: string | null;
  warnings: SlaWarningDto[];
  next_warning_at: string | null;
  pauses: SlaPauseDto[];
}

export class TicketSlaDto {
  ticket_id: string;
  policy: { policy_id: string; version: number; name: string; calendar_id: string | null };
  /** The instant the clocks were read at (now). */
  evaluated_at: string;
  /** Empty when the clocks cannot be counted (see `unknown_reason`). */
  metrics: TicketSlaMetricDto[];
  /**
   * Why the clocks cannot be counted under the policy — a target its calendar cannot reach, say (the
   * ticket's `sla_state` is then `unknown`); null when they can.
   */
  unknown_reason: string | null;
}
