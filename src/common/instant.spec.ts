import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { IsInstant, isStorableInstant } from './instant';

class Query {
  @IsInstant()
  since: Date;
}

const check = (since: unknown) => {
  const query = plainToInstance(Query, { since });
  return { since: query.since, problems: validateSync(query).flatMap((error) => Object.values(error.constraints ?? {})) };
};

describe('IsInstant', () => {
  it('takes an ISO 8601 date-time or date from 0001-01-01 to 9999-12-31 as a Date', () => {
    for (const [text, iso] of [
      ['0001-01-01T00:00:00.000Z', '0001-01-01T00:00:00.000Z'],
      ['0099-12-31T23:00:00-01:00', '0100-01-01T00:00:00.000Z'],
      ['2024-02-29', '2024-02-29T00:00:00.000Z'],
      ['2026-06-03T10:00:00+02:00', '2026-06-03T08:00:00.000Z'],
      ['9999-12-31T23:59:59.999Z', '9999-12-31T23:59:59.999Z'],
    ]) {
      expect(check(text)).toEqual({ since: new Date(iso), problems: [] });
    }
  });

  it('refuses, naming the field, what PostgreSQL cannot store, what no one means, and what is not an ISO 8601 date', () => {
    const message = 'Since must be a date, like 2026-05-31 or 2026-05-31T17:00:00Z, from the year 1 to 9999';
    for (const text of ['-271821-04-20T00:00:00.000Z', '+275760-09-13T00:00:00.000Z', '0000-12-31T23:59:59.999Z', '9999-12-31T23:59:59-00:01', '2026-02-30', '1', 'May 5', 'yesterday', 20260101, null]) {
      expect(check(text).problems).toEqual([message]);
    }
  });

  it('bounds the instants a cursor may hold the same way', () => {
    expect(isStorableInstant(new Date('0001-01-01T00:00:00.000Z'))).toBe(true);
    expect(isStorableInstant(new Date(-8.64e15))).toBe(false);
    expect(isStorableInstant(new Date(Number.NaN))).toBe(false);
  });
});
