import { Injectable } from '@nestjs/common';
import { TransactionalRepository } from '../database/transactional.repository';
import { Role } from './role.enum';
import { User } from './user.entity';

export interface NewUser {
  email: string;
  passwordHash: string;
  fullName: string;
  employeeId: string;
  role: Role;
}

@Injectable()
export class UsersRepository extends TransactionalRepository {
  findById(id: string): Promise<User | null> {
    return this.manager.findOneBy(User, { id });
  }

  findActiveById(id: string): Promise<User | null> {
    return this.manager.findOneBy(User, { id, isActive: true });
  }

  findByEmail(email: string): Promise<User | null> {
    return this.manager.findOneBy(User, { email: email.toLowerCase() });
  }

  /** The user holding this email or employee id, if any (to report which one is taken). */
  findByEmailOrEmployeeId(email: string, employeeId: string): Promise<User | null> {
    return this.manager.findOne(User, { where: [{ email: email.toLowerCase() }, { employeeId }] });
  }

  async insert(user: NewUser): Promise<User> {
    return this.manager.save(User, this.manager.create(User, { ...user, email: user.email.toLowerCase() }));
  }

  findPage(filter: { role?: Role; limit: number; offset: number }): Promise<[User[], number]> {
    return this.manager.findAndCount(User, {
      where: filter.role ? { role: filter.role } : {},
      order: { createdAt: 'ASC', id: 'ASC' },
      take: filter.limit,
      skip: filter.offset,
    });
  }

  /** Locks the active admins' rows so that two concurrent demotions cannot remove the last admin. */
  async lockActiveAdmins(): Promise<string[]> {
    const admins = await this.manager
      .createQueryBuilder(User, 'user')
      .select('user.id', 'id')
      .where('user.role = :role AND user.is_active', { role: Role.Admin })
      .setLock('pessimistic_write')
      .getRawMany<{ id: string }>();
    return admins.map((admin) => admin.id);
  }

  countActiveAdmins(): Promise<number> {
    return this.manager.countBy(User, { role: Role.Admin, isActive: true });
  }

  async updateRole(id: string, role: Role): Promise<User> {
    await this.manager.update(User, { id }, { role });
    return this.manager.findOneByOrFail(User, { id });
  }

  async deactivate(id: string): Promise<void> {
    await this.manager.update(User, { id, isActive: true }, { isActive: false, deactivatedAt: new Date() });
  }
}
