import { Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { AttachmentsModule } from './attachments/attachments.module';
import { AuthModule } from './auth/auth.module';
import { HttpErrorFilter } from './common/http-error.filter';
import { LoggerModule } from './common/logger.module';
import { StartupNoticesModule } from './common/startup-banner';
import { createValidationPipe } from './common/validation.pipe';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { DemoModule } from './demo/demo.module';
import { EventsModule } from './events/events.module';
import { HealthModule } from './health/health.module';
import { IdempotencyModule } from './idempotency/idempotency.module';
import { LimitsModule } from './limits/limits.module';
import { LlmModule } from './llm/llm.module';
import { MacrosModule } from './macros/macros.module';
import { StaleVectorsCheckModule } from './knowledge/stale-vectors-check.module';
import { SlaModule } from './sla/sla.module';
import { ApprovalsModule } from './approvals/approvals.module';
import { IncidentsModule } from './incidents/incidents.module';
import { NotificationsModule } from './notifications/notifications.module';
import { ProjectionsModule } from './projections/projections.module';
import { TicketsModule } from './tickets/tickets.module';
import { InitialAdminModule } from './users/initial-admin.module';
import { UsersModule } from './users/users.module';
import { WorkflowModule } from './workflow/workflow.module';

@Module({
  imports: [
    ConfigModule,
    LoggerModule,
    StartupNoticesModule,
    DatabaseModule,
    EventEmitterModule.forRoot(),
    LimitsModule,
    IdempotencyModule,
    HealthModule,
    UsersModule,
    InitialAdminModule,
    AuthModule,
    TicketsModule,
    AttachmentsModule,
    MacrosModule,
    SlaModule,
    ApprovalsModule,
    NotificationsModule,
    IncidentsModule,
    EventsModule,
    LlmModule,
    StaleVectorsCheckModule,
    WorkflowModule,
    DemoModule,
    ProjectionsModule,
  ],
  providers: [
    { provide: APP_PIPE, useFactory: createValidationPipe },
    { provide: APP_FILTER, useClass: HttpErrorFilter },
  ],
})
export class AppModule {}
