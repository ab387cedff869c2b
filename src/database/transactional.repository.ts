import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { EntityManager } from 'typeorm';

/**
 * What the repositories share: every query runs in the caller's transaction while a service method marked
 * `@Transactional()` runs, and on the pool otherwise. No repository is ever handed a manager, and none
 * can escape the transaction it is called in.
 */
@Injectable()
export abstract class TransactionalRepository {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {}

  protected get manager(): EntityManager {
    return this.txHost.tx;
  }
}
