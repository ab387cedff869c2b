// The header's way to the notifications: the unread count, live, announced politely when it changes.
import { href } from '../router';
import { useUnreadNotifications } from '../notifications';

export function NotificationBell({ current }: { current: boolean }) {
  const unread = useUnreadNotifications();
  const known = unread !== null;
  return (
    <>
      <a class="bell" href={href('/notifications')} aria-current={current ? 'page' : undefined} data-unread={known ? unread : undefined}>
        <BellIcon /> Notifications
        {known && unread > 0 ? <span class="count" aria-hidden="true">{unread > 99 ? '99+' : unread}</span> : null}
        {known ? <span class="visually-hidden"> ({unread} unread)</span> : null}
      </a>
      <span class="visually-hidden" role="status" aria-live="polite">
        {known && unread > 0 ? `${unread} unread notification${unread === 1 ? '' : 's'}` : ''}
      </span>
    </>
  );
}

/** Drawn, not an emoji: a machine without an emoji font showed an empty box. */
function BellIcon() {
  return (
    <svg aria-hidden="true" width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">
      <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
      <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
    </svg>
  );
}
