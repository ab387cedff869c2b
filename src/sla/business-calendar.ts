// Working time on a weekly schedule in one IANA time zone, less holidays. Wall-clock hours become instants
// per local date through luxon, so a day with a DST change has the hours its clocks show (a 00:00–24:00 day
// in Europe/Berlin is 23 h on 2026-03-29 and 25 h on 2026-10-25; a 09:00–17:00 day is 8 h either way).
import { DateTime, IANAZone } from 'luxon';

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

export interface CalendarSpec {
  time_zone: string;
  working_hours: Partial<Record<Weekday, Array<{ start: string; end: string }>>>;
  holidays: string[];
}

/** Thrown by the constructor for a spec that validate() finds fault with; `problems` lists each. */
export class InvalidCalendarError extends Error {
  constructor(readonly problems: string[]) {
    super(`The business calendar is not valid: ${problems.join('; ')}`);
    this.name = 'InvalidCalendarError';
  }
}

/** In the order of luxon's weekday numbers, 1 (Monday) to 7 (Sunday). */
const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** About ten years: the longest span either method counts over. Every SLA span is far shorter; a longer one is a bug. */
export const MAX_SPAN_DAYS = 3660;
const MAX_SPAN_MS = MAX_SPAN_DAYS * 86_400_000;
/** The whole weeks within MAX_SPAN_DAYS: any span that long, wherever it starts, holds this many of the weekly schedule. */
const HORIZON_WEEKS_MS = Math.floor(MAX_SPAN_DAYS / 7) * 7 * 86_400_000;
/** Enough for every date a busy queue looks at; a walk past it starts the cache afresh. */
const STRETCH_CACHE_DATES = 4000;

const START_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const END_TIME = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Minutes after local midnight, end exclusive; 1440 is '24:00'. */
interface DailyInterval {
  start: number;
  end: number;
}

/** A stretch of working time as epoch milliseconds, end exclusive. */
interface WorkingStretch {
  start: number;
  end: number;
}

export class BusinessCalendar {
  private readonly weekly: DailyInterval[][];
  private readonly holidays: ReadonlySet<string>;
  private readonly zone: string;
  /** Each local date's stretches, built once: most calls walk the same few recent days. */
  private readonly stretchesByDate = new Map<string, WorkingStretch[]>();

  constructor(spec: CalendarSpec) {
    const problems = BusinessCalendar.validate(spec);
    if (problems.length > 0) throw new InvalidCalendarError(problems);
    this.zone = spec.time_zone;
    this.holidays = new Set(spec.holidays);
    this.weekly = WEEKDAYS.map((day) =>
      (spec.working_hours[day] ?? [])
        .map(({ start, end }) => ({ start: minutesOf(start), end: minutesOf(end) }))
        .sort((a, b) => a.start - b.start),
    );
  }

  /** Every instant is working time: the calendar of a 24/7 service. */
  static aroundTheClock(): BusinessCalendar {
    const allDay = WEEKDAYS.map((day) => [day, [{ start: '00:00', end: '24:00' }]]);
    return new BusinessCalendar({ time_zone: 'UTC', working_hours: Object.fromEntries(allDay), holidays: [] });
  }

  /** What is wrong with a spec, one readable sentence each; empty when it can be used. */
  static validate(spec: CalendarSpec): string[] {
    if (typeof spec !== 'object' || spec === null) return ['the calendar must be an object'];
    const problems: string[] = [];
    if (typeof spec.time_zone !== 'string' || !IANAZone.isValidZone(spec.time_zone)) {
      problems.push(`time_zone ${JSON.stringify(spec.time_zone)} is not an IANA time zone (e.g. Europe/Berlin, America/New_York, UTC)`);
    }
    problems.push(...workingHoursProblems(spec.working_hours));
    if (!Array.isArray(spec.holidays)) {
      problems.push('holidays must be a list of dates such as 2026-12-25');
    } else {
      for (const date of spec.holidays) {
        if (typeof date !== 'string' || !ISO_DATE.test(date) || !DateTime.fromISO(date).isValid) {
          problems.push(`holiday ${JSON.stringify(date)} is not a date written YYYY-MM-DD (e.g. 2026-12-25)`);
        }
      }
    }
    return problems;
  }

