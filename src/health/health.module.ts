import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { WorkflowModule } from '../workflow/workflow.module';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';

@Module({
  imports: [TerminusModule.forRoot({ logger: false }), WorkflowModule],
  controllers: [HealthController],
  providers: [HealthService],
})
export class HealthModule {}
