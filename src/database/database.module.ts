import { Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { dataSourceOptions } from './data-source-options';
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

@Module({
  providers: [{ provide: EmbeddedPostgres, useClass: EmbeddedPostgresLifecycle }],
  exports: [EmbeddedPostgres],
})
class EmbeddedPostgresModule {}

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      imports: [EmbeddedPostgresModule],
      inject: [AppConfig, EmbeddedPostgres],
      useFactory: async (config: AppConfig, embedded: EmbeddedPostgres) => ({
        ...dataSourceOptions(config.databaseUrl ? { url: config.databaseUrl } : await embedded.start(config.dataDir)),
        entities: undefined,
        autoLoadEntities: true,
        migrationsRun: true,
        // Fail at start-up rather than retrying for half a minute against a database that is not there.
        retryAttempts: 1,
      }),
    }),
  ],
})
export class DatabaseModule {}