  isWorkingTime(at: Date): boolean {
    const instant = at.getTime();
    for (const stretch of this.stretchesFrom(instant)) {
      if (stretch.start > instant) return false;
      if (stretch.end > instant) return true;
    }
    return false;
  }

  /** Working seconds in [from, to); 0 when `to` is not after `from`. */
  workingSecondsBetween(from: Date, to: Date): number {
    const [start, end] = [from.getTime(), to.getTime()];
    if (end <= start) return 0;
    if (end - start > MAX_SPAN_MS) {
      throw new RangeError(`Cannot count working time over more than ${MAX_SPAN_DAYS} days (${from.toISOString()} to ${to.toISOString()})`);
    }
    let total = 0;
    for (const stretch of this.stretchesFrom(start)) {
      if (stretch.start >= end) break;
      total += Math.min(stretch.end, end) - stretch.start;
    }
    return total / 1000;
  }

  /**
   * Working seconds that a count starting at `from` (or any week after it, holidays aside) can rely on within
   * MAX_SPAN_DAYS: those of the horizon's whole weeks. A target needing more may find no due time.
   */
  horizonSeconds(from: Date): number {
    return this.workingSecondsBetween(from, new Date(from.getTime() + HORIZON_WEEKS_MS));
  }

  /**
   * The earliest instant by which `seconds` of working time have passed since `from`: counting starts at the
   * first working instant at or after `from`, and an amount that fills a stretch exactly ends at its close
   * (Friday 17:00, not Monday 09:00). So 0 gives `from` itself, and workingSecondsBetween(from, result)
   * is always `seconds` (to the millisecond).
   */
  addWorkingSeconds(from: Date, seconds: number): Date {
    if (!Number.isFinite(seconds) || seconds < 0) throw new RangeError(`Cannot add ${seconds} seconds of working time`);
    let remaining = Math.round(seconds * 1000);
    if (remaining === 0) return from;
    const start = from.getTime();
    for (const stretch of this.stretchesFrom(start)) {
      const length = stretch.end - stretch.start;
      if (remaining <= length) {
        const reached = stretch.start + remaining;
        if (reached - start <= MAX_SPAN_MS) return new Date(reached);
        break;
      }
      remaining -= length;
    }
    throw new RangeError(`The calendar has no ${seconds} s of working time in the ${MAX_SPAN_DAYS} days after ${from.toISOString()}`);
  }

  /** Working stretches that end after `from`, clipped to start no earlier than it, oldest first, up to MAX_SPAN_DAYS on. */
  private *stretchesFrom(from: number): Generator<WorkingStretch> {
    const local = DateTime.fromMillis(from, { zone: this.zone });
    // Walk calendar dates in UTC, where every day is a day; only the wall-clock times need the zone.
    let date = DateTime.utc(local.year, local.month, local.day);
    let lastEnd = from;
    // Two dates more than the span: the partial first and last local dates.
    for (let day = 0; day < MAX_SPAN_DAYS + 2; day++, date = date.plus({ days: 1 })) {
      for (const stretch of this.stretchesOn(date)) {
        // Clamping keeps stretches disjoint where a DST gap moves a wall-clock time forward.
        const start = Math.max(stretch.start, lastEnd);
        if (stretch.end <= start) continue;
        lastEnd = stretch.end;
        yield { start, end: stretch.end };
      }
    }
  }

