// Notifications as they are created, for the live streams: the projection hands them over once its
// transaction has committed, and each instance tells the others (NOTIFY `notifications`, with the new
// ids) so that a user whose stream is open on another instance hears of them too. Like every database
// notification it only says "look now": the table stays the truth, and a client that reconnects reads it.
import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { filter, map, Observable, Subject } from 'rxjs';
import { AfterCommit } from '../database/after-commit';
import { DatabaseNotifications } from '../database/database-notifications';
import { NotificationDto, toNotificationDto } from './dto/notification.dto';
import { NotificationRow, NotificationsRepository } from './notifications.repository';

/** Ids per NOTIFY: a payload must stay under PostgreSQL's 8000 bytes (a uuid and a comma are 37). */
const IDS_PER_NOTIFY = 200;

@Injectable()
export class NotificationFeed implements OnApplicationBootstrap {
  private readonly created = new Subject<NotificationRow>();
  /** How many streams on this instance listen for each user: only their notifications are read when another instance announces some. */
  private readonly listeners = new Map<string, number>();

  constructor(
    private readonly notificationsRepository: NotificationsRepository,
    private readonly databaseNotifications: DatabaseNotifications,
    private readonly afterCommit: AfterCommit,
  ) {}

  onApplicationBootstrap(): void {
    this.databaseNotifications.on('notifications', (detail) => void this.fromAnotherInstance(detail));
  }

  /** The user's new notifications, as they are created (on any instance), while subscribed. */
  forUser(userId: string): Observable<NotificationDto> {
    return new Observable<NotificationDto>((subscriber) => {
      this.listeners.set(userId, (this.listeners.get(userId) ?? 0) + 1);
      const subscription = this.created
        .pipe(
          filter((row) => row.recipient_id === userId),
          map(toNotificationDto),
        )
        .subscribe(subscriber);
      return () => {
        subscription.unsubscribe();
        const left = (this.listeners.get(userId) ?? 1) - 1;
        if (left > 0) this.listeners.set(userId, left);
        else this.listeners.delete(userId);
      };
    });
  }

  /** Called in the transaction that created them: published here and announced to the others once it commits. */
  publishAfterCommit(rows: NotificationRow[]): void {
    if (rows.length === 0) return;
    this.afterCommit.run(() => {
      rows.forEach((row) => this.created.next(row));
      for (let start = 0; start < rows.length; start += IDS_PER_NOTIFY) {
        this.databaseNotifications.notify('notifications', rows.slice(start, start + IDS_PER_NOTIFY).map((row) => row.id).join(','));
      }
    });
  }

  private async fromAnotherInstance(detail: string | undefined): Promise<void> {
    const recipients = [...this.listeners.keys()];
    if (!detail || recipients.length === 0) return;
    try {
      const rows = await this.notificationsRepository.findForRecipients(detail.split(','), recipients);
      rows.forEach((row) => this.created.next(row));
    } catch {
      // Lost like a lost NOTIFY: the console reads the list again when its stream reconnects.
    }
  }
}
