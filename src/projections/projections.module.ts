import { Module } from '@nestjs/common';
import { ApprovalsModule } from '../approvals/approvals.module';
import { IncidentsModule } from '../incidents/incidents.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { SlaModule } from '../sla/sla.module';
import { TrailModule } from '../trail/trail.module';
import { TrailProjections } from './trail-projections';

/** Derived state, kept by following the committed trail: above the modules whose projections it runs. */
@Module({
  imports: [SlaModule, ApprovalsModule, NotificationsModule, IncidentsModule, TrailModule],
  providers: [TrailProjections],
  exports: [TrailProjections],
})
export class ProjectionsModule {}
