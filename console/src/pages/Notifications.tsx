// The signed-in user's notifications, newest first: new ones arrive live; opening one marks it read and
// goes to its ticket. Below, which kinds they want to be told of.
import { useEffect, useState } from 'preact/hooks';
import { api, errorMessages, type Schemas } from '../api/client';
import { Alert, Loading } from '../components/ui';
import { asPage, LoadMore, useCursorList } from '../cursor-list';
import { ago } from '../format';
import { notifications as state, type Notification } from '../notifications';
import { href, navigate } from '../router';

type Preference = Schemas['NotificationPreferenceDto'];

export function Notifications() {
  const { items, setItems, errors, setErrors, loadMore } = useCursorList(
    async (cursor) => asPage(await api.GET('/api/v1/notifications', { params: { query: { limit: 25, ...(cursor ? { cursor } : {}) } } }), (data) => data.notifications),
    [],
  );
  useEffect(() => state.onArrival((arrived) => setItems((list) => (list && !list.some((n) => n.notification_id === arrived.notification_id) ? [arrived, ...list] : list))), []);

  const markRead = async (notification: Notification) => {
    if (notification.read_at) return true;
    const { data, error } = await api.POST('/api/v1/notifications/{notification_id}/read', { params: { path: { notification_id: notification.notification_id } } });
    if (!data) return setErrors(errorMessages(error)), false;
    setItems((list) => list && list.map((n) => (n.notification_id === data.notification_id ? data : n)));
    state.markedRead();
    return true;
  };
  const open = async (event: MouseEvent, notification: Notification) => {
    event.preventDefault();
    if (await markRead(notification)) navigate(`/tickets/${notification.ticket_id}`);
  };
  const markAllRead = async () => {
    const { data, error } = await api.POST('/api/v1/notifications/read_all');
    if (!data) return setErrors(errorMessages(error));
    const now = new Date().toISOString();
    setItems((list) => list && list.map((n) => (n.read_at ? n : { ...n, read_at: now })));
    state.markedRead(true);
  };
  const unread = items?.filter((n) => !n.read_at).length ?? 0;

  return (
    <section>
      <div class="heading-row">
        <h1>Notifications</h1>
        <button type="button" class="secondary" onClick={() => void markAllRead()} disabled={unread === 0}>
          Mark all read
        </button>
      </div>
      <Alert messages={errors} />
      {items === null ? (
        <Loading what="notifications" />
      ) : items.length === 0 ? (
        <p class="empty">Nothing yet. You will be told here when something happens to your tickets.</p>
      ) : (
        <ul class="notifications" aria-label="Your notifications, newest first">
          {items.map((notification) => (
            <li key={notification.notification_id} class={notification.read_at ? 'read' : 'unread'} data-notification-id={notification.notification_id}>
              <a href={href(`/tickets/${notification.ticket_id}`)} onClick={(event) => void open(event, notification)}>
                <strong>{notification.title}</strong>
                {notification.read_at ? null : <span class="visually-hidden"> (unread)</span>}
                <span class="text">{notification.text}</span>
              </a>
              <span class="muted when">{ago(notification.created_at)}</span>
            </li>
          ))}
        </ul>
      )}
      <LoadMore onLoad={loadMore} />
      <Preferences />
    </section>
  );
}

function Preferences() {
  const [preferences, setPreferences] = useState<Preference[] | null>(null);
  const [messages, setMessages] = useState<{ kind: 'error' | 'success'; texts: string[] }>({ kind: 'success', texts: [] });
  useEffect(() => {
    void api.GET('/api/v1/notifications/preferences').then(({ data, error }) => (data ? setPreferences(data.preferences) : setMessages({ kind: 'error', texts: errorMessages(error) })));
  }, []);

  const toggle = async (preference: Preference, inApp: boolean) => {
    const { data, error } = await api.PUT('/api/v1/notifications/preferences', { body: { preferences: [{ kind: preference.kind, in_app: inApp }] } });
    if (!data) return setMessages({ kind: 'error', texts: errorMessages(error) });
    setPreferences(data.preferences);
    setMessages({ kind: 'success', texts: [inApp ? `You will be told: ${preference.description.toLowerCase()}.` : `You will no longer be told: ${preference.description.toLowerCase()}.`] });
  };

  return (
    <section class="card" aria-labelledby="notification-preferences">
      <h2 id="notification-preferences">What to tell me</h2>
      <p class="hint">A kind you switch off is not kept for later: nothing of it appears here until you switch it on again.</p>
      {preferences === null ? (
        <Loading what="preferences" />
      ) : (
        <fieldset class="preferences">
          <legend class="visually-hidden">Notify me when</legend>
          {preferences.map((preference) => (
            <label key={preference.kind} class="checkbox">
              <input type="checkbox" checked={preference.in_app} onChange={(event) => void toggle(preference, event.currentTarget.checked)} />
              {preference.description}
            </label>
          ))}
        </fieldset>
      )}
      <Alert messages={messages.texts} kind={messages.kind} />
    </section>
  );
}
