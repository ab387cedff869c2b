// The event streams open on this instance, by user: so that a change of someone's access can end theirs,
// and one user cannot hold more than their share of the server's connections.
import type { AuthUser } from '../auth/auth-user';
import { TooManyRequestsException } from '../common/too-many-requests.exception';
import type { AccessChangedSignal, AccessEndReason } from '../users/access-changed';
import type { Role } from '../users/role.enum';

/** Who opens a stream: what decides what it may send, and how long. */
export type StreamViewer = Pick<AuthUser, 'id' | 'role' | 'employeeId' | 'sessionId' | 'tokenExpiresAt'>;

export type StreamEndReason = AccessEndReason | 'token_expired';

export interface OpenStream {
  userId: string;
  sessionId: string;
  /** The role the stream was opened with: it decided which events the stream sends. */
  role: Role;
  end(reason: StreamEndReason): void;
}

/** How soon a client refused for holding too many streams may try again (one may have closed by then). */
const RETRY_AFTER_SECONDS = 5;

export class OpenStreams {
  private readonly byUser = new Map<string, Set<OpenStream>>();

  constructor(private readonly maxPerUser: number) {}

  get size(): number {
    let size = 0;
    for (const streams of this.byUser.values()) size += streams.size;
    return size;
  }

  /** 429 when the user already holds as many streams as allowed. */
  assertRoom(userId: string): void {
    if ((this.byUser.get(userId)?.size ?? 0) < this.maxPerUser) return;
    throw new TooManyRequestsException(
      `At most ${this.maxPerUser} event streams may be open per user; close one (or use GET /api/v1/events for all your tickets at once)`,
      RETRY_AFTER_SECONDS,
    );
  }

  add(stream: OpenStream): void {
    const streams = this.byUser.get(stream.userId) ?? new Set<OpenStream>();
    this.byUser.set(stream.userId, streams.add(stream));
  }

  remove(stream: OpenStream): void {
    const streams = this.byUser.get(stream.userId);
    if (streams?.delete(stream) && streams.size === 0) this.byUser.delete(stream.userId);
  }

  /** The streams open now: what an access check asks about, and all that its answer may end. */
  snapshot(): OpenStream[] {
    return [...this.byUser.values()].flatMap((streams) => [...streams]);
  }

  /** Ends the streams a signal from this instance names: one session's, or all of the user's. */
  endFor(signal: AccessChangedSignal): void {
    for (const stream of [...(this.byUser.get(signal.userId) ?? [])]) {
      if (signal.sessionId === undefined || stream.sessionId === signal.sessionId) stream.end(signal.reason);
    }
  }

  /**
   * Of the streams `asked` about (a snapshot taken when the check's query began), ends those whose session
   * is not in `live`, or whose user's role has changed since they opened. A stream opened since then is not
   * in the answer for want of being asked about, not for want of a session: the next check covers it.
   */
  endStale(asked: readonly OpenStream[], live: ReadonlyMap<string, Role>): void {
    for (const stream of asked) {
      const role = live.get(stream.sessionId);
      if (role === undefined) stream.end('session_ended');
      else if (role !== stream.role) stream.end('access_changed');
    }
  }
}
