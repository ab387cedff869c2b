// A user's notifications: their list with the unread count, read marks, and which kinds they want.
import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import type { AuthUser } from '../auth/auth-user';
import { decodeKeyset, nextCursor } from '../common/keyset-cursor';
import { NotificationListDto, NotificationDto, NotificationsQueryDto, ReadAllDto, toNotificationDto } from './dto/notification.dto';
import { NotificationPreferencesDto, UpdateNotificationPreferencesDto } from './dto/notification-preferences.dto';
import { KIND_DESCRIPTIONS, kindsFor } from './notification-kinds';
import { NotificationsRepository } from './notifications.repository';

type Viewer = Pick<AuthUser, 'id' | 'role'>;

@Injectable()
export class NotificationsService {
  constructor(private readonly notificationsRepository: NotificationsRepository) {}

  async list(viewer: Viewer, query: NotificationsQueryDto): Promise<NotificationListDto> {
    const after = query.cursor ? decodeKeyset(query.cursor) : undefined;
    const rows = await this.notificationsRepository.listFor(viewer.id, { unreadOnly: query.unread_only ?? false, limit: query.limit, after });
    const unread = await this.notificationsRepository.countUnread(viewer.id);
    return {
      notifications: rows.map(toNotificationDto),
      count: rows.length,
      unread_count: unread,
      next_cursor: nextCursor(rows.map((row) => ({ createdAt: new Date(row.created_at), id: row.id })), query.limit),
    };
  }

  /** 404 for a notification that is not the viewer's: whether it exists is nobody else's business. */
  async markRead(viewer: Viewer, id: string): Promise<NotificationDto> {
    const row = await this.notificationsRepository.markRead(viewer.id, id);
    if (!row) throw new NotFoundException(`Notification ${id} not found`);
    return toNotificationDto(row);
  }

  async markAllRead(viewer: Viewer): Promise<ReadAllDto> {
    return { marked: await this.notificationsRepository.markAllRead(viewer.id), unread_count: 0 };
  }

  async preferences(viewer: Viewer): Promise<NotificationPreferencesDto> {
    const chosen = await this.notificationsRepository.preferencesOf(viewer.id);
    return { preferences: kindsFor(viewer.role).map((kind) => ({ kind, description: KIND_DESCRIPTIONS[kind], in_app: chosen.get(kind) ?? true })) };
  }

  async updatePreferences(viewer: Viewer, dto: UpdateNotificationPreferencesDto): Promise<NotificationPreferencesDto> {
    const allowed = kindsFor(viewer.role);
    const kinds = dto.preferences.map((preference) => preference.kind);
    const foreign = kinds.filter((kind) => !allowed.includes(kind));
    if (foreign.length > 0) throw new BadRequestException(`No notification of kind ${foreign.join(', ')} can reach you; your kinds are: ${allowed.join(', ')}`);
    if (new Set(kinds).size !== kinds.length) throw new BadRequestException('Each kind may be listed once');
    await this.notificationsRepository.savePreferences(viewer.id, dto.preferences.map((preference) => ({ kind: preference.kind, inApp: preference.in_app })));
    return this.preferences(viewer);
  }
}
