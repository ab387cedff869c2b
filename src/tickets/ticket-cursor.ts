// Opaque keyset cursors for GET /tickets: the sort they belong to, and the last ticket's sort value and id.
import { BadRequestException } from '@nestjs/common';
import { isUuid } from '../common/uuid';
import type { TicketSort } from './dto/list-tickets.dto';
import { TicketPriority } from './ticket.enums';
import type { Ticket } from './ticket.entity';

export function encodeCursor(ticket: Ticket, sort: TicketSort): string {
  const field = sort.replace(/^-/, '');
  const value = field === 'priority' ? ticket.priority : (field === 'updated_at' ? ticket.updatedAt : ticket.createdAt).toISOString();
  return Buffer.from(JSON.stringify([sort, value, ticket.id])).toString('base64url');
}

export function decodeCursor(cursor: string, sort: TicketSort): { value: string; id: string } {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new BadRequestException('cursor is not valid');
  }
  if (!Array.isArray(decoded) || decoded.length !== 3 || !decoded.every((part) => typeof part === 'string')) {
    throw new BadRequestException('cursor is not valid');
  }
  const [cursorSort, value, id] = decoded as string[];
  if (cursorSort !== sort) throw new BadRequestException(`cursor belongs to sort=${cursorSort}; repeat that sort to use it`);
  // Checked here, so that a hand-made cursor is a 400 and never reaches the database's casts.
  const validValue = sort.endsWith('priority') ? (Object.values(TicketPriority) as string[]).includes(value) : isIsoTimestamp(value);
  if (!isUuid(id) || !validValue) throw new BadRequestException('cursor is not valid');
  return { value, id };
}

function isIsoTimestamp(value: string): boolean {
  const time = Date.parse(value);
  return !Number.isNaN(time) && new Date(time).toISOString() === value;
}
