// What a major incident tells the requesters of its tickets, in plain words: never anyone else's name,
// ticket or words, and never how many others there are.

export const KNOWN_PROBLEM =
  'Other people have reported this same problem. Support already knows about it and is working on it, so you ' +
  "don't need to do anything more. We'll tell you here when it's fixed.";

export const HANDLED_ON_ITS_OWN = 'Support will look at your request on its own.';

/** The requester-safe payload of an incident event on a ticket's trail. */
export function requesterPart(incidentId: string, message: string): Record<string, unknown> {
  return { incident_id: incidentId, message };
}
