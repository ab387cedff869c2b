import { embedText } from '../models/offline-embeddings';
import { DEFAULT_INCIDENT_SIMILARITY, detect, DetectionSettings, DetectionTicket } from './incident-detection';
import * as similarity from './incident-similarity';
import { incidentTerms } from './incident-similarity';

const settings: DetectionSettings = { minRequesters: 5, windowMs: 30 * 60_000, cutoff: DEFAULT_INCIDENT_SIMILARITY };
const nine = Date.parse('2026-03-02T09:00:00Z');

const vpnDown = [
  ['VPN down', 'The VPN is down, GlobalProtect cannot connect from home.'],
  ["Can't connect to VPN", 'GlobalProtect VPN fails to connect since 9.'],
  ['VPN not working', 'VPN connection fails from home, GlobalProtect error.'],
  ['GlobalProtect VPN error', 'The VPN keeps failing at the gateway, working from home.'],
  ['Remote VPN broken', 'VPN broken: the GlobalProtect gateway is not responding.'],
] as const;

const outlookOffline = [
  ['Outlook not syncing', 'Outlook stopped syncing, the inbox shows nothing new.'],
  ['Outlook disconnected', 'Outlook says disconnected and cannot sync mail.'],
  ['No new emails in Outlook', 'Outlook is not receiving any email, the inbox is not syncing.'],
  ['Outlook offline', 'Outlook is offline, cannot send or receive email.'],
  ['Email down', 'Email not syncing in Outlook since 9.'],
] as const;

interface Filed {
  id: string;
  requester: string;
  minute: number;
  title: string;
  description: string;
  incidentId?: string;
}

function ticket({ id, requester, minute, title, description, incidentId }: Filed): DetectionTicket {
  const text = `${title}\n${description}`;
  return {
    ticketId: id,
    requesterId: requester,
    createdAt: new Date(nine + minute * 60_000),
    features: { vector: embedText(text), terms: incidentTerms(text), requestType: 'network', category: 'network' },
    incidentId: incidentId ?? null,
  };
}

/** One ticket per wording, a minute apart, each by `requesterOf(index)`. */
function reports(wordings: ReadonlyArray<readonly [string, string]>, prefix: string, requesterOf: (index: number) => string, incidentId?: string) {
  return wordings.map(([title, description], index) =>
    ticket({ id: `${prefix}${index + 1}`, requester: requesterOf(index), minute: index, title, description, incidentId }),
  );
}

/** Replays the tickets in order, as the projection would, and returns each one's detection kind. */
function kindsInOrder(tickets: DetectionTicket[]): string[] {
  return tickets.map((current, index) => detect(current, tickets.slice(0, index), settings).kind);
}

describe('detect', () => {
  it('proposes an incident when the fifth person reports the VPN down, with all five reports', () => {
    const tickets = reports(vpnDown.slice(0, 5), 'vpn', (index) => `person${index + 1}`);

    expect(kindsInOrder(tickets)).toEqual(['none', 'none', 'none', 'none', 'propose']);
    const detection = detect(tickets[4], tickets.slice(0, 4), settings);
    expect(detection.kind === 'propose' && detection.members.map((member) => member.ticketId).sort()).toEqual(['vpn1', 'vpn2', 'vpn3', 'vpn4', 'vpn5']);
  });

  it('proposes nothing when only four people report it', () => {
    const tickets = reports(vpnDown.slice(0, 4), 'vpn', (index) => `person${index + 1}`);

    expect(kindsInOrder(tickets)).toEqual(['none', 'none', 'none', 'none']);
  });

  it('proposes nothing when one person reports it five times', () => {
    const tickets = reports(vpnDown.slice(0, 5), 'vpn', () => 'person1');

    expect(kindsInOrder(tickets)).toEqual(['none', 'none', 'none', 'none', 'none']);
  });

  it("compares one person's new report with their many alike ones once each, not pairwise, and proposes nothing", () => {
    // Like a script (or a load test) filing the same ticket from one account: 2,000 alike tickets in the window.
    const same = Array.from({ length: 2000 }, (_, index) => ticket({ id: `same${index}`, requester: 'person1', minute: index / 100, title: vpnDown[0][0], description: vpnDown[0][1] }));
    const compared = jest.spyOn(similarity, 'likeness');

    expect(detect(same[1999], same.slice(0, 1999), settings)).toEqual({ kind: 'none' });
    expect(compared).toHaveBeenCalledTimes(1999);
    compared.mockRestore();
  });

  it('does not count a report filed before the window', () => {
    const tickets = reports(vpnDown.slice(0, 5), 'vpn', (index) => `person${index + 1}`);
    const earlier = { ...tickets[0], createdAt: new Date(nine - 31 * 60_000) };

    expect(detect(tickets[4], [earlier, ...tickets.slice(1, 4)], settings)).toEqual({ kind: 'none' });
  });

  it('keeps "VPN slow on hotel Wi-Fi" out of a VPN-down incident', () => {
    const incident = reports(vpnDown, 'vpn', (index) => `person${index + 1}`, 'vpn-down');
    const hotel = ticket({
      id: 'hotel',
      requester: 'traveller',
      minute: 7,
      title: 'VPN slow on hotel Wi-Fi',
      description: "I'm travelling and the VPN is really slow on the hotel Wi-Fi, pages take ages to load. Any tips?",
    });

    expect(detect(hotel, incident, settings).kind).not.toBe('join');
  });

  it('joins the incident the new report is most like when it is like members of two', () => {
    const vpn = reports(vpnDown, 'vpn', (index) => `person${index + 1}`, 'vpn-down');
    const outlook = reports(outlookOffline, 'mail', (index) => `person${index + 11}`, 'outlook-offline');
    const late = ticket({
      id: 'late',
      requester: 'person21',
      minute: 8,
      title: 'vpn fails',
      description: 'vpn gateway error in globalprotect, cannot work from home, outlook offline and not syncing email',
    });

    const detection = detect(late, [...outlook, ...vpn], settings);

    const likeIds = detection.kind === 'join' ? detection.like.map((like) => like.ticketId) : [];
    expect(likeIds.filter((id) => id.startsWith('mail')).length).toBeGreaterThanOrEqual(2);
    expect(detection.kind === 'join' && detection.incidentId).toBe('vpn-down');
  });
});
