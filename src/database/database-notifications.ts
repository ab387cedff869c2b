// Tells the other instances on one PostgreSQL server, in milliseconds, that something they may act on was
// committed: new ticket events, runs queued or handed back. A notification only says "read now" — the
// tables stay the source of truth — so a lost one (the listener reconnecting, a process killed between its
// commit and its NOTIFY) is healed by the next read, by the read every listener makes after it reconnects,
// and by each reader's slow safety poll.
//
// NOTIFY is sent after the commit, not inside the writing transaction: a transaction that notifies takes
// a database-wide lock at commit and holds it through the WAL flush, which would make ticket writes commit
// one at a time again. It goes over a connection of its own (a one-connection pool, which queues the sends
// and replaces a dropped connection), so that it neither waits behind the requests' pool nor shares the
// listening connection with pg-listen's checks (pg refuses overlapping queries on one client from v9).
// Sends to one channel coalesce: one in flight, at most one more after it, however many commits asked.
//
// The listening connection is pg-listen's (reconnects with back-off, LISTENs again after a drop, and checks
// the connection every few seconds so that a silently dead socket is noticed). On the embedded database
// there is only one process, and the in-process signals already reach every reader: nothing is sent.
import { AsyncResource } from 'node:async_hooks';
import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import createPostgresSubscriber, { Subscriber } from 'pg-listen';
import { AppConfig } from '../config/app-config';

/**
 * `ticket_events`: events were appended; `workflow_runs`: runs were queued or handed back; `workflow_settled`:
 * a run segment paused or ended (its detail is the ticket id, for the `?wait=true` requests waiting on it);
 * `notifications`: notifications were created (its detail is their ids, for the live streams open elsewhere).
 */
export type NotificationChannel = 'ticket_events' | 'workflow_runs' | 'workflow_settled' | 'notifications' | 'incidents';
const CHANNELS: NotificationChannel[] = ['ticket_events', 'workflow_runs', 'workflow_settled', 'notifications', 'incidents'];

/** How often the listening connection proves it is alive (ms); a dead one is replaced. */
const CHECK_EVERY_MS = 5000;
/** A statement on the listening connection that takes longer than this means the connection is gone (ms). */
const QUERY_TIMEOUT_MS = 5000;
const MAX_RETRY_INTERVAL_MS = 5000;

export interface ListenerStatus {
  /** `in-process` on the embedded database, where no listener is needed. */
  status: 'up' | 'down' | 'in-process';
  /** Since when the listener has been down. */
  since?: string;
}

interface Payload {
  from: string;
  detail?: string;
}

@Injectable()
export class DatabaseNotifications implements OnModuleInit, OnApplicationShutdown {
  /** This process among the instances: its own notifications are not acted on twice. */
  readonly instanceId = randomUUID();
  private subscriber?: Subscriber<Record<NotificationChannel, Payload>>;
  private sender?: pg.Pool;
  /** Set while the listener is not listening (from the start until the first connect, and after a drop). */
  private downSince?: Date;
  private everConnected = false;
  private stopped = false;
  private readonly handlers = new Map<NotificationChannel, Array<(detail?: string) => void>>();
  private readonly reconnectHandlers: Array<() => void> = [];
  private readonly sending = new Map<NotificationChannel, Promise<void>>();
  private readonly sendAgain = new Set<NotificationChannel>();
  private readonly logger = new Logger(DatabaseNotifications.name);

  constructor(private readonly config: AppConfig) {}

  /** Whether notifications cross processes here (a PostgreSQL server), rather than staying in-process. */
  get crossesProcesses(): boolean {
    return this.config.databaseUrl !== undefined;
  }

