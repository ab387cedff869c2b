// The signed-in user's notifications as the whole tab sees them: the unread count the bell shows, kept
// live by the shared event stream (a `notification` message adds one; a (re)connect reads the count
// again, as messages are not replayed), and the new ones for the notifications screen, if it is open.
import { useEffect, useState } from 'preact/hooks';
import { api, type Schemas } from './api/client';
import { useEventStream } from './live';

export type Notification = Schemas['NotificationDto'];

class NotificationsState {
  unread = 0;
  private readonly countListeners = new Set<(unread: number) => void>();
  private readonly arrivalListeners = new Set<(notification: Notification) => void>();

  async refresh(): Promise<void> {
    const { data } = await api.GET('/api/v1/notifications', { params: { query: { limit: 1 } } });
    if (data) this.setUnread(data.unread_count);
  }

  arrived(notification: Notification): void {
    this.setUnread(this.unread + 1);
    this.arrivalListeners.forEach((listener) => listener(notification));
  }

  setUnread(unread: number): void {
    this.unread = Math.max(0, unread);
    this.countListeners.forEach((listener) => listener(this.unread));
  }

  onCount(listener: (unread: number) => void): () => void {
    this.countListeners.add(listener);
    return () => this.countListeners.delete(listener);
  }

  onArrival(listener: (notification: Notification) => void): () => void {
    this.arrivalListeners.add(listener);
    return () => this.arrivalListeners.delete(listener);
  }
}

export const notifications = new NotificationsState();

/** The unread count, live (the header holds this once; it keeps the stream open). */
export function useUnreadNotifications(): number {
  const [unread, setUnread] = useState(notifications.unread);
  useEffect(() => notifications.onCount(setUnread), []);
  useEventStream(null, (event) => {
    if (event.type === 'connected') void notifications.refresh();
    if (event.type === 'notification') notifications.arrived(event.notification as Notification);
  });
  return unread;
}
