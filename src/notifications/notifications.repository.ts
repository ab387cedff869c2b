// All of the notifications' SQL: reading a batch of the trail with what the rules need, creating
// notifications once (muted kinds and inactive users skipped), a user's list, read marks and preferences.
import { Injectable } from '@nestjs/common';
import type { KeysetPosition } from '../common/keyset-cursor';
import { TransactionalRepository } from '../database/transactional.repository';
import { TicketEventType } from '../tickets/ticket-events';
import type { EventInContext, NewNotification } from './notification-rules';

export interface NotificationRow {
  id: string;
  recipient_id: string;
  kind: string;
  ticket_id: string;
  title: string;
  text: string;
  created_at: Date;
  read_at: Date | null;
}

const COLUMNS = `id, recipient_id, kind, ticket_id, title, text, created_at, read_at`;
const APPROVAL_ANNOUNCEMENTS = `('${TicketEventType.ApprovalRequested}', '${TicketEventType.ApprovalReminder}')`;

@Injectable()
export class NotificationsRepository extends TransactionalRepository {
  /**
   * The events, in id order, each with its ticket, its actor's name, and — for approval announcements —
   * who may decide: the assignee's delegates now, or (unassigned) every active support and admin user.
   */
  async findEventsInContext(eventIds: number[]): Promise<EventInContext[]> {
    const rows = await this.manager.query<
      Array<{
        id: string;
        ticket_id: string;
        type: string;
        actor_id: string | null;
        actor_name: string | null;
        staff_only: boolean;
        payload: Record<string, unknown>;
        created_at: Date;
        title: string;
        requester_id: string;
        assignee_id: string | null;
        assignee_name: string | null;
        delegate_ids: string[];
        approver_pool: string[];
      }>
    >(
      `SELECT e.id::text AS id, e.ticket_id, e.type, e.actor_id, actor.full_name AS actor_name, e.staff_only, e.payload, e.created_at,
              t.title, t.requester_id, t.assignee_id, assignee.full_name AS assignee_name,
              CASE WHEN e.type IN ${APPROVAL_ANNOUNCEMENTS} AND t.assignee_id IS NOT NULL THEN ARRAY(
                SELECT d.delegate_id::text FROM approval_delegations d
                 WHERE d.delegator_id = t.assignee_id AND d.starts_at <= now() AND d.ends_at > now() ORDER BY d.starts_at
              ) ELSE ARRAY[]::text[] END AS delegate_ids,
              CASE WHEN e.type IN ${APPROVAL_ANNOUNCEMENTS} AND t.assignee_id IS NULL THEN ARRAY(
                SELECT u.id::text FROM users u WHERE u.is_active AND u.role::text IN ('support', 'admin') ORDER BY u.id
              ) ELSE ARRAY[]::text[] END AS approver_pool
         FROM ticket_events e
         JOIN tickets t ON t.id = e.ticket_id
         LEFT JOIN users actor ON actor.id = e.actor_id
         LEFT JOIN users assignee ON assignee.id = t.assignee_id
        WHERE e.id = ANY($1::bigint[])
        ORDER BY e.id`,
      [eventIds],
    );
    return rows.map((row) => ({
      eventId: row.id,
      ticketId: row.ticket_id,
      type: row.type,
      actorId: row.actor_id,
      actorName: row.actor_name,
      staffOnly: row.staff_only,
      payload: row.payload,
      createdAt: new Date(row.created_at),
      ticketTitle: row.title,
      requesterId: row.requester_id,
      assigneeId: row.assignee_id,
      assigneeName: row.assignee_name,
      delegateIds: row.delegate_ids,
      approverPool: row.approver_pool,
    }));
  }

