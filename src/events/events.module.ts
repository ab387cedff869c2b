import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { TicketsModule } from '../tickets/tickets.module';
import { EventPump } from './event-pump';
import { EventsController } from './events.controller';
import { EventsRepository } from './events.repository';
import { EventsService } from './events.service';

@Module({
  imports: [TicketsModule, AuthModule, NotificationsModule],
  controllers: [EventsController],
  providers: [EventPump, EventsService, EventsRepository],
  exports: [EventsService, EventPump],
})
export class EventsModule {}
