// The support dashboard's figures (GET /tickets/stats): what the window and the buckets are, and the
// response's fixed shape; the counting is TicketStatsRepository's.
import { Injectable } from '@nestjs/common';
import { STAFF_ROLES } from '../users/role.enum';
import { BucketCountDto, TicketStatsDto } from './dto/ticket-stats.dto';
import { BucketCounts, TicketStatsRepository } from './ticket-stats.repository';
import { TicketStatus } from './ticket.enums';

const HOUR = 3600;
const DAY = 24 * HOUR;

/** A bucket holds the durations from its lower bound (in seconds) up to the next bucket's. */
interface Bucket {
  label: string;
  from: number;
}

export const RESOLUTION_BUCKETS: readonly Bucket[] = [
  { label: '< 1 h', from: 0 },
  { label: '1–4 h', from: HOUR },
  { label: '4–24 h', from: 4 * HOUR },
  { label: '1–3 days', from: DAY },
  { label: '> 3 days', from: 3 * DAY },
];

export const WAITING_BUCKETS: readonly Bucket[] = [
  { label: '< 1 h', from: 0 },
  { label: '1–4 h', from: HOUR },
  { label: '4–24 h', from: 4 * HOUR },
  { label: '> 1 day', from: DAY },
];

/** The approvals queue lists this many tickets; `count` and the buckets cover all of them. */
export const WAITING_LISTED = 10;

@Injectable()
export class TicketStatsService {
  constructor(private readonly statsRepository: TicketStatsRepository) {}

  /** The figures over the `days` UTC days that end today; every list is complete, zeros included. */
  async stats(days: number): Promise<TicketStatsDto> {
    const now = new Date();
    const dates = windowDates(now, days);
    const since = new Date(`${dates[0]}T00:00:00.000Z`);
    // Separate statements, not one snapshot: a ticket that moves meanwhile may show in two figures, or none.
    const [byStatus, filed, resolution, waiting, absorbed] = await Promise.all([
      this.statsRepository.countByStatus(),
      this.statsRepository.countFiledPerDay(since),
      this.statsRepository.findResolutionsSince(since, upperBounds(RESOLUTION_BUCKETS), STAFF_ROLES),
      this.statsRepository.findApprovalsWaiting(now, upperBounds(WAITING_BUCKETS), WAITING_LISTED),
      this.statsRepository.countAbsorbedByIncidents(since),
    ]);
    const statusCounts = new Map(byStatus.map((row) => [row.status, row.count]));
    const dayCounts = new Map(filed.map((row) => [row.date, row.count]));
    return {
      window_days: days,
      generated_at: now.toISOString(),
      by_status: Object.values(TicketStatus).map((status) => ({ status, count: statusCounts.get(status) ?? 0 })),
      created_per_day: dates.map((date) => ({ date, count: dayCounts.get(date) ?? 0 })),
      absorbed_by_incidents: absorbed,
      resolution: {
        resolved: resolution.resolved,
        assistant_resolved: resolution.assistantResolved,
        assistant_share: resolution.resolved === 0 ? null : resolution.assistantResolved / resolution.resolved,
        median_seconds: resolution.medianSeconds,
        p90_seconds: resolution.p90Seconds,
        buckets: labelled(RESOLUTION_BUCKETS, resolution.buckets),
      },
      approvals_waiting: {
        count: waiting.count,
        oldest_seconds: waiting.oldestSeconds,
        age_buckets: labelled(WAITING_BUCKETS, waiting.buckets),
        tickets: waiting.oldest.map((ticket) => ({
          ticket_id: ticket.id,
          title: ticket.title,
          priority: ticket.priority,
          requester_id: ticket.requesterId,
          waiting_seconds: ticket.waitingSeconds,
        })),
      },
    };
  }
}

/** The window's UTC days, 'YYYY-MM-DD', oldest first, ending with `now`'s. */
function windowDates(now: Date, days: number): string[] {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Array.from({ length: days }, (_, index) => new Date(today - (days - 1 - index) * DAY * 1000).toISOString().slice(0, 10));
}

/** The bounds between the buckets, as the repository's width_bucket takes them (the first starts at 0). */
function upperBounds(buckets: readonly Bucket[]): number[] {
  return buckets.slice(1).map((bucket) => bucket.from);
}

function labelled(buckets: readonly Bucket[], counts: BucketCounts): BucketCountDto[] {
  const byIndex = new Map(counts.map((row) => [row.bucket, row.count]));
  return buckets.map((bucket, index) => ({ label: bucket.label, count: byIndex.get(index) ?? 0 }));
}
