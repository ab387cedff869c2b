// `npm run openapi:export`: writes the OpenAPI document the app serves at /docs-json to openapi.json,
// without a database: Nest's preview mode builds the module graph but instantiates no provider.
import { NestFactory } from '@nestjs/core';
import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { setApiPrefix } from '../src/app.setup';
import { createOpenApiDocument } from '../src/common/openapi';

async function main(): Promise<void> {
  const { AppModule } = await import('../src/app.module');
  const app = await NestFactory.create(AppModule, { preview: true, logger: false, abortOnError: false });
  setApiPrefix(app);
  const document = createOpenApiDocument(app);
  await app.close();
  const target = join(__dirname, '..', '..', 'openapi.json');
  writeFileSync(target, `${JSON.stringify(document, null, 2)}\n`);
  process.stdout.write(`Wrote ${relative(process.cwd(), target) || target} (${Object.keys(document.paths).length} paths)\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`Could not export the OpenAPI document: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
