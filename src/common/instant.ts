// The instants the API takes — date filters, dates in a body, the instant inside a cursor — are bounded to
// the years 0001 to 9999 (UTC): JavaScript reads dates from 271821 BC to 275760 AD, PostgreSQL's timestamptz
// holds 4713 BC to 294276 AD, and one outside what the database stores would fail there as a 500.
import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { isISO8601, ValidateBy, ValidationArguments } from 'class-validator';
import { fieldLabel } from './human-messages';

const EARLIEST = Date.parse('0001-01-01T00:00:00.000Z');
const LATEST = Date.parse('9999-12-31T23:59:59.999Z');

/** A valid date within the years 0001 to 9999 (UTC). */
export function isStorableInstant(at: Date): boolean {
  const time = at.getTime();
  return time >= EARLIEST && time <= LATEST;
}

/**
 * A date-time field of a query or a body: an ISO 8601 string (a date alone is midnight UTC), taken as a
 * Date within the years 0001 to 9999; anything else is a 400 naming the field.
 */
export function IsInstant(): PropertyDecorator {
  return applyDecorators(
    // Only ISO 8601 becomes a Date: `new Date()` alone would also read "1" (2001) or "May 5".
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' && isISO8601(value) && isCalendarDate(value) ? new Date(value) : value)),
    ValidateBy({
      name: 'isInstant',
      validator: {
        validate: (value: unknown) => value instanceof Date && isStorableInstant(value),
        defaultMessage: ({ property }: ValidationArguments) => `${fieldLabel(property)} must be a date, like 2026-05-31 or 2026-05-31T17:00:00Z, from the year 1 to 9999`,
      },
    }),
  );
}

/** No 2026-02-30 (JavaScript would read it as March 2). validator's own strict check reads the years before 100 as 19xx. */
function isCalendarDate(iso: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!match) return true;
  const [year, month, day] = match.slice(1).map(Number);
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}
