import { DataSource, EntityManager } from 'typeorm';

/** What the repositories share: their queries run on `manager`, which a transaction swaps for its own. */
export abstract class TransactionalRepository {
  protected manager: EntityManager;

  protected constructor(protected readonly dataSource: DataSource) {
    this.manager = dataSource.manager;
  }

  /** Runs `work` in one transaction, with a copy of this repository bound to it. */
  inTransaction<T>(work: (bound: this) => Promise<T>): Promise<T> {
    return this.dataSource.transaction((manager) => {
      const bound = Object.create(this) as this;
      bound.manager = manager;
      return work(bound);
    });
  }
}
