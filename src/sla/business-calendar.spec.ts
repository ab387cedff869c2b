import { seededRandom } from '../common/seeded-random';
import { BusinessCalendar, CalendarSpec, InvalidCalendarError, Weekday } from './business-calendar';

const HOUR = 3600;
const WORKDAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri'];
const EVERY_DAY: Weekday[] = [...WORKDAYS, 'sat', 'sun'];

function hours(days: Weekday[], intervals: Array<{ start: string; end: string }>): CalendarSpec['working_hours'] {
  return Object.fromEntries(days.map((day) => [day, intervals]));
}

/** A Berlin office with a lunch break, closed on weekends and at Christmas. */
const berlinOffice = new BusinessCalendar({
  time_zone: 'Europe/Berlin',
  working_hours: hours(WORKDAYS, [
    { start: '13:00', end: '17:30' },
    { start: '09:00', end: '12:00' },
  ]),
  holidays: ['2026-06-03', '2026-12-24', '2026-12-25'],
});

// Instants are written with their offsets, so the expectations do not lean on the code under test.
const at = (iso: string): Date => new Date(iso);

describe('BusinessCalendar', () => {
  describe('working time on an office calendar', () => {
    it('counts both parts of a split day and not the lunch break', () => {
      expect(berlinOffice.workingSecondsBetween(at('2026-06-01T08:00:00+02:00'), at('2026-06-01T18:00:00+02:00'))).toBe(7.5 * HOUR);
      expect(berlinOffice.workingSecondsBetween(at('2026-06-01T10:30:00+02:00'), at('2026-06-01T13:30:00+02:00'))).toBe(2 * HOUR);
    });

    it('counts nothing on a weekend or a holiday', () => {
      expect(berlinOffice.workingSecondsBetween(at('2026-06-05T17:00:00+02:00'), at('2026-06-08T09:30:00+02:00'))).toBe(1 * HOUR);
      expect(berlinOffice.workingSecondsBetween(at('2026-06-03T00:00:00+02:00'), at('2026-06-04T00:00:00+02:00'))).toBe(0);
      expect(berlinOffice.workingSecondsBetween(at('2026-06-01T00:00:00+02:00'), at('2026-06-08T00:00:00+02:00'))).toBe(4 * 7.5 * HOUR);
    });

    it('counts milliseconds, and nothing when the end is not after the start', () => {
      expect(berlinOffice.workingSecondsBetween(at('2026-06-01T09:00:00.000+02:00'), at('2026-06-01T09:00:00.250+02:00'))).toBe(0.25);
      expect(berlinOffice.workingSecondsBetween(at('2026-06-01T11:00:00+02:00'), at('2026-06-01T10:00:00+02:00'))).toBe(0);
      expect(berlinOffice.workingSecondsBetween(at('2026-06-01T11:00:00+02:00'), at('2026-06-01T11:00:00+02:00'))).toBe(0);
    });

    it('tells working time from the rest, each interval including its start and excluding its end', () => {
      expect(berlinOffice.isWorkingTime(at('2026-06-01T09:00:00+02:00'))).toBe(true);
      expect(berlinOffice.isWorkingTime(at('2026-06-01T08:59:59.999+02:00'))).toBe(false);
      expect(berlinOffice.isWorkingTime(at('2026-06-01T11:59:59+02:00'))).toBe(true);
      expect(berlinOffice.isWorkingTime(at('2026-06-01T12:00:00+02:00'))).toBe(false);
      expect(berlinOffice.isWorkingTime(at('2026-06-01T17:30:00+02:00'))).toBe(false);
      expect(berlinOffice.isWorkingTime(at('2026-06-06T10:00:00+02:00'))).toBe(false);
      expect(berlinOffice.isWorkingTime(at('2026-06-03T10:00:00+02:00'))).toBe(false);
    });
  });

  describe('addWorkingSeconds', () => {
    it('skips the lunch break, a weekend and the Christmas holidays', () => {
      expect(berlinOffice.addWorkingSeconds(at('2026-06-01T11:00:00+02:00'), 2 * HOUR)).toEqual(at('2026-06-01T14:00:00+02:00'));
      // Wed 16:30–17:30, then Thu 24 and Fri 25 are holidays and the weekend follows: Mon 09:00–11:00.
      expect(berlinOffice.addWorkingSeconds(at('2026-12-23T16:30:00+01:00'), 3 * HOUR)).toEqual(at('2026-12-28T11:00:00+01:00'));
    });

    it('starts counting at the next working instant when it starts outside working time', () => {
      expect(berlinOffice.addWorkingSeconds(at('2026-06-06T10:00:00+02:00'), HOUR)).toEqual(at('2026-06-08T10:00:00+02:00'));
      expect(berlinOffice.addWorkingSeconds(at('2026-06-01T12:15:00+02:00'), 60)).toEqual(at('2026-06-01T13:01:00+02:00'));
    });

    it('ends an amount that fills a stretch exactly at its close, not at the next opening', () => {
      expect(berlinOffice.addWorkingSeconds(at('2026-06-01T09:00:00+02:00'), 3 * HOUR)).toEqual(at('2026-06-01T12:00:00+02:00'));
      expect(berlinOffice.addWorkingSeconds(at('2026-06-05T13:00:00+02:00'), 4.5 * HOUR)).toEqual(at('2026-06-05T17:30:00+02:00'));
    });

    it('returns the start itself for zero, even outside working time', () => {
      const saturday = at('2026-06-06T10:00:00+02:00');
      expect(berlinOffice.addWorkingSeconds(saturday, 0)).toBe(saturday);
    });

    it('refuses a negative or non-finite amount', () => {
      expect(() => berlinOffice.addWorkingSeconds(at('2026-06-01T09:00:00+02:00'), -1)).toThrow(RangeError);
      expect(() => berlinOffice.addWorkingSeconds(at('2026-06-01T09:00:00+02:00'), Number.NaN)).toThrow(RangeError);
    });
  });

  describe('daylight saving time', () => {
    const berlinAllDay = new BusinessCalendar({ time_zone: 'Europe/Berlin', working_hours: hours(EVERY_DAY, [{ start: '00:00', end: '24:00' }]), holidays: [] });
    const berlinNineToFive = new BusinessCalendar({ time_zone: 'Europe/Berlin', working_hours: hours(EVERY_DAY, [{ start: '09:00', end: '17:00' }]), holidays: [] });
    const newYorkAllDay = new BusinessCalendar({ time_zone: 'America/New_York', working_hours: hours(EVERY_DAY, [{ start: '00:00', end: '24:00' }]), holidays: [] });
    const newYorkNineToFive = new BusinessCalendar({ time_zone: 'America/New_York', working_hours: hours(EVERY_DAY, [{ start: '09:00', end: '17:00' }]), holidays: [] });

    it('gives a whole Berlin day 23 hours when the clocks spring forward and 25 when they fall back', () => {
      expect(berlinAllDay.workingSecondsBetween(at('2026-03-28T12:00:00+01:00'), at('2026-03-30T12:00:00+02:00'))).toBe(47 * HOUR);
      expect(berlinAllDay.workingSecondsBetween(at('2026-03-29T00:00:00+01:00'), at('2026-03-30T00:00:00+02:00'))).toBe(23 * HOUR);
      expect(berlinAllDay.workingSecondsBetween(at('2026-10-25T00:00:00+02:00'), at('2026-10-26T00:00:00+01:00'))).toBe(25 * HOUR);
    });

    it('keeps a Berlin 09:00–17:00 day at 8 hours on both change days', () => {
      expect(berlinNineToFive.workingSecondsBetween(at('2026-03-29T00:00:00+01:00'), at('2026-03-30T00:00:00+02:00'))).toBe(8 * HOUR);
      expect(berlinNineToFive.workingSecondsBetween(at('2026-10-25T00:00:00+02:00'), at('2026-10-26T00:00:00+01:00'))).toBe(8 * HOUR);
      expect(berlinNineToFive.addWorkingSeconds(at('2026-03-28T16:00:00+01:00'), 2 * HOUR)).toEqual(at('2026-03-29T10:00:00+02:00'));
    });

    it('reads working hours in New York time across its own change days', () => {
      expect(newYorkAllDay.workingSecondsBetween(at('2026-03-08T00:00:00-05:00'), at('2026-03-09T00:00:00-04:00'))).toBe(23 * HOUR);
      expect(newYorkAllDay.workingSecondsBetween(at('2026-11-01T00:00:00-04:00'), at('2026-11-02T00:00:00-05:00'))).toBe(25 * HOUR);
      expect(newYorkNineToFive.workingSecondsBetween(at('2026-11-01T00:00:00-04:00'), at('2026-11-02T00:00:00-05:00'))).toBe(8 * HOUR);
      expect(newYorkNineToFive.isWorkingTime(at('2026-03-08T13:30:00Z'))).toBe(true); // 09:30 EDT
      expect(newYorkNineToFive.isWorkingTime(at('2026-03-07T13:30:00Z'))).toBe(false); // 08:30 EST
    });

    it('adds working time across the hour that does not exist', () => {
      expect(berlinAllDay.addWorkingSeconds(at('2026-03-29T00:00:00+01:00'), 3 * HOUR)).toEqual(at('2026-03-29T04:00:00+02:00'));
    });

    it('moves a wall-clock time in the spring gap forward without counting any time twice', () => {
      const night = new BusinessCalendar({ time_zone: 'Europe/Berlin', working_hours: { sun: [{ start: '01:00', end: '02:30' }, { start: '03:00', end: '04:00' }] }, holidays: [] });
      // 02:30 does not exist that night; read with the winter offset it is 03:30, inside the next interval.
      expect(night.workingSecondsBetween(at('2026-03-29T00:00:00+01:00'), at('2026-03-29T05:00:00+02:00'))).toBe(2 * HOUR);
    });

    it('reads a wall-clock time that occurs twice as its first occurrence', () => {
      const night = new BusinessCalendar({ time_zone: 'Europe/Berlin', working_hours: { sun: [{ start: '00:00', end: '02:30' }] }, holidays: [] });
      expect(night.addWorkingSeconds(at('2026-10-25T00:00:00+02:00'), 2.5 * HOUR)).toEqual(at('2026-10-25T02:30:00+02:00'));
      expect(night.workingSecondsBetween(at('2026-10-25T00:00:00+02:00'), at('2026-10-26T00:00:00+01:00'))).toBe(2.5 * HOUR);
    });
  });

  describe("a day that ends at '24:00'", () => {
    const nightShift = new BusinessCalendar({
      time_zone: 'Europe/Berlin',
      working_hours: { mon: [{ start: '22:00', end: '24:00' }], tue: [{ start: '00:00', end: '06:00' }] },
      holidays: [],
    });

    it('runs on into the next day without a gap at midnight', () => {
      expect(nightShift.workingSecondsBetween(at('2026-06-01T21:00:00+02:00'), at('2026-06-02T07:00:00+02:00'))).toBe(8 * HOUR);
      expect(nightShift.addWorkingSeconds(at('2026-06-01T23:00:00+02:00'), 2 * HOUR)).toEqual(at('2026-06-02T01:00:00+02:00'));
      expect(nightShift.isWorkingTime(at('2026-06-01T23:59:59.999+02:00'))).toBe(true);
      expect(nightShift.isWorkingTime(at('2026-06-02T00:00:00+02:00'))).toBe(true);
      expect(nightShift.isWorkingTime(at('2026-06-02T06:00:00+02:00'))).toBe(false);
    });
  });

  describe('around the clock', () => {
    const always = BusinessCalendar.aroundTheClock();

    it('counts every instant, whatever the local clocks do', () => {
      expect(always.workingSecondsBetween(at('2026-03-28T12:00:00Z'), at('2026-03-30T12:00:00Z'))).toBe(48 * HOUR);
      expect(always.addWorkingSeconds(at('2026-06-06T10:00:00.123Z'), 36 * HOUR)).toEqual(at('2026-06-07T22:00:00.123Z'));
      expect(always.isWorkingTime(at('2026-06-07T03:00:00Z'))).toBe(true);
    });
  });

  describe('workingSecondsBetween and addWorkingSeconds undo each other', () => {
    const newYorkOffice = new BusinessCalendar({
      time_zone: 'America/New_York',
      working_hours: { ...hours(WORKDAYS, [{ start: '08:30', end: '12:00' }, { start: '12:30', end: '18:00' }]), sat: [{ start: '10:00', end: '14:00' }] },
      holidays: ['2026-07-03', '2026-11-26', '2026-12-25'],
    });
    const berlinAllDay = new BusinessCalendar({ time_zone: 'Europe/Berlin', working_hours: hours(EVERY_DAY, [{ start: '00:00', end: '24:00' }]), holidays: ['2026-10-25'] });
    const calendars = { berlinOffice, newYorkOffice, berlinAllDay };
    const yearStart = Date.parse('2026-01-01T00:00:00Z');
    const year = 365 * 86_400_000;

    it.each(Object.entries(calendars))('on %s, for 300 seeded random samples over a year with both DST changes', (_name, calendar) => {
      const random = seededRandom(20260329);
      for (let sample = 0; sample < 300; sample++) {
        const from = new Date(yearStart + Math.floor(random() * year));
        const seconds = Math.floor(random() * 120 * HOUR * 1000) / 1000;
        const reached = calendar.addWorkingSeconds(from, seconds);
        expect(calendar.workingSecondsBetween(from, reached)).toBe(seconds);

        const to = new Date(from.getTime() + Math.floor(random() * 20 * 86_400_000));
        const worked = calendar.workingSecondsBetween(from, to);
        const back = calendar.addWorkingSeconds(from, worked);
        // The earliest instant with that much working time: `to` itself, or the close of the last stretch before it.
        expect(back.getTime()).toBeLessThanOrEqual(to.getTime());
        expect(calendar.workingSecondsBetween(back, to)).toBe(0);
        const workingJustBefore = to.getTime() - 1 >= from.getTime() && calendar.isWorkingTime(new Date(to.getTime() - 1));
        if (workingJustBefore) expect(back).toEqual(to);
      }
    });
  });

  describe('limits', () => {
    it('refuses to count over more than about ten years', () => {
      expect(() => berlinOffice.workingSecondsBetween(at('2026-01-01T00:00:00Z'), at('2037-01-01T00:00:00Z'))).toThrow(/more than 3660 days/);
    });

    it('gives up, with a clear error, when ten years of a calendar do not hold the amount', () => {
      const oneMinuteAWeek = new BusinessCalendar({ time_zone: 'UTC', working_hours: { sun: [{ start: '00:00', end: '00:01' }] }, holidays: [] });
      expect(oneMinuteAWeek.addWorkingSeconds(at('2026-06-01T00:00:00Z'), 60)).toEqual(at('2026-06-07T00:01:00Z'));
      expect(() => oneMinuteAWeek.addWorkingSeconds(at('2026-06-01T00:00:00Z'), 1000 * HOUR)).toThrow(/no 3600000 s of working time in the 3660 days after 2026-06-01/);
    });

    it('promises only the horizon’s whole weeks, the same from any start, and that much can always be added', () => {
      const oneMinuteAWeek = new BusinessCalendar({ time_zone: 'UTC', working_hours: { mon: [{ start: '00:00', end: '00:01' }] }, holidays: [] });
      // 3660 days are 522 weeks and 6 days: 522 or 523 Mondays, depending on the start.
      for (const start of ['2026-06-01T00:00:30Z', '2026-06-02T12:00:00Z', '2026-06-07T23:59:59Z']) {
        expect(oneMinuteAWeek.horizonSeconds(at(start))).toBe(522 * 60);
        expect(() => oneMinuteAWeek.addWorkingSeconds(at(start), 522 * 60)).not.toThrow();
      }
      expect(berlinOffice.horizonSeconds(at('2026-01-01T00:00:00Z'))).toBeGreaterThan(365 * 24 * HOUR);
    });
  });

  describe('validate', () => {
    const good: CalendarSpec = { time_zone: 'Europe/Berlin', working_hours: hours(WORKDAYS, [{ start: '09:00', end: '17:00' }]), holidays: ['2026-12-25'] };

    it('finds nothing wrong with a usable calendar', () => {
      expect(BusinessCalendar.validate(good)).toEqual([]);
    });

    it('names an unknown time zone', () => {
      expect(BusinessCalendar.validate({ ...good, time_zone: 'Mars/Olympus_Mons' })).toEqual([
        'time_zone "Mars/Olympus_Mons" is not an IANA time zone (e.g. Europe/Berlin, America/New_York, UTC)',
      ]);
    });

    it('names each badly written time, an interval that does not move forward, and overlapping intervals', () => {
      const problems = BusinessCalendar.validate({
        ...good,
        working_hours: {
          mon: [{ start: '9:00', end: '17:00' }],
          tue: [{ start: '09:00', end: '24:30' }],
          wed: [{ start: '17:00', end: '09:00' }],
          thu: [{ start: '09:00', end: '12:30' }, { start: '12:00', end: '17:00' }],
          fri: [{ start: '24:00', end: '24:00' }],
          sat: [{ start: '09:00', end: '17:00' }, { start: '10:00', end: '11:00' }, { start: '12:00', end: '13:00' }],
          sun: ['09:00-17:00' as never],
        },
      });
      expect(problems).toEqual([
        'working_hours.mon: start "9:00" is not a time HH:MM from 00:00 to 23:59',
        'working_hours.tue: end "24:30" is not a time HH:MM from 00:01 to 24:00',
        'working_hours.wed: 17:00–09:00 starts at or after it ends (a day ends at 24:00; split a night shift over two days)',
        'working_hours.thu: 09:00–12:30 overlaps 12:00–17:00',
        'working_hours.fri: start "24:00" is not a time HH:MM from 00:00 to 23:59',
        'working_hours.sat: 09:00–17:00 overlaps 10:00–11:00',
        'working_hours.sat: 09:00–17:00 overlaps 12:00–13:00',
        'working_hours.sun: "09:00-17:00" is not an interval such as {"start": "09:00", "end": "17:00"}',
      ]);
    });

    it('accepts intervals that only touch', () => {
      expect(BusinessCalendar.validate({ ...good, working_hours: { mon: [{ start: '12:00', end: '17:00' }, { start: '09:00', end: '12:00' }] } })).toEqual([]);
    });

    it('names an unknown weekday and a holiday that is not a date', () => {
      const spec = { ...good, working_hours: { ...good.working_hours, monday: [] }, holidays: ['2026-02-30', '25.12.2026'] } as CalendarSpec;
      expect(BusinessCalendar.validate(spec)).toEqual([
        'working_hours has an unknown weekday "monday" (use mon, tue, wed, thu, fri, sat, sun)',
        'holiday "2026-02-30" is not a date written YYYY-MM-DD (e.g. 2026-12-25)',
        'holiday "25.12.2026" is not a date written YYYY-MM-DD (e.g. 2026-12-25)',
      ]);
    });

    it('refuses a calendar with no working time at all', () => {
      expect(BusinessCalendar.validate({ ...good, working_hours: { mon: [], sat: [] } })).toEqual([
        'the calendar has no working time at all: give working_hours for at least one weekday',
      ]);
    });

    it('is what the constructor throws', () => {
      const build = () => new BusinessCalendar({ ...good, time_zone: 'Nowhere' });
      expect(build).toThrow(InvalidCalendarError);
      expect(build).toThrow('The business calendar is not valid: time_zone "Nowhere" is not an IANA time zone');
    });
  });
});
