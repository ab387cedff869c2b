// `npm run kb:reembed`: re-embeds every document chunk and ticket with the configured embedding model,
// after EMBEDDINGS_PROVIDER changed (the server refuses to start on mixed vectors until this has run).
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module';

async function reembed(): Promise<void> {
  // With EMBEDDINGS_REEMBED the Llm module re-embeds everything while it starts (and logs the counts).
  process.env.EMBEDDINGS_REEMBED = 'true';
  const app = await NestFactory.createApplicationContext(AppModule, { logger: ['log', 'warn', 'error'] });
  await app.close();
}

reembed().catch((error: unknown) => {
  process.stderr.write(`Re-embedding failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
