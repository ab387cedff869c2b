// One description of the database for the app (Nest's TypeOrmModule) and the TypeORM CLI (ormconfig.ts).
import { join } from 'node:path';
import { DataSourceOptions } from 'typeorm';
import { EmbeddedPostgresAddress } from './embedded-postgres';

/** Schema, migrations and behaviour; the app adds its own pool, the CLI a connection of its own. */
export function schemaOptions() {
  return {
    type: 'postgres' as const,
    entities: [join(__dirname, '..', '**', '*.entity.{ts,js}')],
    migrations: [join(__dirname, 'migrations', '*.{ts,js}')],
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each' as const,
    synchronize: false,
    // Extensions are created by the migrations, the same way on the embedded and the real database.
    installExtensions: false,
    uuidExtension: 'pgcrypto' as const,
    logging: ['error', 'warn', 'migration'] as Array<'error' | 'warn' | 'migration'>,
  };
}

export function dataSourceOptions(target: { url: string } | EmbeddedPostgresAddress): DataSourceOptions {
  const connection =
    'url' in target
      ? { url: target.url }
      : { host: target.host, port: target.port, username: target.username, database: target.database, extra: { max: 1 } };
  return { ...schemaOptions(), ...connection };
}
