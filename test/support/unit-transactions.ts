// Unit tests run services without Nest: give `@Transactional()` a transaction host that runs the method as
// it is (their repositories are hand-written fakes). Rollback is tested for real in the e2e suites.
import { TransactionHost } from '@nestjs-cls/transactional';

new TransactionHost({
  connectionName: undefined,
  getFallbackInstance: () => ({}),
  wrapWithTransaction: (_options: unknown, fn: () => Promise<unknown>, setTx: (tx: unknown) => void) => {
    setTx({});
    return fn();
  },
} as never);
