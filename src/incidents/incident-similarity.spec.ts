import { embedText } from '../models/offline-embeddings';
import { incidentTerms, likeness, TicketFeatures } from './incident-similarity';

function features(text: string): TicketFeatures {
  return { vector: embedText(text), terms: incidentTerms(text), requestType: 'software_access', category: 'software' };
}

describe('incidentTerms', () => {
  it('reads the spellings of one thing as one term', () => {
    expect([...incidentTerms("Can't connect to the Wi-Fi on the 3rd floor")].sort()).toEqual(['cannot', 'floor3', 'wifi']);
    expect([...incidentTerms('no WLAN on floor 3')].sort()).toEqual(['floor3', 'no', 'wifi']);
  });

  it('drops the words every report uses, whichever system is down', () => {
    expect([...incidentTerms('Teams not working for the whole team since this morning, colleagues too')].sort()).toEqual(['not', 'team']);
  });
});

describe('likeness', () => {
  it('halves the score when one ticket reports nothing broken', () => {
    const outage = features('Teams calls dropping\nTeams calls keep dropping after a minute.');
    const report = features('Teams calls dropped\nMy Teams calls dropped twice this morning.');
    const question = features('Teams calls\nWhere do I find the recording of my Teams calls?');

    expect(likeness(outage, question).score).toBeLessThan(likeness(outage, report).score / 2);
    expect(likeness(outage, question).sharedTerms).toEqual(['call', 'team']);
  });
});
