import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export class SimulatePolicyDto {
  /** Replay the tickets filed in the last `days` days. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(365)
  days: number = 30;
}

export class MetricOutcomesDto {
  /** Reached a stop status (or, for first response, got one) within the target. */
  met: number;
  /** Went over the target, whether the ticket is closed or not. */
  breached: number;
  /** Still within the target, clock running. */
  running: number;
  /** Still within the target, clock paused. */
  paused: number;
}

export class SimulationOutcomesDto {
  first_response: MetricOutcomesDto;
  resolution: MetricOutcomesDto;
}

export class SlaSimulationDto {
  policy: { policy_id: string; version: number; name: string };
  window_days: number;
  /** Tickets filed in the window, each replayed from its audit trail under the policy. */
  tickets: number;
  /** The instant the replay measured up to. */
  evaluated_at: string;
  outcomes: SimulationOutcomesDto;
  by_priority: { critical: SimulationOutcomesDto; high: SimulationOutcomesDto; medium: SimulationOutcomesDto; low: SimulationOutcomesDto };
}
