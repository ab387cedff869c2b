import { BusinessCalendar } from './business-calendar';
import { defaultApprovalSettings } from './dto/approval-settings.dto';
import { policyDurations, unreachableDurations } from './policy-reach';

const NOW = new Date('2026-06-03T10:00:00Z');
const oneMinuteAWeek = new BusinessCalendar({ time_zone: 'UTC', working_hours: { mon: [{ start: '00:00', end: '00:01' }] }, holidays: [] });
const targets = (first_response: string, resolution: string) => ({ critical: { first_response, resolution }, high: { first_response, resolution }, medium: { first_response, resolution }, low: { first_response, resolution } });

describe('policy reach', () => {
  it('lists every working-time duration of a policy with the field that holds it', () => {
    const approvals = defaultApprovalSettings();
    approvals.request_types.hardware = { due: null, reminders: ['PT2H'], on_expiry: 'escalate', low_risk: false };
    const fields = policyDurations({ targets: targets('PT1H', 'P2D'), approvals }).map(({ field, duration }) => `${field}=${duration}`);
    expect(fields).toEqual([
      'targets.critical.first_response=PT1H', 'targets.critical.resolution=P2D', 'targets.high.first_response=PT1H', 'targets.high.resolution=P2D',
      'targets.medium.first_response=PT1H', 'targets.medium.resolution=P2D', 'targets.low.first_response=PT1H', 'targets.low.resolution=P2D',
      'approvals.default.due=PT8H', 'approvals.default.reminders[0]=PT4H', 'approvals.request_types.hardware.reminders[0]=PT2H',
    ]);
  });

  it('names each duration the calendar cannot hold in its horizon, with what it needs and what there is', () => {
    const durations = policyDurations({ targets: targets('PT1H', 'P365D'), approvals: defaultApprovalSettings() });
    expect(unreachableDurations(durations, oneMinuteAWeek, 'Sparse', NOW)).toEqual(
      ['critical', 'high', 'medium', 'low'].map(
        (priority) => `targets.${priority}.resolution P365D needs 31536000 s of working time; calendar “Sparse” has only 31320 s in the 3660-day horizon`,
      ),
    );
  });

  it('finds nothing out of reach around the clock, nor on a calendar that holds every duration', () => {
    const durations = policyDurations({ targets: targets('PT1H', 'P365D'), approvals: defaultApprovalSettings() });
    expect(unreachableDurations(durations, null, '', NOW)).toEqual([]);
    const day = [{ start: '09:00', end: '17:00' }];
    const office = new BusinessCalendar({ time_zone: 'UTC', working_hours: { mon: day, tue: day, wed: day, thu: day, fri: day }, holidays: [] });
    expect(unreachableDurations(durations, office, 'Office', NOW)).toEqual([]);
  });
});
