// One description of the database for the app (Nest's TypeOrmModule) and the TypeORM CLI (ormconfig.ts).
import { join } from 'node:path';
import { DataSourceOptions } from 'typeorm';
import { EmbeddedPostgresAddress } from './embedded-postgres';

export function dataSourceOptions(target: { url: string } | EmbeddedPostgresAddress): DataSourceOptions {
  const connection =
    'url' in target
      ? { url: target.url }
      : { host: target.host, port: target.port, username: target.username, database: target.database, extra: { max: 1 } };
  return {
    type: 'postgres',
    ...connection,
    entities: [join(__dirname, '..', '**', '*.entity.{ts,js}')],
    migrations: [join(__dirname, 'migrations', '*.{ts,js}')],
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    // Extensions are created by the migrations, the same way on the embedded and the real database.
    installExtensions: false,
    uuidExtension: 'pgcrypto',
    logging: ['error', 'warn', 'migration'],
  };
}
