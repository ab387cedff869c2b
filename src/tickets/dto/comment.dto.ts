import { IsBoolean, IsOptional, IsString, Length } from 'class-validator';
import { Trim } from '../../common/trim.decorator';
import { nameFor, type TicketAudience } from '../ticket-audience';
import { TicketComment } from '../ticket-comment.entity';
import { textMessage } from '../../common/human-messages';

const BODY = textMessage({ missing: 'Write your comment', tooLong: 'A comment can be at most 5,000 characters', notText: 'The comment must be text' });

export class CreateCommentDto {
  /** @example "I restarted the laptop, the VPN still fails." */
  @Trim() @IsString(BODY) @Length(1, 5000, BODY)
  body: string;

  /** An internal note, hidden from the requester (support and admin only). */
  @IsOptional() @IsBoolean({ message: 'Internal must be true (staff only) or false' })
  internal?: boolean;
}

export class CommentDto {
  comment_id: string;
  ticket_id: string;
  /** Null for comments written by the system. */
  author_id: string | null;
  /** The author by name as the viewer may read it (a requester reads support's first names); null for the system. @example "Sam Support" */
  author_name: string | null;
  body: string;
  internal: boolean;
  created_at: Date;
}

export class CommentListDto {
  comments: CommentDto[];
  count: number;
  total: number;
  /** Pass as `cursor` to get the next page; null on the last page. */
  next_cursor: string | null;
}

export function mapComment(comment: TicketComment, audience: TicketAudience): CommentDto {
  return {
    comment_id: comment.id,
    ticket_id: comment.ticketId,
    author_id: comment.authorId,
    author_name: comment.author ? nameFor(audience, comment.author) : null,
    body: comment.body,
    internal: comment.internal,
    created_at: comment.createdAt,
  };
}
