// The header's way to the notifications: the unread count, live, announced politely when it changes.
import { href } from '../router';
import { useUnreadNotifications } from '../notifications';

export function NotificationBell({ current }: { current: boolean }) {
  const unread = useUnreadNotifications();
  const known = unread !== null;
  return (
    <>
      <a class="bell" href={href('/notifications')} aria-current={current ? 'page' : undefined} data-unread={known ? unread : undefined}>
        <span aria-hidden="true">🔔</span> Notifications
        {known && unread > 0 ? <span class="count" aria-hidden="true">{unread > 99 ? '99+' : unread}</span> : null}
        {known ? <span class="visually-hidden"> ({unread} unread)</span> : null}
      </a>
      <span class="visually-hidden" role="status" aria-live="polite">
        {known && unread > 0 ? `${unread} unread notification${unread === 1 ? '' : 's'}` : ''}
      </span>
    </>
  );
}
