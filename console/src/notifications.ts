// The signed-in user's notifications as the whole tab sees them: the unread count the bell shows, kept
// live by the shared event stream (a `notification` message adds one; a (re)connect reads the count
// again, as messages are not replayed), and the new ones for the notifications screen, if it is open.
import { useEffect, useState } from 'preact/hooks';
import { api, type Schemas } from './api/client';
import { useEventStream } from './live';

export type Notification = Schemas['NotificationDto'];

class NotificationsState {
  /** Null until first read from the API. */
  unread: number | null = null;
  private readonly countListeners = new Set<(unread: number | null) => void>();
  private readonly arrivalListeners = new Set<(notification: Notification) => void>();

  async refresh(): Promise<void> {
    const { data } = await api.GET('/api/v1/notifications', { params: { query: { limit: 1 } } });
    if (data) this.setUnread(data.unread_count);
  }

  arrived(notification: Notification): void {
    this.setUnread((this.unread ?? 0) + 1);
    this.arrivalListeners.forEach((listener) => listener(notification));
  }

  /** One read (the screen marked it), or all of them (0). */
  markedRead(all = false): void {
    this.setUnread(all ? 0 : (this.unread ?? 1) - 1);
  }

  private setUnread(unread: number): void {
    this.unread = Math.max(0, unread);
    this.countListeners.forEach((listener) => listener(this.unread));
  }

  /** The last listener gone (signed out): the next user's count is read afresh, never shown from this one. */
  onCount(listener: (unread: number | null) => void): () => void {
    this.countListeners.add(listener);
    return () => {
      this.countListeners.delete(listener);
      if (this.countListeners.size === 0) this.unread = null;
    };
  }

  onArrival(listener: (notification: Notification) => void): () => void {
    this.arrivalListeners.add(listener);
    return () => this.arrivalListeners.delete(listener);
  }
}

export const notifications = new NotificationsState();

/** The unread count, live (null until read; the header holds this once, and keeps the stream open). */
export function useUnreadNotifications(): number | null {
  const [unread, setUnread] = useState(notifications.unread);
  useEffect(() => notifications.onCount(setUnread), []);
  useEventStream(null, (event) => {
    if (event.type === 'connected') void notifications.refresh();
    if (event.type === 'notification') notifications.arrived(event.notification as Notification);
  });
  return unread;
}
