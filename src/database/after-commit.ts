// In-process signals (`ticket.created`, `ticket.events-appended`, …) must only be seen once the writes that
// caused them are committed: a listener that reads the database would otherwise find nothing, or act on a
// change that was rolled back. A service queues them here; they run when the outermost transaction commits.
import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { EntitySubscriberInterface, EventSubscriber, TransactionCommitEvent, TransactionRollbackEvent } from 'typeorm';

const QUEUE = Symbol('afterCommit');
type Queued = Array<() => void>;

@Injectable()
export class AfterCommit {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {}

  /** Runs `work` once the current transaction commits (never if it rolls back), or now when there is none. */
  run(work: () => void): void {
    const queryRunner = this.txHost.isTransactionActive() ? this.txHost.tx.queryRunner : undefined;
    if (!queryRunner?.isTransactionActive) {
      work();
      return;
    }
    const data = queryRunner.data as Record<string | symbol, unknown>;
    ((data[QUEUE] ??= []) as Queued).push(work);
  }
}

/** Flushes the queue when TypeORM reports the outermost COMMIT; drops it on ROLLBACK. */
@EventSubscriber()
export class AfterCommitSubscriber implements EntitySubscriberInterface {
  afterTransactionCommit(event: TransactionCommitEvent): void {
    // A released savepoint is reported too: wait for the real COMMIT.
    if (event.queryRunner.isTransactionActive) return;
    const data = event.queryRunner.data as Record<string | symbol, unknown>;
    const queued = data[QUEUE] as Queued | undefined;
    delete data[QUEUE];
    queued?.forEach((work) => work());
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    if (event.queryRunner.isTransactionActive) return;
    delete (event.queryRunner.data as Record<string | symbol, unknown>)[QUEUE];
  }
}
