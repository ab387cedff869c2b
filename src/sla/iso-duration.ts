// SLA targets as ISO 8601 durations (`PT4H`, `P2D`). A day is 24 h and a week 7 days, so a target reads the
// same on a business calendar as around the clock: "P1D" of business time is 24 working hours, as
// Zendesk and Jira Service Management count business-hour goals in hours, not in working days.
import { Duration } from 'luxon';

/** Thrown for a duration we refuse; its message is meant for the API client (a 400). */
export class InvalidIsoDurationError extends Error {
  constructor(text: unknown, problem: string) {
    super(`${JSON.stringify(text)} is not a valid duration: ${problem}. Write an ISO 8601 duration in weeks, days, hours, minutes and whole seconds, e.g. PT4H, P2D, PT30M or P1DT12H`);
    this.name = 'InvalidIsoDurationError';
  }
}

/** The longest target we take; a longer one is a typo, and the calendar walk is capped anyway. */
export const MAX_DURATION_SECONDS = 365 * 24 * 3600;

const SECONDS_PER = { weeks: 7 * 86400, days: 86400, hours: 3600, minutes: 60, seconds: 1 } as const;
type Unit = keyof typeof SECONDS_PER;
const UNITS = Object.keys(SECONDS_PER) as Unit[];

/**
 * Seconds in an ISO 8601 duration such as `PT4H`, `P2D`, `P1DT12H` or `P1W`. Every number must be a whole one
 * (`PT1H30M`, not `PT1.5H`; no `PT0.5S`): a target is a policy, and whole seconds keep it exact.
 */
export function parseIsoDuration(text: string): number {
  if (typeof text !== 'string') throw new InvalidIsoDurationError(text, 'it is not a string');
  // Luxon reads "P" and "PT" as zero and takes signs per component; both are refused below.
  const duration = Duration.fromISO(text.trim());
  if (!duration.isValid) throw new InvalidIsoDurationError(text, 'it is not an ISO 8601 duration');
  const parts = duration.toObject();
  if (parts.years || parts.months || parts.quarters) {
    throw new InvalidIsoDurationError(text, 'years and months have no fixed length; use days or weeks (P30D, P4W)');
  }
  if (Object.keys(parts).length === 0) throw new InvalidIsoDurationError(text, 'it names no amount');
  if (Object.values(parts).some((value) => value < 0)) throw new InvalidIsoDurationError(text, 'it is negative');
  if (parts.milliseconds || UNITS.some((unit) => !Number.isInteger(parts[unit] ?? 0))) {
    throw new InvalidIsoDurationError(text, 'it has a fraction; write PT1H30M rather than PT1.5H');
  }
  const seconds = UNITS.reduce((sum, unit) => sum + (parts[unit] ?? 0) * SECONDS_PER[unit], 0);
  if (seconds === 0) throw new InvalidIsoDurationError(text, 'it is zero');
  if (seconds > MAX_DURATION_SECONDS) throw new InvalidIsoDurationError(text, 'it is longer than P365D');
  return seconds;
}

/**
 * `seconds` (rounded to whole seconds) as an ISO 8601 duration in days, hours, minutes and seconds:
 * 129600 → `P1DT12H`, 0 → `PT0S`. A negative amount (time over a target) gets a leading minus, as
 * Temporal writes it (`-PT5M`); parseIsoDuration refuses those.
 */
export function formatIsoDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) throw new RangeError(`cannot format ${seconds} seconds as a duration`);
  const whole = Math.round(Math.abs(seconds));
  if (whole === 0) return 'PT0S';
  const iso = Duration.fromObject({ seconds: whole }).shiftTo('days', 'hours', 'minutes', 'seconds').toISO();
  return seconds < 0 ? `-${iso}` : iso;
}
