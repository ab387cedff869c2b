import { Injectable } from '@nestjs/common';
import { TransactionalRepository } from '../database/transactional.repository';
import { Macro } from './macro.entity';

export type MacroFields = Pick<Macro, 'name' | 'body' | 'internal' | 'resolve'>;

@Injectable()
export class MacrosRepository extends TransactionalRepository {
  /** By name, as the picker lists them. */
  findAll(): Promise<Macro[]> {
    return this.manager.createQueryBuilder(Macro, 'macro').orderBy('lower(macro.name)', 'ASC').addOrderBy('macro.id', 'ASC').getMany();
  }

  findById(id: string): Promise<Macro | null> {
    return this.manager.findOneBy(Macro, { id });
  }

  /** Another macro holding this name, whatever its case. */
  findByName(name: string): Promise<Macro | null> {
    return this.manager.createQueryBuilder(Macro, 'macro').where('lower(macro.name) = lower(:name)', { name }).getOne();
  }

  insert(fields: MacroFields): Promise<Macro> {
    return this.manager.save(Macro, this.manager.create(Macro, fields));
  }

  /** The macro with `changes` saved, or null when there is none. */
  async update(id: string, changes: Partial<MacroFields>): Promise<Macro | null> {
    const result = await this.manager.update(Macro, { id }, changes);
    return (result.affected ?? 0) > 0 ? this.findById(id) : null;
  }

  /** Whether there was one to delete. */
  async delete(id: string): Promise<boolean> {
    const result = await this.manager.delete(Macro, { id });
    return (result.affected ?? 0) > 0;
  }
}
