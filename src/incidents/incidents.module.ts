import { Module } from '@nestjs/common';
import { KnowledgeModule } from '../knowledge/knowledge.module';
import { TicketsModule } from '../tickets/tickets.module';
import { IncidentDetectionProjection } from './incident-detection.projection';
import { IncidentFeatures } from './incident-features';
import { IncidentFeed } from './incident-feed';
import { IncidentResolutions } from './incident-resolutions';
import { IncidentsController } from './incidents.controller';
import { IncidentsRepository } from './incidents.repository';
import { IncidentsService } from './incidents.service';
import { OpenIncidents } from './open-incidents';

/**
 * Major incidents: detected as a projection of the trail (run with the others, in src/projections), worked
 * by support here, and asked by the workflow (OpenIncidents) before the assistant plans a new ticket.
 * Above Tickets and Knowledge, beneath Workflow and Projections.
 */
@Module({
  imports: [TicketsModule, KnowledgeModule],
  controllers: [IncidentsController],
  providers: [IncidentsService, IncidentsRepository, IncidentFeatures, IncidentFeed, IncidentDetectionProjection, IncidentResolutions, OpenIncidents],
  exports: [IncidentDetectionProjection, IncidentResolutions, OpenIncidents],
})
export class IncidentsModule {}