  async onModuleInit(): Promise<void> {
    if (!this.crossesProcesses) return;
    this.downSince = new Date();
    const subscriber = createPostgresSubscriber<Record<NotificationChannel, Payload>>(
      { connectionString: this.config.databaseUrl, query_timeout: QUERY_TIMEOUT_MS, connectionTimeoutMillis: QUERY_TIMEOUT_MS, application_name: 'support-desk-listener' },
      {
        paranoidChecking: CHECK_EVERY_MS,
        // Never give up: a database restart can take longer than any fixed limit.
        retryLimit: Infinity,
        retryTimeout: 0,
        retryInterval: (attempt) => Math.min(MAX_RETRY_INTERVAL_MS, 100 * 2 ** attempt),
      },
    );
    this.subscriber = subscriber;
    this.sender = new pg.Pool({ connectionString: this.config.databaseUrl, max: 1, connectionTimeoutMillis: QUERY_TIMEOUT_MS, query_timeout: QUERY_TIMEOUT_MS, application_name: 'support-desk-notifier' });
    this.sender.on('error', () => undefined); // a dropped idle connection: the next send opens another
    subscriber.events.on('connected', () => this.onConnected());
    subscriber.events.on('reconnect', () => this.onReconnecting());
    subscriber.events.on('error', (error) => this.logger.warn(`Database notifications: ${error.message}`));
    for (const channel of CHANNELS) {
      subscriber.notifications.on(channel, (payload?: Payload) => {
        if (payload?.from === this.instanceId) return;
        this.handlers.get(channel)?.forEach((handler) => handler(payload?.detail));
      });
    }
    await subscriber.connect();
    for (const channel of CHANNELS) await subscriber.listenTo(channel);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.sending.values());
    await this.subscriber?.close().catch(() => undefined);
    await this.sender?.end().catch(() => undefined);
  }

  /** Calls `handler` (with the notification's detail, if any) when another instance says something was committed on `channel`. */
  on(channel: NotificationChannel, handler: (detail?: string) => void): void {
    this.handlers.set(channel, [...(this.handlers.get(channel) ?? []), handler]);
  }

  /** Calls `handler` when the listener is back after a drop: whatever was announced meanwhile was missed. */
  onReconnected(handler: () => void): void {
    this.reconnectHandlers.push(handler);
  }

  /**
   * Tells the other instances that something was committed on `channel` (call after the commit). With a
   * `detail` each notification is sent as it is; without, sends to one channel coalesce.
   */
  notify(channel: NotificationChannel, detail?: string): void {
    if (!this.sender || this.stopped) return;
    // Sent from the context the service started in: telling the others is not the caller's own work.
    this.outsideCaller(() => this.announce(channel, detail));
  }

  private readonly outsideCaller = AsyncResource.bind((work: () => void) => work());

  private announce(channel: NotificationChannel, detail?: string): void {
    if (detail !== undefined) {
      void this.send(channel, { from: this.instanceId, detail });
      return;
    }
    if (this.sending.has(channel)) {
      this.sendAgain.add(channel);
      return;
    }
    const sent = (async () => {
      do {
        this.sendAgain.delete(channel);
        await this.send(channel, { from: this.instanceId });
      } while (this.sendAgain.has(channel) && !this.stopped);
    })().finally(() => this.sending.delete(channel));
    this.sending.set(channel, sent);
  }

  /** One NOTIFY; lost when the database is out of reach (the receivers' safety reads catch up). */
  private async send(channel: NotificationChannel, payload: Payload): Promise<void> {
    await this.sender?.query('SELECT pg_notify($1, $2)', [channel, JSON.stringify(payload)]).catch(() => undefined);
  }

  get status(): ListenerStatus {
    if (!this.crossesProcesses) return { status: 'in-process' };
    return this.downSince ? { status: 'down', since: this.downSince.toISOString() } : { status: 'up' };
  }

  private onConnected(): void {
    this.downSince = undefined;
    if (!this.everConnected) {
      this.everConnected = true;
      return;
    }
    this.logger.log('Database notifications: listening again');
    this.reconnectHandlers.forEach((handler) => handler());
  }

  private onReconnecting(): void {
    if (!this.downSince) this.logger.warn('Database notifications: the listening connection was lost; reconnecting');
    this.downSince ??= new Date();
  }
}
