// `npm run kb:reembed`: re-embeds every document chunk and ticket with the configured embedding model,
// after EMBEDDINGS_PROVIDER changed (the server refuses to start on mixed vectors until this has run).
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { ReembedModule } from './reembed.module';
import { Reembedding } from './reembedding.service';

async function reembed(): Promise<void> {
  const context = await NestFactory.createApplicationContext(ReembedModule, { bufferLogs: true });
  context.useLogger(context.get(Logger));
  try {
    await context.get(Reembedding).reembedAll(); // logs the counts
  } finally {
    await context.close();
  }
}

reembed().catch((error: unknown) => {
  process.stderr.write(`Re-embedding failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
