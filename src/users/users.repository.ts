import { Injectable } from '@nestjs/common';
import { PageRequest } from '../common/keyset-cursor';
import { TransactionalRepository } from '../database/transactional.repository';
import { In } from 'typeorm';
import { Role, STAFF_ROLES } from './role.enum';
import { User } from './user.entity';

export interface NewUser {
  email: string;
  passwordHash: string;
  fullName: string;
  employeeId: string;
  department?: string | null;
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

  /** Active support engineers and admins, by name. */
  findActiveStaff(limit: number): Promise<User[]> {
    return this.manager.find(User, { where: { isActive: true, role: In(STAFF_ROLES as Role[]) }, order: { fullName: 'ASC', id: 'ASC' }, take: limit });
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

  /** Oldest first; `total` counts every match, whatever the page. */
  async findPage(filter: { role?: Role }, page: PageRequest): Promise<[User[], number]> {
    const query = this.manager.createQueryBuilder(User, 'account');
    if (filter.role) query.where('account.role = :role', { role: filter.role });
    const total = await query.clone().getCount();
    if (page.after) query.andWhere('(account.created_at, account.id) > (:afterAt, CAST(:afterId AS uuid))', { afterAt: page.after.createdAt, afterId: page.after.id });
    const users = await query.orderBy('account.created_at', 'ASC').addOrderBy('account.id', 'ASC').offset(page.after ? 0 : page.offset).limit(page.limit).getMany();
    return [users, total];
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
