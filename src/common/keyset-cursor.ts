// Opaque keyset cursors for the lists ordered by creation (users, documents, comments): the last row's
// created_at (milliseconds, as those columns store it) and id. Unlike an offset, a cursor costs the same
// at any depth and skips or repeats nothing when rows are added meanwhile.
import { BadRequestException } from '@nestjs/common';
import { isStorableInstant } from './instant';
import { isUuid } from './uuid';

export interface KeysetPosition {
  createdAt: Date;
  id: string;
}

export function encodeKeyset(row: KeysetPosition): string {
  return encodeCursorParts([row.createdAt.toISOString(), row.id]);
}

export function decodeKeyset(cursor: string): KeysetPosition {
  const [at, id] = decodeCursorParts(cursor, 2);
  if (!isUuid(id) || !isIsoTimestamp(at)) throw new BadRequestException('cursor is not valid');
  return { createdAt: new Date(at), id };
}

/** Any of our cursors: a JSON array of strings, base64url-encoded. */
export function encodeCursorParts(parts: string[]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

/** The `count` strings a cursor of ours holds; 400 for anything else. */
export function decodeCursorParts(cursor: string, count: number): string[] {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new BadRequestException('cursor is not valid');
  }
  if (!Array.isArray(decoded) || decoded.length !== count || !decoded.every((part) => typeof part === 'string')) {
    throw new BadRequestException('cursor is not valid');
  }
  return decoded as string[];
}

/** An instant exactly as Date#toISOString writes it (what our cursors hold), within what the database stores. */
export function isIsoTimestamp(value: string): boolean {
  const time = Date.parse(value);
  return !Number.isNaN(time) && new Date(time).toISOString() === value && isStorableInstant(new Date(time));
}

/** 400 when a query pages both ways at once. */
export function assertOnePagingMode(query: { offset: number; cursor?: string }): void {
  if (query.cursor && query.offset > 0) throw new BadRequestException('Use either cursor or offset, not both');
}

/** The page request a list's repository takes: an offset, or the position after which to continue. */
export interface PageRequest {
  limit: number;
  offset: number;
  after?: KeysetPosition;
}

/** Turns the query's cursor or offset into a page request (both at once is a 400). */
export function pageRequest(query: { limit: number; offset: number; cursor?: string }): PageRequest {
  assertOnePagingMode(query);
  return { limit: query.limit, offset: query.offset, after: query.cursor ? decodeKeyset(query.cursor) : undefined };
}

/** The cursor of the page after `rows`, or null when this page is the last. */
export function nextCursor(rows: KeysetPosition[], limit: number): string | null {
  const last = rows.at(-1);
  return rows.length === limit && last ? encodeKeyset(last) : null;
}
