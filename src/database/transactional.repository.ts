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

  /** `other`, bound to the transaction this repository is bound to: two modules' writes commit together. */
  join<R extends TransactionalRepository>(other: R): R {
    const bound = Object.create(other) as R;
    bound.manager = this.manager;
    return bound;
  }
}

/** Lets a service add its own repository's writes to another module's transaction. */
export type TransactionJoin = <R extends TransactionalRepository>(repository: R) => R;
