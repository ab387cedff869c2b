import { Module } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { LoggerModule } from '../common/logger.module';
import { ConfigModule } from '../config/config.module';
import { DatabaseModule } from '../database/database.module';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { LimitsModule } from '../limits/limits.module';
import { KnowledgeModule } from './knowledge.module';

/**
 * What `npm run kb:reembed` starts: configuration, logs, the database and the knowledge base. Not the
 * whole app: its workflow queue would requeue and claim runs, its first-admin check would create an
 * account, and its event pump and sign-in have nothing to do here. The event emitter is there because
 * the tickets service (which the knowledge base uses) emits signals; the limits and idempotency because its controllers' guards and interceptors need them.
 */
@Module({
  imports: [ConfigModule, LoggerModule, DatabaseModule, EventEmitterModule.forRoot(), LimitsModule, IdempotencyModule, KnowledgeModule],
})
export class ReembedModule {}