  /**
   * Creates the notifications in one statement, except those of a kind their recipient muted, those of an
   * inactive user, and those created before (the same event, recipient and kind): the ones created now.
   */
  async insertNew(notifications: NewNotification[]): Promise<NotificationRow[]> {
    if (notifications.length === 0) return [];
    const column = <T>(pick: (notification: NewNotification) => T) => notifications.map(pick);
    return this.manager.query<NotificationRow[]>(
      `INSERT INTO notifications (event_id, recipient_id, kind, ticket_id, title, text, created_at)
       SELECT n.event_id, n.recipient_id, n.kind, n.ticket_id, n.title, n.text, n.created_at
         FROM unnest($1::bigint[], $2::uuid[], $3::text[], $4::uuid[], $5::text[], $6::text[], $7::timestamptz[])
              AS n(event_id, recipient_id, kind, ticket_id, title, text, created_at)
         JOIN users u ON u.id = n.recipient_id AND u.is_active
        WHERE NOT EXISTS (SELECT 1 FROM notification_preferences p WHERE p.user_id = n.recipient_id AND p.kind = n.kind AND NOT p.in_app)
       ON CONFLICT (event_id, recipient_id, kind) DO NOTHING
       RETURNING ${COLUMNS}`,
      [
        column((n) => n.eventId),
        column((n) => n.recipientId),
        column((n) => n.kind),
        column((n) => n.ticketId),
        column((n) => n.title),
        column((n) => n.text),
        column((n) => n.createdAt.toISOString()),
      ],
    );
  }

  /** The user's notifications, newest first, after the keyset position `after`. */
  listFor(userId: string, options: { unreadOnly: boolean; limit: number; after?: KeysetPosition }): Promise<NotificationRow[]> {
    return this.manager.query<NotificationRow[]>(
      `SELECT ${COLUMNS} FROM notifications
        WHERE recipient_id = $1 AND (NOT $2 OR read_at IS NULL)
          AND ($4::timestamptz IS NULL OR (created_at, id) < ($4::timestamptz, $5::uuid))
        ORDER BY created_at DESC, id DESC
        LIMIT $3`,
      [userId, options.unreadOnly, options.limit, options.after?.createdAt ?? null, options.after?.id ?? null],
    );
  }

  async countUnread(userId: string): Promise<number> {
    const [row] = await this.manager.query<Array<{ count: number }>>(`SELECT count(*)::int AS count FROM notifications WHERE recipient_id = $1 AND read_at IS NULL`, [userId]);
    return row.count;
  }

  /** Marks one of the user's notifications read (a second mark keeps the first time); null when it is not theirs. */
  async markRead(userId: string, id: string): Promise<NotificationRow | null> {
    const [rows]: [NotificationRow[]] = await this.manager.query(
      `UPDATE notifications SET read_at = COALESCE(read_at, clock_timestamp()) WHERE id = $1 AND recipient_id = $2 RETURNING ${COLUMNS}`,
      [id, userId],
    );
    return rows[0] ?? null;
  }

  /** Marks every unread notification of the user read; how many were. */
  async markAllRead(userId: string): Promise<number> {
    const [, marked] = await this.manager.query<[unknown, number]>(`UPDATE notifications SET read_at = clock_timestamp() WHERE recipient_id = $1 AND read_at IS NULL`, [userId]);
    return marked;
  }

  /** Of these notifications, those of the given recipients (what another instance created for a stream open here). */
  findForRecipients(ids: string[], recipientIds: string[]): Promise<NotificationRow[]> {
    return this.manager.query<NotificationRow[]>(
      `SELECT ${COLUMNS} FROM notifications WHERE id = ANY($1::uuid[]) AND recipient_id = ANY($2::uuid[]) ORDER BY created_at, id`,
      [ids, recipientIds],
    );
  }

  /** The kinds the user switched off or on (a kind without a row is on). */
  async preferencesOf(userId: string): Promise<Map<string, boolean>> {
    const rows = await this.manager.query<Array<{ kind: string; in_app: boolean }>>(`SELECT kind, in_app FROM notification_preferences WHERE user_id = $1`, [userId]);
    return new Map(rows.map((row) => [row.kind, row.in_app]));
  }

  async savePreferences(userId: string, preferences: Array<{ kind: string; inApp: boolean }>): Promise<void> {
    await this.manager.query(
      `INSERT INTO notification_preferences (user_id, kind, in_app)
       SELECT $1, p.kind, p.in_app FROM unnest($2::text[], $3::boolean[]) AS p(kind, in_app)
       ON CONFLICT (user_id, kind) DO UPDATE SET in_app = EXCLUDED.in_app, updated_at = now()`,
      [userId, preferences.map((p) => p.kind), preferences.map((p) => p.inApp)],
    );
  }
}
