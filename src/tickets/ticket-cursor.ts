// Opaque keyset cursors for GET /tickets: the sort they belong to, and the last ticket's sort value and id.
import { BadRequestException } from '@nestjs/common';
import { decodeCursorParts, encodeCursorParts, isIsoTimestamp } from '../common/keyset-cursor';
import { isUuid } from '../common/uuid';
import type { TicketSort } from './dto/list-tickets.dto';
import { TicketPriority } from './ticket.enums';
import type { Ticket } from './ticket.entity';

export function encodeCursor(ticket: Ticket, sort: TicketSort): string {
  const field = sort.replace(/^-/, '');
  const value =
    field === 'priority' ? ticket.priority : field === 'sla_due' ? (ticket.slaDueAt?.toISOString() ?? 'infinity') : (field === 'updated_at' ? ticket.updatedAt : ticket.createdAt).toISOString();
  return encodeCursorParts([sort, value, ticket.id]);
}

export function decodeCursor(cursor: string, sort: TicketSort): { value: string; id: string } {
  const [cursorSort, value, id] = decodeCursorParts(cursor, 3);
  if (cursorSort !== sort) throw new BadRequestException(`cursor belongs to sort=${cursorSort}; repeat that sort to use it`);
  // Checked here, so that a hand-made cursor is a 400 and never reaches the database's casts.
  const validValue = sort.endsWith('priority')
    ? (Object.values(TicketPriority) as string[]).includes(value)
    : isIsoTimestamp(value) || (sort.endsWith('sla_due') && value === 'infinity');
  if (!isUuid(id) || !validValue) throw new BadRequestException('cursor is not valid');
  return { value, id };
}
