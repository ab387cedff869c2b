// The DataSource for the TypeORM CLI (`npm run migration:generate|run|revert`). With no DATABASE_URL it
// opens the embedded database in DATA_DIR, exactly as the app does (stop the app first: PGlite allows
// one process per data directory).
import 'dotenv/config';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './src/database/data-source-options';
import { EmbeddedPostgres } from './src/database/embedded-postgres';

async function createDataSource(): Promise<DataSource> {
  const url = process.env.DATABASE_URL;
  if (url) return new DataSource(dataSourceOptions({ url }));
  const address = await new EmbeddedPostgres().start(process.env.DATA_DIR ?? './data');
  return new DataSource(dataSourceOptions(address));
}

export default createDataSource();
