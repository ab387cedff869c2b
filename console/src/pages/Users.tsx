// Admin: the people who use the desk and their roles. A role change or a deactivation is asked about first,
// naming the person and what changes; under a phone's width each person is a card, role menu included.
import { useState } from 'preact/hooks';
import { api, errorMessages, type Role, type User } from '../api/client';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Alert, Loading } from '../components/ui';
import { asPage, LoadMore, useCursorList } from '../cursor-list';
import { label, when } from '../format';

const ROLES: Role[] = ['user', 'support', 'admin'];

/** The change waiting for the admin's yes. */
type PendingChange = { kind: 'role'; user: User; role: Role } | { kind: 'deactivate'; user: User };

export function Users({ me }: { me: User }) {
  const [roleFilter, setRoleFilter] = useState<Role | ''>('');
  const [notice, setNotice] = useState<string[]>([]);
  const [pending, setPending] = useState<PendingChange | null>(null);
  const [busy, setBusy] = useState(false);
  const { items: users, setItems: setUsers, errors, setErrors, loadMore } = useCursorList(
    async (cursor) =>
      asPage(await api.GET('/api/v1/users', { params: { query: { limit: 50, ...(roleFilter ? { role: roleFilter } : {}), ...(cursor ? { cursor } : {}) } as never } }), (data) => data.users),
    [roleFilter],
  );

  const replace = (user: User) => setUsers((list) => list?.map((u) => (u.id === user.id ? user : u)) ?? null);

  const askRole = (user: User, role: Role) => {
    setNotice([]);
    if (role !== user.role) setPending({ kind: 'role', user, role });
  };

  const apply = async (change: PendingChange) => {
    setErrors([]);
    setBusy(true);
    if (change.kind === 'role') {
      const { data, error } = await api.PATCH('/api/v1/users/{user_id}/role', { params: { path: { user_id: change.user.id } }, body: { role: change.role } });
      setBusy(false);
      setPending(null);
      if (!data) return setErrors(errorMessages(error));
      replace(data);
      setNotice([`${data.full_name} is now ${label(data.role)} (was ${label(change.user.role)}).`]);
    } else {
      const { error } = await api.DELETE('/api/v1/users/{user_id}', { params: { path: { user_id: change.user.id } } });
      setBusy(false);
      setPending(null);
      if (error) return setErrors(errorMessages(error));
      replace({ ...change.user, is_active: false });
      setNotice([`${change.user.full_name} was deactivated.`]);
    }
  };

  /** What the role menu shows: the role being asked about while the dialog is open, so that Cancel puts the old one back. */
  const shownRole = (user: User) => (pending?.kind === 'role' && pending.user.id === user.id ? pending.role : user.role);

  return (
    <section>
      <div class="heading-row">
        <h1>Users and roles</h1>
        <label class="inline">
          Role
          <select value={roleFilter} onChange={(event) => setRoleFilter(event.currentTarget.value as Role | '')}>
            <option value="">All</option>
            {ROLES.map((role) => <option key={role} value={role}>{label(role)}</option>)}
          </select>
        </label>
      </div>
      <Alert messages={errors} />
      <Alert kind="success" messages={notice} />
      {!users ? (
        <Loading what="users" />
      ) : (
        <div class="table-wrap">
          <table class="stacked users">
            <caption class="visually-hidden">Users</caption>
            <thead>
              <tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Employee ID</th><th scope="col">Role</th><th scope="col">Since</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr>
            </thead>
            <tbody>
              {users.map((user) => (
                <tr key={user.id} class={user.is_active ? '' : 'inactive'} data-user-email={user.email}>
                  <td class="name">{user.full_name}{user.is_active ? '' : ' (deactivated)'}</td>
                  <td data-label="Email">{user.email}</td>
                  <td data-label="Employee ID">{user.employee_id}</td>
                  <td data-label="Role">
                    <select aria-label={`Role of ${user.full_name}`} value={shownRole(user)} disabled={user.id === me.id || !user.is_active} onChange={(event) => askRole(user, event.currentTarget.value as Role)}>
                      {ROLES.map((role) => <option key={role} value={role}>{label(role)}</option>)}
                    </select>
                  </td>
                  <td data-label="Since">{when(user.created_at)}</td>
                  <td>
                    {user.id !== me.id && user.is_active ? (
                      <button type="button" class="link danger" onClick={() => { setNotice([]); setPending({ kind: 'deactivate', user }); }}>
                        Deactivate<span class="visually-hidden"> {user.full_name}</span>
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <LoadMore onLoad={loadMore} />
      {pending?.kind === 'role' ? (
        <ConfirmDialog title={`Change ${pending.user.full_name}’s role?`} confirmLabel="Change role" busy={busy} onConfirm={() => void apply(pending)} onCancel={() => setPending(null)}>
          <p>
            <strong>{pending.user.full_name}</strong> ({pending.user.email}): <strong>{label(pending.user.role)} → {label(pending.role)}</strong>
          </p>
          <p>{roleConsequence(pending.role)}</p>
        </ConfirmDialog>
      ) : null}
      {pending?.kind === 'deactivate' ? (
        <ConfirmDialog title={`Deactivate ${pending.user.full_name}?`} confirmLabel="Deactivate" danger busy={busy} onConfirm={() => void apply(pending)} onCancel={() => setPending(null)}>
          <p>
            <strong>{pending.user.full_name}</strong> ({pending.user.email}) is signed out at once and can no longer sign in.
          </p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}

function roleConsequence(role: Role): string {
  if (role === 'admin') return 'An admin can change anyone’s role, deactivate accounts and manage the knowledge base.';
  if (role === 'support') return 'Support sees every ticket, works the queue and approves or denies requests.';
  return 'A user sees and files only their own requests.';
}
