import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { ApiProperty } from '@nestjs/swagger';
import { BooleanQuery } from '../../common/boolean-query.decorator';
import { NotificationKind } from '../notification-kinds';
import type { NotificationRow } from '../notifications.repository';

export class NotificationsQueryDto {
  /** Only notifications not yet read. */
  @IsOptional() @BooleanQuery('unread_only')
  unread_only?: boolean = false;

  /** `next_cursor` of the previous page. */
  @IsOptional() @IsString() @Matches(/^[\w-]{1,200}$/, { message: 'cursor is not valid' })
  cursor?: string;

  /** How many to return (at most 100). */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100)
  limit: number = 20;
}

export class NotificationDto {
  notification_id: string;
  @ApiProperty({ enum: NotificationKind })
  kind: NotificationKind;
  /** The ticket it is about (open it to see more). */
  ticket_id: string;
  /** A short heading. @example "Ticket assigned to you" */
  title: string;
  /** What happened, in a sentence. @example "Ana Silva assigned “Laptop won't boot” to you" */
  text: string;
  created_at: string;
  /** null while unread. */
  read_at: string | null;
}

export class NotificationListDto {
  /** Newest first. */
  notifications: NotificationDto[];
  /** How many are in this page. */
  count: number;
  /** All of your unread notifications (not only this page's). */
  unread_count: number;
  /** Pass as `cursor` for the next page; null on the last. */
  next_cursor: string | null;
}

export class ReadAllDto {
  /** How many were unread. */
  marked: number;
  unread_count: number;
}

export function toNotificationDto(row: NotificationRow): NotificationDto {
  return {
    notification_id: row.id,
    kind: row.kind as NotificationKind,
    ticket_id: row.ticket_id,
    title: row.title,
    text: row.text,
    created_at: new Date(row.created_at).toISOString(),
    read_at: row.read_at ? new Date(row.read_at).toISOString() : null,
  };
}
