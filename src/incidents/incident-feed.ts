// Says "an incident changed" once the change is committed: to this instance's listeners at once, and to
// the other instances through NOTIFY `incidents` (which, like every database notification, only says
// "look now"). What listens: the cache of open incidents the workflow asks, and the resolution's batches.
import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { AfterCommit } from '../database/after-commit';
import { DatabaseNotifications } from '../database/database-notifications';

export type IncidentChange = 'incident_proposed' | 'incident_opened' | 'incident_linked' | 'incident_unlinked' | 'incident_update' | 'incident_resolved' | 'incident_dismissed' | 'incident_reopened';

@Injectable()
export class IncidentFeed implements OnApplicationBootstrap {
  private readonly listeners: Array<() => void> = [];

  constructor(
    private readonly afterCommit: AfterCommit,
    private readonly databaseNotifications: DatabaseNotifications,
  ) {}

  onApplicationBootstrap(): void {
    this.databaseNotifications.on('incidents', () => this.tell());
    this.databaseNotifications.onReconnected(() => this.tell());
  }

  /** Called whenever an incident's status or membership changes (after its transaction commits, if in one). */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  changed(incidentId: string, change: IncidentChange): void {
    this.afterCommit.run(() => {
      this.tell();
      this.databaseNotifications.notify('incidents', `${change}:${incidentId}`);
    });
  }

  private tell(): void {
    for (const listener of this.listeners) listener();
  }
}
