import { Module } from '@nestjs/common';
import { NotificationFeed } from './notification-feed';
import { NotificationsController } from './notifications.controller';
import { NotificationsProjection } from './notifications-projection';
import { NotificationsRepository } from './notifications.repository';
import { NotificationsService } from './notifications.service';

/**
 * In-app notifications: derived from the committed trail (its projection runs with the others, in
 * src/projections), listed and marked read here, and fed to the live streams (src/events) as they are created.
 */
@Module({
  controllers: [NotificationsController],
  providers: [NotificationsService, NotificationsRepository, NotificationsProjection, NotificationFeed],
  exports: [NotificationsProjection, NotificationFeed],
})
export class NotificationsModule {}
