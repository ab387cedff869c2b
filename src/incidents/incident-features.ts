// Turns tickets as the repository reads them into what detection compares: their stored vectors (the
// search index's), or — for a ticket filed a moment ago, not indexed yet — one computed now from the same
// text the index embeds.
import { Injectable } from '@nestjs/common';
import { Embedder } from '../knowledge/embedder.service';
import { DetectionTicket } from './incident-detection';
import { incidentTerms } from './incident-similarity';
import { CandidateRow, parseVector } from './incidents.repository';

export interface DetectionCandidate extends DetectionTicket {
  title: string;
}

@Injectable()
export class IncidentFeatures {
  constructor(private readonly embedder: Embedder) {}

  async of(rows: CandidateRow[]): Promise<DetectionCandidate[]> {
    const missing = rows.filter((row) => row.embedding === null);
    const computed = missing.length > 0 ? await this.embedder.embedDocuments(missing.map(indexedText)) : [];
    const vectors = new Map(missing.map((row, index) => [row.ticket_id, computed[index]]));
    return rows.map((row) => ({
      ticketId: row.ticket_id,
      requesterId: row.requester_id,
      createdAt: new Date(row.created_at),
      incidentId: row.incident_id,
      title: row.title,
      features: {
        vector: row.embedding === null ? vectors.get(row.ticket_id)! : parseVector(row.embedding),
        terms: incidentTerms(`${row.title}\n${row.description}`),
        requestType: row.request_type,
        category: row.category,
      },
    }));
  }
}

/** What the search index embeds for a ticket not yet resolved (TicketIndex). */
function indexedText(row: CandidateRow): string {
  return [row.title, row.description, ''].join('\n');
}
