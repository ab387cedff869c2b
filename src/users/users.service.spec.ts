import { ConflictException, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { QueryFailedError } from 'typeorm';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { FakeAfterCommit, TransactionalFake } from '../../test/support/unit-transactions';
import { AfterCommit } from '../database/after-commit';
import { AppConfig } from '../config/app-config';
import { ListUsersQueryDto } from './dto/user-list.dto';
import { PasswordHasher } from './password-hasher';
import { Role } from './role.enum';
import { User } from './user.entity';
import { NewUser, UsersRepository } from './users.repository';
import { NewAccount, UsersService } from './users.service';

/** In-memory stand-in for UsersRepository; it notes the transaction each call ran in. */
class FakeUsersRepository extends TransactionalFake {
  constructor(readonly rows = new Map<string, User>()) {
    super();
  }

  findById = this.noted('findById', async (id: string) => this.rows.get(id) ?? null);
  findActiveById = this.noted('findActiveById', async (id: string) => this.find((u) => u.id === id && u.isActive));
  findByEmail = this.noted('findByEmail', async (email: string) => this.find((u) => u.email === email.toLowerCase()));
  findByEmailOrEmployeeId = this.noted('findByEmailOrEmployeeId', async (email: string, employeeId: string) =>
    this.find((u) => u.email === email.toLowerCase() || u.employeeId === employeeId),
  );
  insert = this.noted('insert', async (user: NewUser) => this.add({ ...user, email: user.email.toLowerCase() }));
  findPage = this.noted('findPage', async (_filter: ListUsersQueryDto): Promise<[User[], number]> => [[], 0]);
  lockActiveAdmins = this.noted('lockActiveAdmins', async () =>
    [...this.rows.values()].filter((u) => u.role === Role.Admin && u.isActive).map((u) => u.id));
  updateRole = this.noted('updateRole', async (id: string, role: Role) => Object.assign(this.rows.get(id)!, { role }));
  deactivate = this.noted('deactivate', async (id: string) =>
    void Object.assign(this.rows.get(id)!, { isActive: false, deactivatedAt: new Date() }));

  add(fields: Partial<User> = {}): User {
    const id = randomUUID();
    const now = new Date('2025-01-01T00:00:00Z');
    const user: User = { id, email: `${id}@example.com`, passwordHash: 'not-a-real-hash', fullName: 'Some One', employeeId: id.slice(0, 8), department: null,
      role: Role.User, isActive: true, deactivatedAt: null, createdAt: now, updatedAt: now, ...fields };
    this.rows.set(user.id, user);
    return user;
  }

  private find = (predicate: (user: User) => boolean): User | null => [...this.rows.values()].find(predicate) ?? null;
}

const lastAdmin = (action: string) => new ConflictException(`The last admin cannot be ${action}; make another user admin first`);
const account: NewAccount = {
  email: 'Jane.Doe@Example.com', password: 'Correct-Horse-42', fullName: 'Jane Doe', employeeId: 'EMP001', role: Role.User,
};

describe(UsersService.name, () => {
  let sut: UsersService;
  let repository: FakeUsersRepository;
  let hasher: PasswordHasher;

  beforeEach(() => {
    repository = new FakeUsersRepository();
    hasher = new PasswordHasher({ bcryptRounds: 4 } as AppConfig);
    jest.spyOn(hasher, 'hash');
    jest.spyOn(hasher, 'verify');
    sut = new UsersService(repository as unknown as UsersRepository, hasher, new EventEmitter2(), new FakeAfterCommit() as unknown as AfterCommit);
  });

  describe('createAccount', () => {
    it('stores a bcrypt hash of the password and returns the user without it', async () => {
      const created = await sut.createAccount(account);

      expect(created).toEqual({
        id: expect.any(String), email: 'jane.doe@example.com', full_name: 'Jane Doe', employee_id: 'EMP001', department: null, role: Role.User,
        is_active: true, created_at: expect.any(Date), updated_at: expect.any(Date),
      });
      const { passwordHash } = repository.insert.mock.calls[0][0];
      expect(repository.insert).toHaveBeenCalledWith({ ...account, department: null, passwordHash });
      expect(passwordHash).not.toBe(account.password);
      await expect(hasher.verify(account.password, passwordHash)).resolves.toBe(true);
    });

    it.each([
      ['an email already taken, whatever its case', { email: 'jane.doe@example.com' }, 'A user with this email already exists'],
      ['an employee id already taken', { employeeId: 'EMP001' }, 'A user with employee_id EMP001 already exists'],
    ])('refuses %s, before hashing anything', async (_, taken: Partial<User>, message) => {
      repository.add(taken);

      await expect(sut.createAccount(account)).rejects.toThrow(new ConflictException(message));
      expect(repository.findByEmailOrEmployeeId).toHaveBeenCalledWith(account.email, 'EMP001');
      expect(hasher.hash).not.toHaveBeenCalled();
      expect(repository.insert).not.toHaveBeenCalled();
    });

    it('reports which identity was taken when a concurrent registration wins the unique index', async () => {
      repository.insert.mockImplementationOnce(async () => {
        repository.add({ email: 'jane.doe@example.com' });
        throw new QueryFailedError('INSERT', [], Object.assign(new Error('duplicate key'), { code: '23505' }));
      });

      await expect(sut.createAccount(account)).rejects.toThrow(new ConflictException('A user with this email already exists'));
      expect(repository.findByEmailOrEmployeeId).toHaveBeenCalledTimes(2);
    });

    it.each([
      ['a lost connection', '08006', 1],
      ['a unique violation that no existing account explains', '23505', 2],
    ])('rethrows %s unchanged', async (_, code, lookups) => {
      const failure = new QueryFailedError('INSERT', [], Object.assign(new Error('insert failed'), { code }));
      repository.insert.mockRejectedValueOnce(failure);

      await expect(sut.createAccount(account)).rejects.toBe(failure);
      expect(repository.findByEmailOrEmployeeId).toHaveBeenCalledTimes(lookups);
    });
  });

  describe('verifyCredentials', () => {
    let stored: User;

    beforeEach(async () => {
      stored = repository.add({ email: 'jane.doe@example.com', passwordHash: await hasher.hash('Correct-Horse-42') });
    });

    it('returns the active user whose password matches, ignoring the email case', async () => {
      await expect(sut.verifyCredentials('JANE.DOE@example.com', 'Correct-Horse-42')).resolves.toMatchObject({ id: stored.id });
      expect(repository.findByEmail).toHaveBeenCalledWith('JANE.DOE@example.com');
    });

    it('returns null for an unknown email yet still spends a hash comparison on it', async () => {
      await expect(sut.verifyCredentials('nobody@example.com', 'Correct-Horse-42')).resolves.toBeNull();
      expect(hasher.verify).toHaveBeenCalledWith('Correct-Horse-42', undefined);
    });

    it.each([
      ['a wrong password', 'Wrong-Horse-42', true],
      ['a deactivated user, even with the right password', 'Correct-Horse-42', false],
    ])('returns null for %s, after comparing the hash', async (_, password, isActive) => {
      stored.isActive = isActive;

      await expect(sut.verifyCredentials(stored.email, password)).resolves.toBeNull();
      expect(hasher.verify).toHaveBeenCalledWith(password, stored.passwordHash);
    });
  });

  it('finds an active user by id but treats a deactivated one as missing', async () => {
    const [active, inactive] = [repository.add(), repository.add({ isActive: false })];

    await expect(sut.findActive(active.id)).resolves.toMatchObject({ id: active.id, is_active: true });
    await expect(sut.getActive(active.id)).resolves.toMatchObject({ id: active.id });
    await expect(sut.findActive(inactive.id)).resolves.toBeNull();
    await expect(sut.getActive(inactive.id)).rejects.toThrow(new NotFoundException(`User ${inactive.id} not found`));
  });

  it('lists one page of users with the page size and the total', async () => {
    const second = repository.add();
    repository.findPage.mockResolvedValueOnce([[second], 3]);

    const page = await sut.list({ role: Role.User, limit: 1, offset: 1 });

    expect(page).toEqual({ users: [expect.objectContaining({ id: second.id })], count: 1, total: 3, limit: 1, offset: 1, next_cursor: expect.any(String) });
    expect(repository.findPage).toHaveBeenCalledWith({ role: Role.User }, { limit: 1, offset: 1, after: undefined });
  });

  describe('changeRole', () => {
    it('changes the role in one transaction that locks the admins before reading the user, and returns the updated user', async () => {
      const user = repository.add();

      await expect(sut.changeRole(user.id, Role.Support)).resolves.toMatchObject({ id: user.id, role: Role.Support });
      expect(repository.updateRole).toHaveBeenCalledWith(user.id, Role.Support);
      // The admins are locked before the target is read, so a concurrent demotion is seen.
      expect(repository.transactions()).toEqual([['lockActiveAdmins', 'findActiveById', 'updateRole']]);
    });

    it('demotes an admin while another active admin remains, after locking the admins', async () => {
      const admin = repository.add({ role: Role.Admin });
      repository.add({ role: Role.Admin });

      await expect(sut.changeRole(admin.id, Role.User)).resolves.toMatchObject({ role: Role.User });
      expect(repository.lockActiveAdmins).toHaveBeenCalledTimes(1);
      expect(repository.updateRole).toHaveBeenCalledWith(admin.id, Role.User);
      expect(repository.transactions()).toEqual([['lockActiveAdmins', 'findActiveById', 'updateRole']]);
    });

    it('refuses to demote the last active admin', async () => {
      const admin = repository.add({ role: Role.Admin });

      await expect(sut.changeRole(admin.id, Role.Support)).rejects.toThrow(lastAdmin('demoted'));
      expect(repository.transactions()).toEqual([['lockActiveAdmins', 'findActiveById']]);
      expect(repository.updateRole).not.toHaveBeenCalled();
      expect(admin.role).toBe(Role.Admin);
    });

    it('refuses an unknown or deactivated user', async () => {
      const inactive = repository.add({ isActive: false });
      await expect(sut.changeRole(randomUUID(), Role.Admin)).rejects.toThrow(NotFoundException);
      await expect(sut.changeRole(inactive.id, Role.Admin)).rejects.toThrow(new NotFoundException(`User ${inactive.id} not found`));
      expect(repository.updateRole).not.toHaveBeenCalled();
      expect(inactive.role).toBe(Role.User);
    });
  });

  describe('deactivate', () => {
    it('deactivates a user in one transaction, reading it only after locking the admins', async () => {
      const user = repository.add();

      await expect(sut.deactivate(user.id)).resolves.toBeUndefined();
      expect(repository.deactivate).toHaveBeenCalledWith(user.id);
      expect(repository.transactions()).toEqual([['lockActiveAdmins', 'findById', 'deactivate']]);
      expect(user.isActive).toBe(false);
    });

    it('does nothing for a user who is already deactivated', async () => {
      const user = repository.add({ isActive: false });

      await expect(sut.deactivate(user.id)).resolves.toBeUndefined();
      expect(repository.deactivate).not.toHaveBeenCalled();
    });

    it('refuses an unknown user', async () => {
      const id = randomUUID();
      await expect(sut.deactivate(id)).rejects.toThrow(new NotFoundException(`User ${id} not found`));
      expect(repository.deactivate).not.toHaveBeenCalled();
    });

    it('deactivates an admin while another active admin remains, but never the last one', async () => {
      const [first, last] = [repository.add({ role: Role.Admin }), repository.add({ role: Role.Admin })];

      await sut.deactivate(first.id);
      await expect(sut.deactivate(last.id)).rejects.toThrow(lastAdmin('deleted'));

      // Each call is its own transaction; the refused one never writes.
      expect(repository.transactions()).toEqual([['lockActiveAdmins', 'findById', 'deactivate'], ['lockActiveAdmins', 'findById']]);
      expect(repository.deactivate.mock.calls).toEqual([[first.id]]);
      expect(last.isActive).toBe(true);
    });
  });
});
