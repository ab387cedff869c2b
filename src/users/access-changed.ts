/**
 * Emitted (after commit) when someone's access shrinks: a logout or a revoked session, a role change, a
 * deactivation. Open event streams listen, so what the REST API refuses at once the streams stop sending
 * at once too. Other instances learn of it from the database (see EventsService's access check).
 */
export const ACCESS_CHANGED = 'access.changed';

export interface AccessChangedSignal {
  userId: string;
  /** Only this sign-in session (a logout); absent: every session of the user. */
  sessionId?: string;
  reason: AccessEndReason;
}

/** Why a stream was ended: the session is over, or the user's role no longer matches the stream's. */
export type AccessEndReason = 'session_ended' | 'access_changed';
