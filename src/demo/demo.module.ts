import { Module } from '@nestjs/common';
import { LlmModule } from '../llm/llm.module';
import { TicketsModule } from '../tickets/tickets.module';
import { UsersModule } from '../users/users.module';
import { WorkflowModule } from '../workflow/workflow.module';
import { DemoController } from './demo.controller';
import { DemoLoader } from './demo-loader';

/** `DEMO=true` / `npm run demo`: the demo accounts, knowledge base and requests (imported by the app only). */
@Module({
  imports: [UsersModule, LlmModule, TicketsModule, WorkflowModule],
  controllers: [DemoController],
  providers: [DemoLoader],
})
export class DemoModule {}
