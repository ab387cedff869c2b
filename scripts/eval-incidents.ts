// `npm run eval:incidents`: how well the incident detector groups one outage's reports, on the labelled
// set eval/incident-stories.tsv (written by us). For each half of the set (tune, held out) it prints the
// pairwise precision/recall of `likeness >= cut-off` and the grouping a replay through detect() makes,
// for a sweep of cut-offs, then each story's outcome at the chosen cut-off. Exits 1 when the grouping at
// DEFAULT_INCIDENT_SIMILARITY falls below the floors on either half, so that CI notices a regression.
import { DEFAULT_INCIDENT_SIMILARITY, DetectionSettings } from '../src/incidents/incident-detection';
import { likeness } from '../src/incidents/incident-similarity';
import { replay, scoreGrouping } from './incident-replay';
import { asArrivals, readIncidentStories, splitByParity, StoryTicket, storiesPath } from './incident-stories';

/**
 * Floors just under what both halves reach at the chosen cut-off (held out: precision 0.952, recall 0.714,
 * 2 single tickets absorbed; see docs/incidents-eval.md). The set is deterministic, so any drop is a change.
 */
const PRECISION_FLOOR = 0.95;
const RECALL_FLOOR = 0.7;
const SINGLES_ABSORBED_CEILING = 2;

const MIN_REQUESTERS = 5;
const WINDOW_MS = 30 * 60_000;
const SWEEP = [0.2, 0.22, 0.24, 0.26, 0.28, 0.3, 0.35, 0.4, 0.5];

function main(): void {
  const { tune, heldOut } = splitByParity(readIncidentStories(storiesPath()));
  const cutoffs = [...new Set([...SWEEP, DEFAULT_INCIDENT_SIMILARITY])].sort((a, b) => a - b);
  process.stdout.write(
    `Incident detection on eval/incident-stories.tsv (minRequesters ${MIN_REQUESTERS}, window ${WINDOW_MS / 60_000} min, ` +
      `chosen cut-off ${DEFAULT_INCIDENT_SIMILARITY})\n`,
  );
  for (const [name, half] of [['tune', tune], ['held out', heldOut]] as const) {
    process.stdout.write(`\n${name}: ${describe(half)}\n`);
    process.stdout.write('cut-off  pair P  pair R | group P  group R  stories 1×  duplicates  foreign  singles in\n');
    for (const cutoff of cutoffs) {
      const pairs = pairwise(half, cutoff);
      const score = scoreGrouping(asArrivals(half), replay(asArrivals(half), settings(cutoff)));
      const once = score.stories.filter((story) => story.incidents === 1).length;
      const duplicates = score.stories.reduce((sum, story) => sum + Math.max(0, story.incidents - 1), 0);
      process.stdout.write(
        `${cutoff === DEFAULT_INCIDENT_SIMILARITY ? '*' : ' '}${cutoff.toFixed(2).padEnd(8)}${fixed(pairs.precision)}  ${fixed(pairs.recall)} | ` +
          `${fixed(score.precision)}   ${fixed(score.recall)}   ${`${once}/${score.stories.length}`.padEnd(11)} ` +
          `${String(duplicates).padEnd(11)} ${String(score.foreign).padEnd(8)} ${score.singlesAbsorbed.length}\n`,
      );
    }
  }
  const failures: string[] = [];
  for (const [name, half] of [['tune', tune], ['held out', heldOut]] as const) {
    const arrivals = asArrivals(half);
    const score = scoreGrouping(arrivals, replay(arrivals, settings(DEFAULT_INCIDENT_SIMILARITY)));
    process.stdout.write(`\n${name} at ${DEFAULT_INCIDENT_SIMILARITY}: story   reports  incidents  in its incident\n`);
    for (const story of score.stories) {
      process.stdout.write(`  ${story.story.padEnd(24)} ${String(story.reports).padEnd(8)} ${String(story.incidents).padEnd(10)} ${story.grouped}\n`);
    }
    for (const single of score.singlesAbsorbed) process.stdout.write(`  absorbed: ${single.title}\n`);
    if (score.precision < PRECISION_FLOOR) failures.push(`${name}: precision ${fixed(score.precision)} < ${PRECISION_FLOOR}`);
    if (score.recall < RECALL_FLOOR) failures.push(`${name}: recall ${fixed(score.recall)} < ${RECALL_FLOOR}`);
    if (score.singlesAbsorbed.length > SINGLES_ABSORBED_CEILING) {
      failures.push(`${name}: ${score.singlesAbsorbed.length} single tickets absorbed > ${SINGLES_ABSORBED_CEILING}`);
    }
  }
  if (failures.length) {
    process.stdout.write(`\nBelow the floors: ${failures.join('; ')}\n`);
    process.exitCode = 1;
  }
}

function settings(cutoff: number): DetectionSettings {
  return { minRequesters: MIN_REQUESTERS, windowMs: WINDOW_MS, cutoff };
}

/** Every pair of the half: same story is a positive; a single ticket is no one's positive. */
function pairwise(tickets: readonly StoryTicket[], cutoff: number): { precision: number; recall: number } {
  let truePositives = 0;
  let predicted = 0;
  let positives = 0;
  for (let i = 0; i < tickets.length; i++) {
    for (let j = i + 1; j < tickets.length; j++) {
      const same = tickets[i].story !== null && tickets[i].story === tickets[j].story;
      const like = likeness(tickets[i].features, tickets[j].features).score >= cutoff;
      if (same) positives += 1;
      if (like) predicted += 1;
      if (same && like) truePositives += 1;
    }
  }
  return { precision: predicted === 0 ? 1 : truePositives / predicted, recall: positives === 0 ? 1 : truePositives / positives };
}

function describe(tickets: readonly StoryTicket[]): string {
  const stories = new Set(tickets.flatMap((ticket) => (ticket.story ? [ticket.story] : [])));
  const singles = tickets.filter((ticket) => ticket.story === null).length;
  return `${stories.size} stories, ${tickets.length - singles} reports, ${singles} single tickets`;
}

function fixed(value: number): string {
  return value.toFixed(3);
}

main();
