import { formatIsoDuration, InvalidIsoDurationError, MAX_DURATION_SECONDS, parseIsoDuration } from './iso-duration';

describe('parseIsoDuration', () => {
  it.each([
    ['PT4H', 4 * 3600],
    ['P2D', 2 * 86400],
    ['PT30M', 1800],
    ['PT5S', 5],
    ['P1DT12H', 36 * 3600],
    ['P1W', 7 * 86400],
    ['P1DT2H3M4S', 86400 + 2 * 3600 + 3 * 60 + 4],
    ['PT90M', 5400],
    [' PT4H ', 4 * 3600],
    ['P365D', MAX_DURATION_SECONDS],
  ])('reads %j as %d seconds, a day being 24 hours and a week 7 days', (text, seconds) => {
    expect(parseIsoDuration(text)).toBe(seconds);
  });

  it.each([
    ['P1Y', 'years and months have no fixed length; use days or weeks (P30D, P4W)'],
    ['P2M', 'years and months have no fixed length'],
    ['P1Y2M3D', 'years and months have no fixed length'],
    ['PT0S', 'it is zero'],
    ['P0D', 'it is zero'],
    ['-PT5M', 'it is negative'],
    ['PT-5M', 'it is negative'],
    ['PT1.5H', 'it has a fraction; write PT1H30M rather than PT1.5H'],
    ['PT0.5S', 'it has a fraction'],
    ['PT0,5S', 'it has a fraction'],
    ['P366D', 'it is longer than P365D'],
    ['P100000000000000000000D', 'it is not an ISO 8601 duration'],
    ['P', 'it names no amount'],
    ['PT', 'it names no amount'],
    ['4h', 'it is not an ISO 8601 duration'],
    ['p2d', 'it is not an ISO 8601 duration'],
    ['PT4H30', 'it is not an ISO 8601 duration'],
    ['2 days', 'it is not an ISO 8601 duration'],
    ['', 'it is not an ISO 8601 duration'],
  ])('refuses %j, saying %j', (text, problem) => {
    expect(() => parseIsoDuration(text)).toThrow(InvalidIsoDurationError);
    expect(() => parseIsoDuration(text)).toThrow(`${JSON.stringify(text)} is not a valid duration: ${problem}`);
  });

  it('gives the client examples of what it takes', () => {
    expect(() => parseIsoDuration('garbage')).toThrow(
      '"garbage" is not a valid duration: it is not an ISO 8601 duration. Write an ISO 8601 duration in weeks, days, hours, minutes and whole seconds, e.g. PT4H, P2D, PT30M or P1DT12H',
    );
  });

  it('refuses what is not a string at all', () => {
    expect(() => parseIsoDuration(14400 as unknown as string)).toThrow('14400 is not a valid duration: it is not a string');
  });
});

describe('formatIsoDuration', () => {
  it.each([
    [4 * 3600, 'PT4H'],
    [2 * 86400, 'P2D'],
    [36 * 3600, 'P1DT12H'],
    [90061, 'P1DT1H1M1S'],
    [1800, 'PT30M'],
    [0, 'PT0S'],
    [-300, '-PT5M'],
    [1.4, 'PT1S'],
    [-0.4, 'PT0S'],
  ])('writes %d seconds as %j', (seconds, text) => {
    expect(formatIsoDuration(seconds)).toBe(text);
  });

  it('writes every whole number of seconds in a form parseIsoDuration reads back', () => {
    for (let seconds = 1; seconds <= MAX_DURATION_SECONDS; seconds += 7919) {
      expect(parseIsoDuration(formatIsoDuration(seconds))).toBe(seconds);
    }
  });

  it('refuses what is not a finite number', () => {
    expect(() => formatIsoDuration(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});
