// All of the incidents' SQL: the incidents and their updates, who is in each (tickets.incident_id), what
// detection compares a new ticket with, and the resolution's batches.
import { Injectable } from '@nestjs/common';
import pgvector from 'pgvector';
import { QueryFailedError } from 'typeorm';
import { TransactionalRepository } from '../database/transactional.repository';

export type IncidentStatus = 'proposed' | 'open' | 'resolved' | 'dismissed';

export interface IncidentRow {
  id: string;
  status: IncidentStatus;
  title: string;
  reasons: Record<string, unknown>;
  detected_at: Date;
  created_by: string | null;
  opened_at: Date | null;
  opened_by: string | null;
  closed_at: Date | null;
  closed_by: string | null;
  resolution: string | null;
  resolve_after: string | null;
  updated_at: Date;
  ticket_ids: string[];
  requester_count: number;
}

export interface MemberRow {
  ticket_id: string;
  title: string;
  status: string;
  created_at: Date;
  requester_id: string;
  requester_name: string | null;
  department: string | null;
}

export interface UpdateRow {
  id: string;
  body: string;
  author_id: string | null;
  author_name: string | null;
  created_at: Date;
}

/** A ticket as detection compares it. */
export interface CandidateRow {
  ticket_id: string;
  requester_id: string;
  title: string;
  description: string;
  request_type: string;
  category: string;
  created_at: Date;
  incident_id: string | null;
  /** Null when the search index has not stored its vector yet. */
  embedding: string | null;
}

const LOCK_NOT_AVAILABLE = '55P03';

/** A command of support's holds the incident (NOWAIT): the link is tried again once it has committed. */
export class IncidentBusyError extends Error {
  constructor(incidentId: string) {
    super(`Incident ${incidentId} is being changed by support; the new reports are linked to it once that has committed`);
  }
}

const WITH_MEMBERS = `SELECT incident.*,
    COALESCE(ARRAY(SELECT member.id::text FROM tickets AS member WHERE member.incident_id = incident.id ORDER BY member.created_at, member.id), '{}') AS ticket_ids,
    (SELECT COUNT(DISTINCT member.requester_id)::int FROM tickets AS member WHERE member.incident_id = incident.id) AS requester_count
  FROM incidents AS incident`;

/** Open statuses: a ticket the workflow or support still works (a closed report is not a live one). */
const LIVE = `('pending', 'in_progress', 'waiting_for_user', 'waiting_for_approval', 'escalated', 'error')`;

@Injectable()
export class IncidentsRepository extends TransactionalRepository {
  async insert(incident: { status: IncidentStatus; title: string; reasons: Record<string, unknown>; createdBy: string | null }): Promise<string> {
    const opened = incident.status === 'open';
    const [row] = await this.manager.query<Array<{ id: string }>>(
      `INSERT INTO incidents (status, title, reasons, created_by, opened_at, opened_by)
       VALUES ($1, $2, $3, $4, CASE WHEN $5 THEN now() END, CASE WHEN $5 THEN $4::uuid END) RETURNING id`,
      [incident.status, incident.title, JSON.stringify(incident.reasons), incident.createdBy, opened],
    );
    return row.id;
  }

  async find(id: string, forUpdate = false): Promise<IncidentRow | null> {
    const rows = await this.manager.query<IncidentRow[]>(`${WITH_MEMBERS} WHERE incident.id = $1${forUpdate ? ' FOR UPDATE OF incident' : ''}`, [id]);
    return rows[0] ?? null;
  }

