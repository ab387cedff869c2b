// `npm run kb:reembed`: re-embeds every document chunk and ticket with the configured embedding model,
// after EMBEDDINGS_PROVIDER changed (the server refuses to start on mixed vectors until this has run).
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module';
import { LlmService } from './llm.service';

async function reembed(): Promise<void> {
  // The service re-embeds at start-up when EMBEDDINGS_REEMBED is set; when nothing is stale it does nothing,
  // so run it explicitly too.
  process.env.EMBEDDINGS_REEMBED = 'true';
  const app = await NestFactory.createApplicationContext(AppModule, { logger: ['log', 'warn', 'error'] });
  const { chunks, tickets } = await app.get(LlmService).reembedAll();
  process.stdout.write(`Re-embedded ${chunks} chunks and ${tickets} tickets\n`);
  await app.close();
}

reembed().catch((error: unknown) => {
  process.stderr.write(`Re-embedding failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
