// One metric of one ticket (first response, resolution), replayed from the ticket's status history. Nothing
// is kept between replays, so a new target (priority or policy changed) is counted over the same history
// and keeps every pause already earned — the time GLPI lost on a change of SLA (its bug #6902).
import { BusinessCalendar } from './business-calendar';

/** The ticket's status history, oldest first; the first is the status it was filed in, at its creation. */
export interface StatusChange {
  at: Date;
  status: string;
}

export interface MetricRules {
  /** In working time of the calendar. */
  targetSeconds: number;
  /** The clock is paused while the ticket is in one of these. */
  pauseStatuses: readonly string[];
  /** The metric ends when the ticket first enters one of these; a stop status that is also a pause status stops. */
  stopStatuses: readonly string[];
  /** Fractions of the target (0.5, 0.8) whose crossing is a warning. */
  warningThresholds: readonly number[];
  /** An explicit end (the first response); the metric ends at the earlier of this and the first stop status. */
  stopAt?: Date | null;
}

export interface MetricState {
  /** Once over its target a metric is breached for good, whether it then runs, pauses or stops. */
  state: 'running' | 'paused' | 'met' | 'breached';
  /** Working time consumed while running, up to now or the stop. */
  consumedSeconds: number;
  targetSeconds: number;
  /**
   * When the target is (or was) reached on the clock's current course: the breach instant once breached,
   * projected from now while running, and null while paused (nothing can be promised until it resumes — a
   * projection "as if it resumed now" would move with every look) and once met (it never will be).
   */
  dueAt: Date | null;
  /** Target − consumed; negative once over. */
  remainingSeconds: number;
  /** The ticket's creation, even when it was filed into a pause status. */
  startedAt: Date;
  stoppedAt: Date | null;
  /** The instant consumption reached the target, once it went over. */
  breachedAt: Date | null;
  metAt: Date | null;
  /** Thresholds reached so far, each with the instant consumption reached target × threshold. */
  warnings: Array<{ threshold: number; at: Date }>;
  /** Where the next threshold falls if the clock runs on from now; null when paused, stopped or none is left. */
  nextWarningAt: Date | null;
  /** Contiguous stretches in a pause status; an ongoing one has `to: null`, one ended by the stop ends there. */
  pauses: Array<{ from: Date; to: Date | null }>;
}

/**
 * The metric as of `now`: history entries at or after `now` have not happened yet and are ignored (the first
 * entry, the creation, always counts, and a `now` before it reads as the creation itself). The clock runs
 * while the status is neither a pause nor a stop status, and only in the calendar's working time; a
 * threshold or the target is crossed at the exact working instant consumption reaches it. At the stop the
 * metric is met when consumption is at most the target.
 */
export function replayMetric(calendar: BusinessCalendar, history: StatusChange[], rules: MetricRules, now: Date): MetricState {
  assertReplayable(history, rules);
  const pause = new Set(rules.pauseStatuses);
  const stop = new Set(rules.stopStatuses);
  const createdAt = history[0].at.getTime();
  const nowMs = Math.max(now.getTime(), createdAt);
  const changes = [history[0], ...history.slice(1).filter((change) => change.at.getTime() < nowMs)];

  const stoppedAt = earliest(
    changes.find((change) => stop.has(change.status))?.at.getTime(),
    rules.stopAt && rules.stopAt.getTime() < nowMs ? Math.max(rules.stopAt.getTime(), createdAt) : undefined,
  );
  const until = stoppedAt ?? nowMs;
  const targetMs = Math.round(rules.targetSeconds * 1000);
  const marks = [...new Set(rules.warningThresholds)]
    .sort((a, b) => a - b)
    .map((threshold) => ({ threshold, amount: Math.max(1, Math.round(targetMs * threshold)) }));

  let consumed = 0;
  let targetReachedAt: number | null = null;
  const warnings: MetricState['warnings'] = [];
  const pauses: Array<{ from: number; to: number }> = [];
  for (let i = 0; i < changes.length; i++) {
    const from = changes[i].at.getTime();
    const to = Math.min(changes[i + 1]?.at.getTime() ?? until, until);
    if (stoppedAt !== null && from >= stoppedAt) break;
    if (pause.has(changes[i].status)) {
      const last = pauses.at(-1);
      if (last && last.to === from) last.to = to;
      else pauses.push({ from, to });
      continue;
    }
    const worked = Math.round(calendar.workingSecondsBetween(new Date(from), new Date(to)) * 1000);
    // The instant consumption reached `amount` while in this status, if it did then.
    const crossing = (amount: number): Date | null =>
      consumed < amount && amount <= consumed + worked ? calendar.addWorkingSeconds(new Date(from), (amount - consumed) / 1000) : null;
    for (const mark of marks) {
      const at = crossing(mark.amount);
      if (at) warnings.push({ threshold: mark.threshold, at });
    }
    targetReachedAt = crossing(targetMs)?.getTime() ?? targetReachedAt;
    consumed += worked;
  }

  const breached = consumed > targetMs;
  const pausedNow = stoppedAt === null && pause.has(changes[changes.length - 1].status);
  const runningNow = stoppedAt === null && !pausedNow;
  let dueAt: number | null = null;
  if (breached) dueAt = targetReachedAt;
  // Exactly at the target is not over it yet: it was reached (at the close of a stretch) and is still due.
  else if (runningNow) dueAt = targetReachedAt ?? calendar.addWorkingSeconds(new Date(nowMs), (targetMs - consumed) / 1000).getTime();
  const nextMark = runningNow ? marks.find((mark) => mark.amount > consumed) : undefined;
  return {
    state: breached ? 'breached' : stoppedAt !== null ? 'met' : pausedNow ? 'paused' : 'running',
    consumedSeconds: consumed / 1000,
    targetSeconds: rules.targetSeconds,
    dueAt: toDate(dueAt),
    remainingSeconds: (targetMs - consumed) / 1000,
    startedAt: new Date(createdAt),
    stoppedAt: toDate(stoppedAt),
    breachedAt: breached ? toDate(targetReachedAt) : null,
    metAt: !breached && stoppedAt !== null ? new Date(stoppedAt) : null,
    warnings,
    nextWarningAt: nextMark ? calendar.addWorkingSeconds(new Date(nowMs), (nextMark.amount - consumed) / 1000) : null,
    pauses: pauses
      .map((p, i) => ({ from: new Date(p.from), to: pausedNow && i === pauses.length - 1 ? null : new Date(p.to) }))
      .filter((p) => p.to === null || p.to > p.from),
  };
}

function assertReplayable(history: StatusChange[], rules: MetricRules): void {
  if (history.length === 0) throw new Error('A metric needs the status the ticket was filed in; the history is empty');
  for (let i = 1; i < history.length; i++) {
    if (history[i].at < history[i - 1].at) throw new Error(`The status history must be oldest first; entry ${i} is older than the one before`);
  }
  if (!Number.isFinite(rules.targetSeconds) || rules.targetSeconds <= 0) throw new RangeError(`The target must be a positive number of seconds, not ${rules.targetSeconds}`);
  const bad = rules.warningThresholds.find((threshold) => !Number.isFinite(threshold) || threshold <= 0);
  if (bad !== undefined) throw new RangeError(`A warning threshold must be a positive fraction of the target, not ${bad}`);
}

function earliest(...instants: Array<number | undefined>): number | null {
  const known = instants.filter((instant): instant is number => instant !== undefined);
  return known.length > 0 ? Math.min(...known) : null;
}

function toDate(instant: number | null): Date | null {
  return instant === null ? null : new Date(instant);
}