  private stretchesOn(date: DateTime): WorkingStretch[] {
    const key = date.toISODate() as string;
    const known = this.stretchesByDate.get(key);
    if (known) return known;
    const intervals = this.holidays.has(key) ? [] : this.weekly[date.weekday - 1];
    const stretches = intervals.map((interval) => ({ start: this.instantOf(date, interval.start), end: this.instantOf(date, interval.end) }));
    if (this.stretchesByDate.size >= STRETCH_CACHE_DATES) this.stretchesByDate.clear();
    this.stretchesByDate.set(key, stretches);
    return stretches;
  }

  /**
   * The instant at `minutes` after midnight of the local `date`. As in RFC 5545, a time that occurs twice
   * (clocks set back) is its first occurrence, and one that does not occur (clocks set forward) is read with
   * the offset before the change, which moves it forward by the gap (02:30 → 03:30).
   */
  private instantOf(date: DateTime, minutes: number): number {
    const day = minutes === 1440 ? date.plus({ days: 1 }) : date;
    const wallClock = { year: day.year, month: day.month, day: day.day, hour: Math.floor((minutes % 1440) / 60), minute: minutes % 60 };
    const candidates = DateTime.fromObject(wallClock, { zone: this.zone }).getPossibleOffsets();
    return Math.min(...candidates.map((candidate) => candidate.toMillis()));
  }
}

function minutesOf(time: string): number {
  const [hours, minutes] = time.split(':').map(Number);
  return hours * 60 + minutes;
}

function workingHoursProblems(workingHours: CalendarSpec['working_hours']): string[] {
  if (typeof workingHours !== 'object' || workingHours === null || Array.isArray(workingHours)) {
    return ['working_hours must map weekdays (mon … sun) to lists of {start, end} times, e.g. {"mon": [{"start": "09:00", "end": "17:00"}]}'];
  }
  const problems: string[] = [];
  let intervalsGiven = 0;
  for (const [day, intervals] of Object.entries(workingHours)) {
    if (!WEEKDAYS.includes(day as Weekday)) {
      problems.push(`working_hours has an unknown weekday ${JSON.stringify(day)} (use ${WEEKDAYS.join(', ')})`);
      continue;
    }
    if (!Array.isArray(intervals)) {
      problems.push(`working_hours.${day} must be a list of {start, end} times`);
      continue;
    }
    intervalsGiven += intervals.length;
    const valid: Array<DailyInterval & { text: string }> = [];
    for (const interval of intervals as unknown[]) {
      if (typeof interval !== 'object' || interval === null) {
        problems.push(`working_hours.${day}: ${JSON.stringify(interval)} is not an interval such as {"start": "09:00", "end": "17:00"}`);
        continue;
      }
      const { start, end } = interval as { start?: unknown; end?: unknown };
      const text = `${String(start)}–${String(end)}`;
      if (typeof start !== 'string' || !START_TIME.test(start)) {
        problems.push(`working_hours.${day}: start ${JSON.stringify(start)} is not a time HH:MM from 00:00 to 23:59`);
      } else if (typeof end !== 'string' || !END_TIME.test(end)) {
        problems.push(`working_hours.${day}: end ${JSON.stringify(end)} is not a time HH:MM from 00:01 to 24:00`);
      } else if (minutesOf(start) >= minutesOf(end)) {
        problems.push(`working_hours.${day}: ${text} starts at or after it ends (a day ends at 24:00; split a night shift over two days)`);
      } else {
        valid.push({ start: minutesOf(start), end: minutesOf(end), text });
      }
    }
    valid.sort((a, b) => a.start - b.start);
    // Each against the one reaching furthest so far, so 09:00–17:00 is caught overlapping every later one.
    for (let i = 1, reach = valid[0]; i < valid.length; i++) {
      if (valid[i].start < reach.end) problems.push(`working_hours.${day}: ${reach.text} overlaps ${valid[i].text}`);
      if (valid[i].end > reach.end) reach = valid[i];
    }
  }
  if (intervalsGiven === 0 && problems.length === 0) {
    problems.push('the calendar has no working time at all: give working_hours for at least one weekday');
  }
  return problems;
}
