import { Transactional } from '@nestjs-cls/transactional';
import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { QueryFailedError } from 'typeorm';
import { nextCursor, pageRequest } from '../common/keyset-cursor';
import { AfterCommit } from '../database/after-commit';
import { ACCESS_CHANGED, AccessChangedSignal } from './access-changed';
import { ListUsersQueryDto, UserListDto } from './dto/user-list.dto';
import { AssignableListDto, mapAssignable } from './dto/assignable.dto';
import { mapUser, UserDto } from './dto/user.dto';
import { PasswordHasher } from './password-hasher';
import { Role } from './role.enum';
import { UsersRepository } from './users.repository';

export interface NewAccount {
  email: string;
  password: string;
  fullName: string;
  employeeId: string;
  department?: string | null;
  role: Role;
}

const UNIQUE_VIOLATION = '23505';
/** A desk's whole staff fits a picker; beyond this it needs a search, not a longer list. */
const MAX_ASSIGNABLE = 500;

@Injectable()
export class UsersService {
  constructor(
    private readonly usersRepository: UsersRepository,
    private readonly passwordHasher: PasswordHasher,
    private readonly signals: EventEmitter2,
    private readonly afterCommit: AfterCommit,
  ) {}

  async listAssignable(): Promise<AssignableListDto> {
    return { users: (await this.usersRepository.findActiveStaff(MAX_ASSIGNABLE)).map(mapAssignable) };
  }

  async createAccount(account: NewAccount): Promise<UserDto> {
    await this.assertIdentityFree(account.email, account.employeeId);
    const passwordHash = await this.passwordHasher.hash(account.password);
    try {
      const user = await this.usersRepository.insert({ ...account, department: account.department ?? null, passwordHash });
      return mapUser(user);
    } catch (error) {
      // Two registrations racing for the same email or employee id: the unique index decides.
      if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === UNIQUE_VIOLATION) {
        await this.assertIdentityFree(account.email, account.employeeId);
      }
      throw error;
    }
  }

  /** The active user with these credentials, or null (one answer for unknown email and wrong password). */
  async verifyCredentials(email: string, password: string): Promise<UserDto | null> {
    const user = await this.usersRepository.findByEmail(email);
    const matches = await this.passwordHasher.verify(password, user?.passwordHash);
    return user && matches && user.isActive ? mapUser(user) : null;
  }

  /** Any user, deactivated ones included (whose names still stand on the tickets they filed). */
  async findById(id: string): Promise<UserDto | null> {
    const user = await this.usersRepository.findById(id);
    return user ? mapUser(user) : null;
  }

  async findActive(id: string): Promise<UserDto | null> {
    const user = await this.usersRepository.findActiveById(id);
    return user ? mapUser(user) : null;
  }

  async getActive(id: string): Promise<UserDto> {
    const user = await this.findActive(id);
    if (!user) throw new NotFoundException(`User ${id} not found`);
    return user;
  }

  async list(query: ListUsersQueryDto): Promise<UserListDto> {
    const [users, total] = await this.usersRepository.findPage({ role: query.role }, pageRequest(query));
    return { users: users.map(mapUser), count: users.length, total, limit: query.limit, offset: query.offset, next_cursor: nextCursor(users, query.limit) };
  }

  @Transactional()
  async changeRole(id: string, role: Role): Promise<UserDto> {
    // Lock the admins before reading the target, so that its role is read after any concurrent change.
    const admins = await this.usersRepository.lockActiveAdmins();
    const user = await this.usersRepository.findActiveById(id);
    if (!user) throw new NotFoundException(`User ${id} not found`);
    if (user.role === Role.Admin && role !== Role.Admin) assertNotLastAdmin(admins, 'demoted');
    const updated = mapUser(await this.usersRepository.updateRole(id, role));
    if (user.role !== role) this.signalAccessChanged({ userId: id, reason: 'access_changed' });
    return updated;
  }

  /** Deactivates rather than deletes: the user's tickets and history stay, but they can no longer sign in. */
  @Transactional()
  async deactivate(id: string): Promise<void> {
    const admins = await this.usersRepository.lockActiveAdmins();
    const user = await this.usersRepository.findById(id);
    if (!user) throw new NotFoundException(`User ${id} not found`);
    if (!user.isActive) return;
    if (user.role === Role.Admin) assertNotLastAdmin(admins, 'deleted');
    await this.usersRepository.deactivate(id);
    this.signalAccessChanged({ userId: id, reason: 'session_ended' });
  }

  /** Tells open event streams (after commit) that a user's access shrank. */
  signalAccessChanged(signal: AccessChangedSignal): void {
    this.afterCommit.run(() => this.signals.emit(ACCESS_CHANGED, signal));
  }

  countActiveAdmins(): Promise<number> {
    return this.usersRepository.countActiveAdmins();
  }

  private async assertIdentityFree(email: string, employeeId: string): Promise<void> {
    const existing = await this.usersRepository.findByEmailOrEmployeeId(email, employeeId);
    if (!existing) return;
    if (existing.email === email.toLowerCase()) throw new ConflictException('A user with this email already exists');
    throw new ConflictException(`A user with employee_id ${employeeId} already exists`);
  }
}

function assertNotLastAdmin(activeAdmins: string[], action: string): void {
  if (activeAdmins.length <= 1) throw new ConflictException(`The last admin cannot be ${action}; make another user admin first`);
}
