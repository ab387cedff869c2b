import { Injectable, Module, OnModuleInit } from '@nestjs/common';
import { KnowledgeModule } from './knowledge.module';
import { Reembedding } from './reembedding.service';

/**
 * The server refuses to start on vectors made by another embedding model than the configured one.
 * In onModuleInit, so that it refuses before any onApplicationBootstrap hook (the workflow queue's) has
 * taken up a run.
 */
@Injectable()
class StaleVectorsCheck implements OnModuleInit {
  constructor(private readonly reembedding: Reembedding) {}

  onModuleInit(): Promise<void> {
    return this.reembedding.assertNoStaleVectors();
  }
}

/** Imported by the app only: `npm run kb:reembed` must start on stale vectors, to replace them. */
@Module({
  imports: [KnowledgeModule],
  providers: [StaleVectorsCheck],
})
export class StaleVectorsCheckModule {}
