// Unit tests run services without Nest: give `@Transactional()` a transaction host that runs the method as
// it is (their repositories are hand-written fakes). Rollback is tested for real in the e2e suites.
// The helpers below let those fakes tell which transaction each call ran in.
import { TransactionHost } from '@nestjs-cls/transactional';

new TransactionHost({
  connectionName: undefined,
  getFallbackInstance: () => ({}),
  wrapWithTransaction: (_options: unknown, fn: () => Promise<unknown>, setTx: (tx: unknown) => void) => {
    setTx({});
    return fn();
  },
} as never);

/** The transaction the caller runs in (the unit host above), or null outside one. */
export const currentTransaction = (): unknown =>
  (TransactionHost.getInstance().isTransactionActive() ? TransactionHost.getInstance().tx : null);

/**
 * A fake repository that notes each call and the transaction it ran in. By default a call outside any transaction
 * fails `transactions()`; a fake whose service may read outside one says `{ outsideTransactions: 'leave out' }`.
 */
export abstract class TransactionalFake {
  readonly calls: Array<{ method: string; transaction: unknown }> = [];
  private readonly failures = new Map<string, Error>();

  constructor(private readonly options: { outsideTransactions: 'fail' | 'leave out' } = { outsideTransactions: 'fail' }) {}

  /** The calls made, in order, grouped by the transaction they ran in. */
  transactions(): string[][] {
    const groups = new Map<unknown, string[]>();
    for (const { method, transaction } of this.calls) {
      if (transaction === null) {
        if (this.options.outsideTransactions === 'leave out') continue;
        throw new Error(`${method} ran outside a transaction`);
      }
      groups.set(transaction, [...(groups.get(transaction) ?? []), method]);
    }
    return [...groups.values()];
  }

  /** Makes the next call of `method` fail (once it is noted), as a lost connection would. */
  failNext(method: string, error: Error): void {
    this.failures.set(method, error);
  }

  /** A jest mock of `method` that notes each call, then fails as `failNext` asked or runs `implementation`. */
  protected noted<A extends unknown[], R>(method: string, implementation: (...args: A) => Promise<R>) {
    return jest.fn((...args: A): Promise<R> => {
      this.calls.push({ method, transaction: currentTransaction() });
      const failure = this.failures.get(method);
      this.failures.delete(method);
      return failure ? Promise.reject(failure) : implementation(...args);
    });
  }
}

/** Runs queued work at once, as the real AfterCommit does when the transaction commits; `running` tells a signal came through it. */
export class FakeAfterCommit {
  running = false;

  run = jest.fn((work: () => void) => {
    this.running = true;
    try {
      work();
    } finally {
      this.running = false;
    }
  });
}
