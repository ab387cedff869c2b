// Opaque keyset cursors for the lists ordered by creation (users, documents, comments): the last row's
// created_at (milliseconds, as those columns store it) and id. Unlike an offset, a cursor costs the same
// at any depth and skips or repeats nothing when rows are added meanwhile.
import { BadRequestException } from '@nestjs/common';
import { isUuid } from './uuid';

export interface KeysetPosition {
  createdAt: Date;
  id: string;
}

export function encodeKeyset(row: KeysetPosition): string {
  return Buffer.from(JSON.stringify([row.createdAt.toISOString(), row.id])).toString('base64url');
}

export function decodeKeyset(cursor: string): KeysetPosition {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new BadRequestException('cursor is not valid');
  }
  const [at, id] = Array.isArray(decoded) && decoded.length === 2 ? (decoded as unknown[]) : [];
  const createdAt = typeof at === 'string' ? new Date(at) : new Date(NaN);
  if (typeof id !== 'string' || !isUuid(id) || Number.isNaN(createdAt.getTime()) || createdAt.toISOString() !== at) {
    throw new BadRequestException('cursor is not valid');
  }
  return { createdAt, id };
}

/** The page request a list's repository takes: an offset, or the position after which to continue. */
export interface PageRequest {
  limit: number;
  offset: number;
  after?: KeysetPosition;
}

/** Turns the query's cursor or offset into a page request (both at once is a 400). */
export function pageRequest(query: { limit: number; offset: number; cursor?: string }): PageRequest {
  if (query.cursor && query.offset > 0) throw new BadRequestException('Use either cursor or offset, not both');
  return { limit: query.limit, offset: query.offset, after: query.cursor ? decodeKeyset(query.cursor) : undefined };
}

/** The cursor of the page after `rows`, or null when this page is the last. */
export function nextCursor(rows: KeysetPosition[], limit: number): string | null {
  const last = rows.at(-1);
  return rows.length === limit && last ? encodeKeyset(last) : null;
}
