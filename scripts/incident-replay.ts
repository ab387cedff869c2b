// Replays the labelled arrivals through detect() the way the projection will — a proposal becomes an
// incident with its members, a join adds the ticket — and scores the incidents against the stories.
import { detect, DetectionSettings, DetectionTicket } from '../src/incidents/incident-detection';
import { Arrival } from './incident-stories';

export interface ReplayedIncident {
  id: string;
  members: Arrival[];
}

export interface StoryOutcome {
  story: string;
  reports: number;
  /** Incidents whose majority is this story: 1 is right, 0 is a missed outage, more are duplicates. */
  incidents: number;
  /** Its reports in its largest incident. */
  grouped: number;
}

export interface GroupingScore {
  stories: StoryOutcome[];
  /** Tickets in incidents that belong to their incident's majority story, over all tickets in incidents. */
  precision: number;
  /** Reports in their story's largest incident, over all reports. */
  recall: number;
  /** Single tickets (look-alikes and noise) that ended up in an incident. */
  singlesAbsorbed: Arrival[];
  /** Reports that ended up in another story's incident. */
  foreign: number;
}

export function replay(arrivals: readonly Arrival[], settings: DetectionSettings): ReplayedIncident[] {
  const incidents = new Map<string, ReplayedIncident>();
  const incidentOf = new Map<string, string>();
  const asDetected = (arrival: Arrival): DetectionTicket => ({ ...arrival, incidentId: incidentOf.get(arrival.ticketId) ?? null });
  for (const [index, arrival] of arrivals.entries()) {
    const since = arrival.createdAt.getTime() - settings.windowMs;
    const recent = arrivals.slice(0, index).filter((earlier) => earlier.createdAt.getTime() >= since);
    const detection = detect(asDetected(arrival), recent.map(asDetected), settings);
    if (detection.kind === 'join') {
      incidents.get(detection.incidentId)?.members.push(arrival);
      incidentOf.set(arrival.ticketId, detection.incidentId);
    } else if (detection.kind === 'propose') {
      const id = `incident-${incidents.size + 1}`;
      const memberIds = new Set(detection.members.map((member) => member.ticketId));
      incidents.set(id, { id, members: arrivals.filter((ticket) => memberIds.has(ticket.ticketId)) });
      for (const memberId of memberIds) incidentOf.set(memberId, id);
    }
  }
  return [...incidents.values()];
}

export function scoreGrouping(arrivals: readonly Arrival[], incidents: readonly ReplayedIncident[]): GroupingScore {
  const majorityOf = (incident: ReplayedIncident) => majority(incident.members.map((member) => member.story));
  let inIncidents = 0;
  let belonging = 0;
  for (const incident of incidents) {
    const story = majorityOf(incident);
    inIncidents += incident.members.length;
    belonging += story === null ? 0 : incident.members.filter((member) => member.story === story).length;
  }
  const storyNames = [...new Set(arrivals.flatMap((arrival) => (arrival.story ? [arrival.story] : [])))];
  const stories = storyNames.map((story): StoryOutcome => {
    const own = incidents.filter((incident) => majorityOf(incident) === story);
    const grouped = Math.max(0, ...own.map((incident) => incident.members.filter((member) => member.story === story).length));
    const reports = arrivals.filter((arrival) => arrival.story === story).length;
    return { story, reports, incidents: own.length, grouped };
  });
  const reports = stories.reduce((sum, outcome) => sum + outcome.reports, 0);
  const members = incidents.flatMap((incident) => incident.members.map((member) => ({ member, story: majorityOf(incident) })));
  return {
    stories,
    precision: inIncidents === 0 ? 1 : belonging / inIncidents,
    recall: reports === 0 ? 1 : stories.reduce((sum, outcome) => sum + outcome.grouped, 0) / reports,
    singlesAbsorbed: members.filter(({ member }) => member.story === null).map(({ member }) => member),
    foreign: members.filter(({ member, story }) => member.story !== null && member.story !== story).length,
  };
}

/** The most frequent label (null counts too: an incident of singles has no story); ties go to the first seen. */
function majority(labels: ReadonlyArray<string | null>): string | null {
  const counts = new Map<string | null, number>();
  for (const label of labels) counts.set(label, (counts.get(label) ?? 0) + 1);
  let best: string | null = null;
  let bestCount = 0;
  for (const [label, count] of counts) if (count > bestCount) [best, bestCount] = [label, count];
  return best;
}
