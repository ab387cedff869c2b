// Whether a policy's durations fit in its calendar: a clock counts at most MAX_SPAN_DAYS ahead, so a target
// that needs more working time than the calendar has in that horizon has no due time, and every count of it
// fails. Checked when a policy or its calendar is saved, and used to say why a ticket's clocks are unknown.
import { BusinessCalendar, MAX_SPAN_DAYS } from './business-calendar';
import { parseIsoDuration } from './iso-duration';
import type { ApprovalSettingsDto } from './dto/approval-settings.dto';

/** A duration of a policy, with the field that holds it (`targets.high.resolution`, `approvals.default.due`). */
export interface PolicyDuration {
  field: string;
  duration: string;
}

/** Every working-time duration a policy states: its targets, and its approvals' due times and reminders. */
export function policyDurations(policy: { targets: object; approvals: ApprovalSettingsDto | null }): PolicyDuration[] {
  const durations: PolicyDuration[] = [];
  for (const [priority, metrics] of Object.entries(policy.targets ?? {}) as Array<[string, Record<string, string> | undefined]>) {
    for (const [metric, duration] of Object.entries(metrics ?? {})) durations.push({ field: `targets.${priority}.${metric}`, duration });
  }
  const approvals = policy.approvals;
  const rules = { default: approvals?.default, ...Object.fromEntries(Object.entries(approvals?.request_types ?? {}).map(([type, value]) => [`request_types.${type}`, value])) };
  for (const [name, rule] of Object.entries(rules)) {
    if (!rule) continue;
    if (rule.due) durations.push({ field: `approvals.${name}.due`, duration: rule.due });
    (rule.reminders ?? []).forEach((duration, i) => durations.push({ field: `approvals.${name}.reminders[${i}]`, duration }));
  }
  return durations;
}

/**
 * One sentence for each duration the calendar cannot reach from `from`, e.g. "targets.critical.resolution
 * P365D needs 31536000 s of working time; calendar “Support” has only 31320 s in the 3660-day horizon".
 * Around the clock (no calendar) every duration we accept (at most P365D) fits.
 */
export function unreachableDurations(durations: PolicyDuration[], calendar: BusinessCalendar | null, calendarName: string, from: Date): string[] {
  if (!calendar || durations.length === 0) return [];
  const available = calendar.horizonSeconds(from);
  return durations
    .map(({ field, duration }) => ({ field, duration, seconds: parseIsoDuration(duration) }))
    .filter(({ seconds }) => seconds > available)
    .map(({ field, duration, seconds }) => `${field} ${duration} needs ${seconds} s of working time; calendar “${calendarName}” has only ${Math.floor(available)} s in the ${MAX_SPAN_DAYS}-day horizon`);
}
