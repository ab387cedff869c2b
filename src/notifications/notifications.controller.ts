import { Body, Controller, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOAuth2, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '../auth/auth-user';
import { ApiErrors } from '../common/api-errors.decorator';
import { NotificationDto, NotificationListDto, NotificationsQueryDto, ReadAllDto } from './dto/notification.dto';
import { NotificationPreferencesDto, UpdateNotificationPreferencesDto } from './dto/notification-preferences.dto';
import { NotificationsService } from './notifications.service';

/**
 * Your notifications (every role; each user sees only their own): a ticket assigned to you, an approval
 * waiting for you, a service level at risk, your request's progress and comments on it. New ones also
 * arrive live as `notification` messages on GET /api/v1/events.
 */
@ApiTags('notifications')
@ApiBearerAuth()
@ApiOAuth2([])
@ApiErrors(401)
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly notificationsService: NotificationsService) {}

  /** Newest first, with your unread count; `unread_only=true` for the unread ones; page with `cursor`. */
  @ApiErrors(400)
  @Get()
  list(@CurrentUser() user: AuthUser, @Query() query: NotificationsQueryDto): Promise<NotificationListDto> {
    return this.notificationsService.list(user, query);
  }

  /** Which kinds you are told of (all are on until you switch one off). */
  @Get('preferences')
  preferences(@CurrentUser() user: AuthUser): Promise<NotificationPreferencesDto> {
    return this.notificationsService.preferences(user);
  }

  /** Switch kinds on or off (those not listed keep their setting). A kind switched off creates no notification from then on. */
  @ApiErrors(400)
  @Put('preferences')
  updatePreferences(@CurrentUser() user: AuthUser, @Body() dto: UpdateNotificationPreferencesDto): Promise<NotificationPreferencesDto> {
    return this.notificationsService.updatePreferences(user, dto);
  }

  /** Mark every unread notification of yours read. */
  @HttpCode(HttpStatus.OK)
  @Post('read_all')
  readAll(@CurrentUser() user: AuthUser): Promise<ReadAllDto> {
    return this.notificationsService.markAllRead(user);
  }

  /** Mark one of your notifications read (again: it keeps the first time). 404 when it is not yours. */
  @ApiErrors(400, 404)
  @HttpCode(HttpStatus.OK)
  @Post(':notification_id/read')
  markRead(@CurrentUser() user: AuthUser, @Param('notification_id', ParseUUIDPipe) id: string): Promise<NotificationDto> {
    return this.notificationsService.markRead(user, id);
  }
}
