import { Global, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import { ClsPluginTransactional } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { ClsModule } from 'nestjs-cls';
import type pg from 'pg';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { AfterCommit, AfterCommitSubscriber } from './after-commit';
import { DatabaseNotifications } from './database-notifications';
import { MaintenanceJobs } from './maintenance-jobs';
import { MaintenanceJobsRepository } from './maintenance-jobs.repository';
import { createDatabasePool, DATABASE_POOL, driverUsing } from './database-pool';
import { schemaOptions } from './data-source-options';
import { EmbeddedPostgres } from './embedded-postgres';

/** Owns the embedded database's life: it must close only after TypeORM has let go of its connection. */
@Injectable()
class EmbeddedPostgresLifecycle extends EmbeddedPostgres implements OnApplicationShutdown {
  constructor(private readonly moduleRef: ModuleRef) {
    super();
  }

  async onApplicationShutdown(): Promise<void> {
    const dataSource = this.moduleRef.get(DataSource, { strict: false });
    if (dataSource.isInitialized) await dataSource.destroy();
    await this.stop();
  }
}

@Global()
@Module({
  providers: [
    { provide: EmbeddedPostgres, useClass: EmbeddedPostgresLifecycle },
    {
      provide: DATABASE_POOL,
      inject: [AppConfig, EmbeddedPostgres],
      useFactory: async (config: AppConfig, embedded: EmbeddedPostgres) =>
        createDatabasePool(config.databaseUrl ? { url: config.databaseUrl } : await embedded.start(config.dataDir)),
    },
  ],
  exports: [EmbeddedPostgres, DATABASE_POOL],
})
class DatabasePoolModule {}

/**
 * The database: one pool, TypeORM on it (migrations run at start-up), and transactions that every
 * repository joins — a service method marked `@Transactional()` is one transaction, however many
 * repositories it calls.
 */
@Global()
@Module({
  imports: [
    DatabasePoolModule,
    TypeOrmModule.forRootAsync({
      inject: [DATABASE_POOL],
      useFactory: (pool: pg.Pool) => ({
        ...schemaOptions(),
        driver: driverUsing(pool),
        entities: undefined,
        autoLoadEntities: true,
        subscribers: [AfterCommitSubscriber],
        migrationsRun: true,
        // Fail at start-up rather than retrying for half a minute against a database that is not there.
        retryAttempts: 1,
      }),
    }),
    // Only the transaction plugin: ClsModule.forRoot would add a global interceptor, and any interceptor makes
    // Nest send an SSE stream's 200 before a guard-free handler can answer 400 or 404.
    ClsModule.registerPlugins([new ClsPluginTransactional({ adapter: new TransactionalAdapterTypeOrm({ dataSourceToken: getDataSourceToken() }) })]),
  ],
  providers: [AfterCommit, DatabaseNotifications, MaintenanceJobs, MaintenanceJobsRepository],
  exports: [AfterCommit, DatabaseNotifications, MaintenanceJobs, MaintenanceJobsRepository, DatabasePoolModule],
})
export class DatabaseModule {}
