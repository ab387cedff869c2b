// Admin: the people who use the desk and their roles.
import { useState } from 'preact/hooks';
import { api, errorMessages, type Role, type User } from '../api/client';
import { Alert, Loading } from '../components/ui';
import { asPage, LoadMore, useCursorList } from '../cursor-list';
import { label, when } from '../format';

const ROLES: Role[] = ['user', 'support', 'admin'];

export function Users({ me }: { me: User }) {
  const [roleFilter, setRoleFilter] = useState<Role | ''>('');
  const [notice, setNotice] = useState<string[]>([]);
  const { items: users, setItems: setUsers, errors, setErrors, loadMore } = useCursorList(
    async (cursor) =>
      asPage(await api.GET('/api/v1/users', { params: { query: { limit: 50, ...(roleFilter ? { role: roleFilter } : {}), ...(cursor ? { cursor } : {}) } as never } }), (data) => data.users),
    [roleFilter],
  );

  const replace = (user: User) => setUsers((list) => list?.map((u) => (u.id === user.id ? user : u)) ?? null);

  const changeRole = async (user: User, role: Role) => {
    setErrors([]);
    const { data, error } = await api.PATCH('/api/v1/users/{user_id}/role', { params: { path: { user_id: user.id } }, body: { role } });
    if (!data) return setErrors(errorMessages(error));
    replace(data);
    setNotice([`${data.full_name} is now ${data.role}.`]);
  };

  const deactivate = async (user: User) => {
    if (!confirm(`Deactivate ${user.full_name}? They are signed out and can no longer sign in.`)) return;
    const { error } = await api.DELETE('/api/v1/users/{user_id}', { params: { path: { user_id: user.id } } });
    if (error) return setErrors(errorMessages(error));
    replace({ ...user, is_active: false });
    setNotice([`${user.full_name} was deactivated.`]);
  };

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
          <table>
            <caption class="visually-hidden">Users</caption>
            <thead>
              <tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Employee ID</th><th scope="col">Role</th><th scope="col">Since</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr>
            </thead>
            <tbody>
              {users.map((user) => (
                <tr key={user.id} class={user.is_active ? '' : 'inactive'} data-user-email={user.email}>
                  <td>{user.full_name}{user.is_active ? '' : ' (deactivated)'}</td>
                  <td>{user.email}</td>
                  <td>{user.employee_id}</td>
                  <td>
                    <select aria-label={`Role of ${user.full_name}`} value={user.role} disabled={user.id === me.id || !user.is_active} onChange={(event) => void changeRole(user, event.currentTarget.value as Role)}>
                      {ROLES.map((role) => <option key={role} value={role}>{label(role)}</option>)}
                    </select>
                  </td>
                  <td>{when(user.created_at)}</td>
                  <td>
                    {user.id !== me.id && user.is_active ? (
                      <button type="button" class="link danger" onClick={() => void deactivate(user)}>Deactivate<span class="visually-hidden"> {user.full_name}</span></button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <LoadMore onLoad={loadMore} />
    </section>
  );
}
