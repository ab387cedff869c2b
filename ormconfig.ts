// The DataSource for the TypeORM CLI (`npm run migration:generate|run|revert`). With no DATABASE_URL it
// opens the embedded database in DATA_DIR, exactly as the app does (stop the app first: PGlite allows
// one process per data directory).
import 'dotenv/config';
import { DataSource } from 'typeorm';
import { validateEnvironment } from './src/config/environment';
import { dataSourceOptions } from './src/database/data-source-options';
import { EmbeddedPostgres } from './src/database/embedded-postgres';

async function createDataSource(): Promise<DataSource> {
  const env = validateEnvironment(process.env);
  if (env.DATABASE_URL) return new DataSource(dataSourceOptions({ url: env.DATABASE_URL }));
  return new DataSource(dataSourceOptions(await new EmbeddedPostgres().start(env.DATA_DIR)));
}

export default createDataSource();
