import { BusinessCalendar } from './business-calendar';
import { MetricRules, replayMetric, StatusChange } from './sla-clock';

const HOUR = 3600;

/** Weekdays 09:00–17:00 in Berlin; June 2026 is summer time (+02:00), and 1 June is a Monday. */
const office = new BusinessCalendar({
  time_zone: 'Europe/Berlin',
  working_hours: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((day) => [day, [{ start: '09:00', end: '17:00' }]])),
  holidays: [],
});

/** `'06-01 09:00'` → that Berlin wall-clock time in June 2026; `'06-01 09:00:00.001'` for a millisecond more. */
const berlin = (local: string): Date => new Date(`2026-${local.slice(0, 5)}T${local.slice(6)}${local.length > 11 ? '' : ':00'}+02:00`);
const history = (...changes: Array<[string, string]>): StatusChange[] => changes.map(([at, status]) => ({ at: berlin(at), status }));

const rules: MetricRules = {
  targetSeconds: 4 * HOUR,
  pauseStatuses: ['waiting_for_user', 'waiting_for_approval'],
  stopStatuses: ['resolved', 'denied'],
  warningThresholds: [0.5, 0.8],
};

describe('replayMetric', () => {
  it('runs from creation in working time and projects the due time and the next warning', () => {
    const state = replayMetric(office, history(['06-01 09:00', 'pending'], ['06-01 09:05', 'in_progress']), rules, berlin('06-01 10:00'));
    expect(state).toEqual({
      state: 'running',
      consumedSeconds: HOUR,
      targetSeconds: 4 * HOUR,
      dueAt: berlin('06-01 13:00'),
      remainingSeconds: 3 * HOUR,
      startedAt: berlin('06-01 09:00'),
      stoppedAt: null,
      breachedAt: null,
      metAt: null,
      warnings: [],
      nextWarningAt: berlin('06-01 11:00'),
      pauses: [],
    });
  });

  describe('pauses', () => {
    const waits = history(
      ['06-01 09:00', 'pending'],
      ['06-01 10:00', 'waiting_for_user'],
      ['06-01 11:30', 'in_progress'],
      ['06-01 12:00', 'waiting_for_approval'],
      ['06-01 14:00', 'in_progress'],
    );

    it('stops the clock exactly while the ticket waits for the user or an approval, and promises no due time', () => {
      const state = replayMetric(office, waits, rules, berlin('06-01 13:00'));
      expect(state).toMatchObject({ state: 'paused', consumedSeconds: 1.5 * HOUR, dueAt: null, nextWarningAt: null, warnings: [] });
      expect(state.pauses).toEqual([
        { from: berlin('06-01 10:00'), to: berlin('06-01 11:30') },
        { from: berlin('06-01 12:00'), to: null },
      ]);
    });

    it('runs on from where it stood once the ticket is back in progress', () => {
      const state = replayMetric(office, waits, rules, berlin('06-01 15:00'));
      expect(state).toMatchObject({
        state: 'running',
        consumedSeconds: 2.5 * HOUR,
        dueAt: berlin('06-01 16:30'),
        warnings: [{ threshold: 0.5, at: berlin('06-01 14:30') }],
        nextWarningAt: berlin('06-01 15:42'), // 80 % of 4 h is 3 h 12 min
      });
      expect(state.pauses).toEqual([
        { from: berlin('06-01 10:00'), to: berlin('06-01 11:30') },
        { from: berlin('06-01 12:00'), to: berlin('06-01 14:00') },
      ]);
    });

    it('counts a move from one pause status to another as one pause', () => {
      const state = replayMetric(
        office,
        history(['06-01 09:00', 'pending'], ['06-01 10:00', 'waiting_for_user'], ['06-01 11:00', 'waiting_for_approval'], ['06-01 12:00', 'in_progress']),
        rules,
        berlin('06-01 13:00'),
      );
      expect(state.pauses).toEqual([{ from: berlin('06-01 10:00'), to: berlin('06-01 12:00') }]);
      expect(state.consumedSeconds).toBe(2 * HOUR);
    });

    it('burns nothing for a ticket filed straight into waiting_for_user until it leaves it', () => {
      const filed = history(['06-01 09:00', 'waiting_for_user']);
      expect(replayMetric(office, filed, rules, berlin('06-01 09:00'))).toMatchObject({ state: 'paused', consumedSeconds: 0, pauses: [{ from: berlin('06-01 09:00'), to: null }] });
      expect(replayMetric(office, filed, rules, berlin('06-02 12:00'))).toMatchObject({
        state: 'paused',
        consumedSeconds: 0,
        startedAt: berlin('06-01 09:00'),
        dueAt: null,
        pauses: [{ from: berlin('06-01 09:00'), to: null }],
      });

      const resumed = replayMetric(office, [...filed, ...history(['06-02 10:00', 'in_progress'])], rules, berlin('06-02 12:00'));
      expect(resumed).toMatchObject({ state: 'running', consumedSeconds: 2 * HOUR, dueAt: berlin('06-02 14:00') });
      expect(resumed.pauses).toEqual([{ from: berlin('06-01 09:00'), to: berlin('06-02 10:00') }]);
    });

    it('takes several changes at the same instant in their order, without an empty pause', () => {
      const state = replayMetric(
        office,
        history(['06-01 09:00', 'pending'], ['06-01 10:00', 'waiting_for_user'], ['06-01 10:00', 'in_progress'], ['06-01 10:00', 'escalated']),
        rules,
        berlin('06-01 11:00'),
      );
      expect(state).toMatchObject({ state: 'running', consumedSeconds: 2 * HOUR, pauses: [] });
    });
  });

  describe('met', () => {
    it('is met when the ticket reaches a stop status within the target, and stays so when it is reopened', () => {
      const trail = history(['06-01 09:00', 'pending'], ['06-01 09:30', 'in_progress'], ['06-01 10:30', 'resolved'], ['06-02 10:00', 'in_progress']);
      expect(replayMetric(office, trail, rules, berlin('06-02 12:00'))).toEqual({
        state: 'met',
        consumedSeconds: 1.5 * HOUR,
        targetSeconds: 4 * HOUR,
        dueAt: null,
        remainingSeconds: 2.5 * HOUR,
        startedAt: berlin('06-01 09:00'),
        stoppedAt: berlin('06-01 10:30'),
        breachedAt: null,
        metAt: berlin('06-01 10:30'),
        warnings: [],
        nextWarningAt: null,
        pauses: [],
      });
    });

    it('is met at exactly the target, and breached a millisecond over it', () => {
      const at = (stop: string) => replayMetric(office, history(['06-01 09:00', 'in_progress'], [stop, 'resolved']), rules, berlin('06-01 15:00'));
      expect(at('06-01 13:00')).toMatchObject({ state: 'met', remainingSeconds: 0, breachedAt: null });
      expect(at('06-01 13:00:00.001')).toMatchObject({ state: 'breached', remainingSeconds: -0.001, breachedAt: berlin('06-01 13:00') });
    });

    it('ends a pause at the stop', () => {
      const state = replayMetric(office, history(['06-01 09:00', 'in_progress'], ['06-01 10:00', 'waiting_for_user'], ['06-01 11:00', 'denied']), rules, berlin('06-01 12:00'));
      expect(state).toMatchObject({ state: 'met', consumedSeconds: HOUR, pauses: [{ from: berlin('06-01 10:00'), to: berlin('06-01 11:00') }] });
    });
  });

  describe('breached', () => {
    const late = history(['06-01 15:00', 'in_progress']);

    it('dates the breach at the exact working instant consumption reached the target', () => {
      expect(replayMetric(office, late, rules, berlin('06-02 12:00'))).toEqual({
        state: 'breached',
        consumedSeconds: 5 * HOUR,
        targetSeconds: 4 * HOUR,
        dueAt: berlin('06-02 11:00'),
        remainingSeconds: -HOUR,
        startedAt: berlin('06-01 15:00'),
        stoppedAt: null,
        breachedAt: berlin('06-02 11:00'),
        metAt: null,
        warnings: [
          { threshold: 0.5, at: berlin('06-01 17:00') },
          { threshold: 0.8, at: berlin('06-02 10:12') },
        ],
        nextWarningAt: null,
        pauses: [],
      });
    });

    it('stays breached once resolved late', () => {
      const state = replayMetric(office, [...late, ...history(['06-02 12:00', 'resolved'])], rules, berlin('06-02 14:00'));
      expect(state).toMatchObject({ state: 'breached', consumedSeconds: 5 * HOUR, stoppedAt: berlin('06-02 12:00'), metAt: null, breachedAt: berlin('06-02 11:00') });
    });

    it('stays breached while paused, still due at the breach', () => {
      const state = replayMetric(office, [...late, ...history(['06-02 11:30', 'waiting_for_user'])], rules, berlin('06-02 14:00'));
      expect(state).toMatchObject({ state: 'breached', consumedSeconds: 4.5 * HOUR, dueAt: berlin('06-02 11:00'), pauses: [{ from: berlin('06-02 11:30'), to: null }] });
    });
  });

  describe('warnings', () => {
    it('dates 50 % and 80 % at their exact working instants, across a weekend and a pause', () => {
      const trail = history(['06-05 13:00', 'in_progress'], ['06-08 09:00', 'waiting_for_user'], ['06-08 10:00', 'in_progress']);
      const state = replayMetric(office, trail, { ...rules, targetSeconds: 8 * HOUR }, berlin('06-08 13:00'));
      expect(state.warnings).toEqual([
        { threshold: 0.5, at: berlin('06-05 17:00') }, // 4 h reached at Friday's close, not at Monday's opening
        { threshold: 0.8, at: berlin('06-08 12:24') }, // 6 h 24 min: Friday's 4 h, then Monday from 10:00
      ]);
      expect(state).toMatchObject({ state: 'running', consumedSeconds: 7 * HOUR, dueAt: berlin('06-08 14:00'), nextWarningAt: null });
    });

    it('takes the thresholds in any order, each once', () => {
      const state = replayMetric(office, history(['06-01 09:00', 'in_progress']), { ...rules, warningThresholds: [0.8, 0.5, 0.8] }, berlin('06-01 11:00'));
      expect(state.warnings).toEqual([{ threshold: 0.5, at: berlin('06-01 11:00') }]);
      expect(state.nextWarningAt).toEqual(berlin('06-01 12:12'));
    });
  });

  it('holds a target reached at Friday’s close as due, not yet breached, until working time resumes', () => {
    const filedAtNight = history(['06-04 20:00', 'in_progress']);
    const eightHours = { ...rules, targetSeconds: 8 * HOUR };
    expect(replayMetric(office, filedAtNight, eightHours, berlin('06-06 12:00'))).toMatchObject({
      state: 'running',
      remainingSeconds: 0,
      dueAt: berlin('06-05 17:00'),
      breachedAt: null,
    });
    const resolved = (at: string) => replayMetric(office, [...filedAtNight, ...history([at, 'resolved'])], eightHours, berlin('06-08 12:00'));
    expect(resolved('06-08 08:00')).toMatchObject({ state: 'met' });
    expect(resolved('06-08 09:30')).toMatchObject({ state: 'breached', breachedAt: berlin('06-05 17:00') });
  });

  describe('first response through stopAt', () => {
    const open = history(['06-01 09:00', 'pending'], ['06-01 09:30', 'in_progress']);

    it('stops at the first response while the ticket is still open', () => {
      const state = replayMetric(office, open, { ...rules, stopAt: berlin('06-01 10:30') }, berlin('06-01 12:00'));
      expect(state).toMatchObject({ state: 'met', consumedSeconds: 1.5 * HOUR, stoppedAt: berlin('06-01 10:30'), metAt: berlin('06-01 10:30'), nextWarningAt: null });
    });

    it('stops at the earlier of the response and a stop status', () => {
      const resolvedFirst = [...open, ...history(['06-01 10:00', 'resolved'])];
      expect(replayMetric(office, resolvedFirst, { ...rules, stopAt: berlin('06-01 11:00') }, berlin('06-01 12:00')).stoppedAt).toEqual(berlin('06-01 10:00'));
    });

    it('ignores a response at or after now', () => {
      expect(replayMetric(office, open, { ...rules, stopAt: berlin('06-01 12:00') }, berlin('06-01 12:00'))).toMatchObject({ state: 'running', stoppedAt: null });
    });
  });

  it('ignores history at or after now, the injected clock', () => {
    const trail = history(['06-01 09:00', 'in_progress'], ['06-01 11:00', 'resolved']);
    expect(replayMetric(office, trail, rules, berlin('06-01 11:00'))).toMatchObject({ state: 'running', consumedSeconds: 2 * HOUR });
    expect(replayMetric(office, trail, rules, berlin('06-01 11:00:00.001'))).toMatchObject({ state: 'met', consumedSeconds: 2 * HOUR });
    expect(replayMetric(office, trail, rules, berlin('06-01 08:00'))).toMatchObject({ state: 'running', consumedSeconds: 0, dueAt: berlin('06-01 13:00') });
  });

  it('counts a new target over the same history and keeps the pause time already earned', () => {
    // Priority raised at 14:00 from an 8 h to a 4 h target, after a three-hour wait for the user.
    const trail = history(['06-01 09:00', 'pending'], ['06-01 10:00', 'waiting_for_user'], ['06-01 13:00', 'in_progress']);
    const now = berlin('06-01 14:00');
    const before = replayMetric(office, trail, { ...rules, targetSeconds: 8 * HOUR }, now);
    const after = replayMetric(office, trail, { ...rules, targetSeconds: 4 * HOUR }, now);

    expect(before.dueAt).toEqual(berlin('06-02 12:00'));
    // 1 h before the wait and 3 h after it; losing the wait (GLPI #6902) would give 13:00.
    expect(after.dueAt).toEqual(berlin('06-01 16:00'));
    expect(after.consumedSeconds).toBe(before.consumedSeconds);
    expect(after.pauses).toEqual(before.pauses);
    expect(after.pauses).toEqual([{ from: berlin('06-01 10:00'), to: berlin('06-01 13:00') }]);

    const tighter = replayMetric(office, trail, { ...rules, targetSeconds: 1.5 * HOUR }, now);
    expect(tighter).toMatchObject({ state: 'breached', breachedAt: berlin('06-01 13:30'), consumedSeconds: 2 * HOUR });
  });

  it('gives different due times on a business calendar and around the clock for the same history', () => {
    const trail = history(['06-05 16:00', 'in_progress']);
    expect(replayMetric(office, trail, rules, berlin('06-05 16:30')).dueAt).toEqual(berlin('06-08 12:00'));
    expect(replayMetric(BusinessCalendar.aroundTheClock(), trail, rules, berlin('06-05 16:30')).dueAt).toEqual(berlin('06-05 20:00'));
    expect(replayMetric(office, trail, rules, berlin('06-06 12:00')).state).toBe('running');
    expect(replayMetric(BusinessCalendar.aroundTheClock(), trail, rules, berlin('06-06 12:00'))).toMatchObject({ state: 'breached', breachedAt: berlin('06-05 20:00') });
  });

  describe('refuses what it cannot replay', () => {
    it('an empty history', () => {
      expect(() => replayMetric(office, [], rules, berlin('06-01 12:00'))).toThrow('A metric needs the status the ticket was filed in; the history is empty');
    });

    it('a history out of order', () => {
      expect(() => replayMetric(office, history(['06-01 10:00', 'pending'], ['06-01 09:00', 'in_progress']), rules, berlin('06-01 12:00'))).toThrow('entry 1 is older');
    });

    it('a target or a threshold that is not positive', () => {
      const filed = history(['06-01 09:00', 'pending']);
      expect(() => replayMetric(office, filed, { ...rules, targetSeconds: 0 }, berlin('06-01 12:00'))).toThrow('The target must be a positive number of seconds, not 0');
      expect(() => replayMetric(office, filed, { ...rules, warningThresholds: [0.5, -1] }, berlin('06-01 12:00'))).toThrow('not -1');
    });
  });
});