  /**
   * The incident's status, under a shared lock held to the end of the caller's transaction: what a ticket
   * joining it reads. Support's commands lock it for update, so a link and a confirm (or a resolve) never
   * cross — one waits for the other, and reads it done. `nowait`: refuse at once with IncidentBusyError,
   * for a caller that already holds other tickets' locks (waiting would deadlock with a command that locks
   * the incident, then those tickets).
   */
  async statusForLinking(id: string, options: { nowait: boolean }): Promise<IncidentStatus | null> {
    try {
      const rows = await this.manager.query<Array<{ status: IncidentStatus }>>(`SELECT status FROM incidents WHERE id = $1 FOR SHARE${options.nowait ? ' NOWAIT' : ''}`, [id]);
      return rows[0]?.status ?? null;
    } catch (error) {
      if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === LOCK_NOT_AVAILABLE) throw new IncidentBusyError(id);
      throw error;
    }
  }

  /** Newest first; `ticketId`: the incident that ticket is part of. */
  list(filters: { statuses?: IncidentStatus[]; ticketId?: string; limit: number }): Promise<IncidentRow[]> {
    const parameters: unknown[] = [filters.limit];
    const where: string[] = [];
    if (filters.statuses) where.push(`incident.status = ANY($${parameters.push(filters.statuses)}::varchar[])`);
    if (filters.ticketId) where.push(`incident.id = (SELECT incident_id FROM tickets WHERE id = $${parameters.push(filters.ticketId)})`);
    return this.manager.query<IncidentRow[]>(
      `${WITH_MEMBERS} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY incident.detected_at DESC, incident.id LIMIT $1`,
      parameters,
    );
  }

  members(incidentId: string): Promise<MemberRow[]> {
    return this.manager.query<MemberRow[]>(
      `SELECT ticket.id AS ticket_id, ticket.title, ticket.status, ticket.created_at, ticket.requester_id,
              requester.full_name AS requester_name, requester.department
         FROM tickets AS ticket LEFT JOIN users AS requester ON requester.id = ticket.requester_id
        WHERE ticket.incident_id = $1 ORDER BY ticket.created_at, ticket.id`,
      [incidentId],
    );
  }

  /** The member tickets' ids in id order (the order writers lock them in). */
  async memberIds(incidentId: string): Promise<string[]> {
    const rows = await this.manager.query<Array<{ id: string }>>(`SELECT id FROM tickets WHERE incident_id = $1 ORDER BY id`, [incidentId]);
    return rows.map((row) => row.id);
  }

  updates(incidentId: string): Promise<UpdateRow[]> {
    return this.manager.query<UpdateRow[]>(
      `SELECT u.id, u.body, u.author_id, author.full_name AS author_name, u.created_at
         FROM incident_updates AS u LEFT JOIN users AS author ON author.id = u.author_id
        WHERE u.incident_id = $1 ORDER BY u.created_at, u.id`,
      [incidentId],
    );
  }

  async insertUpdate(incidentId: string, authorId: string, body: string): Promise<void> {
    await this.manager.query(`INSERT INTO incident_updates (incident_id, author_id, body) VALUES ($1, $2, $3)`, [incidentId, authorId, body]);
    await this.touch(incidentId);
  }

  async touch(incidentId: string): Promise<void> {
    await this.manager.query(`UPDATE incidents SET updated_at = now() WHERE id = $1`, [incidentId]);
  }

  async open(incidentId: string, actorId: string, title?: string): Promise<void> {
    await this.manager.query(
      `UPDATE incidents SET status = 'open', opened_at = now(), opened_by = $2, title = COALESCE($3, title), closed_at = NULL, closed_by = NULL, updated_at = now() WHERE id = $1`,
      [incidentId, actorId, title ?? null],
    );
  }

  async dismiss(incidentId: string, actorId: string, ticketIds: string[]): Promise<void> {
    await this.manager.query(
      `UPDATE incidents SET status = 'dismissed', closed_at = now(), closed_by = $2, dismissed_ticket_ids = $3::uuid[], updated_at = now() WHERE id = $1`,
      [incidentId, actorId, ticketIds],
    );
  }

  /** Resolved, with its tickets still to be told: the batches start before the first ticket id. */
  async resolve(incidentId: string, actorId: string, resolution: string): Promise<void> {
    await this.manager.query(
      `UPDATE incidents SET status = 'resolved', closed_at = now(), closed_by = $2, resolution = $3,
              resolve_after = '00000000-0000-0000-0000-000000000000', updated_at = now() WHERE id = $1`,
      [incidentId, actorId, resolution],
    );
  }

  /** Claims one incident whose resolution has tickets left (one instance at a time: SKIP LOCKED), with the next batch of them. */
  async claimResolutionBatch(limit: number): Promise<{ incident: Pick<IncidentRow, 'id' | 'resolution' | 'closed_by'>; ticketIds: string[] } | null> {
    const [incident] = await this.manager.query<Array<Pick<IncidentRow, 'id' | 'resolution' | 'closed_by' | 'resolve_after'>>>(
      `SELECT id, resolution, closed_by, resolve_after FROM incidents WHERE resolve_after IS NOT NULL ORDER BY closed_at LIMIT 1 FOR UPDATE SKIP LOCKED`,
    );
    if (!incident) return null;
    const rows = await this.manager.query<Array<{ id: string }>>(`SELECT id FROM tickets WHERE incident_id = $1 AND id > $2 ORDER BY id LIMIT $3`, [
      incident.id,
      incident.resolve_after,
      limit,
    ]);
    return { incident, ticketIds: rows.map((row) => row.id) };
  }

  /** Where the resolution's batches stand: the last ticket done, or null when none is left. */
  async moveResolution(incidentId: string, lastTicketId: string | null): Promise<void> {
    await this.manager.query(`UPDATE incidents SET resolve_after = $2 WHERE id = $1`, [incidentId, lastTicketId]);
  }

  /**
   * The new tickets and every live ticket filed from `window` before the first of them, with their vectors
   * and incidents (proposed or open only: a dismissed incident's tickets are not grouped again).
   */
  candidates(newTicketIds: string[], windowMs: number): Promise<CandidateRow[]> {
    return this.manager.query<CandidateRow[]>(
      `WITH fresh AS (SELECT min(created_at) AS since, max(created_at) AS until FROM tickets WHERE id = ANY($1::uuid[]))
       SELECT ticket.id AS ticket_id, ticket.requester_id, ticket.title, ticket.description, ticket.request_type::text, ticket.category::text,
              ticket.created_at, CASE WHEN incident.status IN ('proposed', 'open') THEN incident.id END AS incident_id,
              vector.embedding::text AS embedding
         FROM fresh, tickets AS ticket
         LEFT JOIN incidents AS incident ON incident.id = ticket.incident_id
         LEFT JOIN ticket_embeddings AS vector ON vector.ticket_id = ticket.id
        WHERE ticket.created_at >= fresh.since - make_interval(secs => $2::double precision / 1000) AND ticket.created_at <= fresh.until
          AND (ticket.id = ANY($1::uuid[]) OR ticket.status IN ${LIVE})
          AND (incident.id IS NULL OR incident.status IN ('proposed', 'open'))
          AND NOT EXISTS (SELECT 1 FROM incidents AS dismissed WHERE dismissed.status = 'dismissed' AND ticket.id = ANY(dismissed.dismissed_ticket_ids))
        ORDER BY ticket.created_at, ticket.id`,
      [newTicketIds, windowMs],
    );
  }

  /** The live tickets of the open incidents, to compare a new ticket with (the workflow's first step). */
  openMembers(): Promise<CandidateRow[]> {
    return this.manager.query<CandidateRow[]>(
      `SELECT ticket.id AS ticket_id, ticket.requester_id, ticket.title, ticket.description, ticket.request_type::text, ticket.category::text,
              ticket.created_at, ticket.incident_id, vector.embedding::text AS embedding
         FROM incidents AS incident
         JOIN tickets AS ticket ON ticket.incident_id = incident.id
         LEFT JOIN ticket_embeddings AS vector ON vector.ticket_id = ticket.id
        WHERE incident.status = 'open'`,
    );
  }

  /** Ids of the incidents open now (what the workflow's cache of them holds). */
  async openIds(): Promise<string[]> {
    const rows = await this.manager.query<Array<{ id: string }>>(`SELECT id FROM incidents WHERE status = 'open'`);
    return rows.map((row) => row.id);
  }
}

/** A stored vector as the driver returns it ("[0.1,0.2,…]"). */
export function parseVector(text: string): number[] {
  return pgvector.fromSql(text) as number[];
}
