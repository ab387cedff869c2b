import { existsSync } from 'node:fs';
import { join } from 'node:path';

export default async function globalSetup(): Promise<void> {
  if (!process.env.TEST_DATABASE_URL) {
    throw new Error('The chaos suite runs on a real PostgreSQL server: set TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres)');
  }
  if (!existsSync(join(__dirname, '..', '..', '..', 'dist', 'src', 'main.js'))) {
    throw new Error('The chaos suite runs the built app: `npm run test:chaos` builds it first');
  }
}
