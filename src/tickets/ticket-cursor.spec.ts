import { BadRequestException } from '@nestjs/common';
import { TICKET_SORTS, TicketSort } from './dto/list-tickets.dto';
import { decodeCursor, encodeCursor } from './ticket-cursor';
import { TicketPriority } from './ticket.enums';
import { Ticket } from './ticket.entity';

const ticket = {
  id: '6f1c0a52-3b7e-4a8e-9a55-3f2a7b1d9c10',
  priority: TicketPriority.High,
  createdAt: new Date('2025-01-02T03:04:05.678Z'),
  updatedAt: new Date('2025-02-03T04:05:06.789Z'),
  slaDueAt: new Date('2025-02-04T05:06:07.890Z'),
} as Ticket;
const encode = (parts: unknown) => Buffer.from(JSON.stringify(parts)).toString('base64url');
const notValid = new BadRequestException('cursor is not valid');

describe('ticket cursors', () => {
  it.each<[TicketSort, string]>([
    ['created_at', '2025-01-02T03:04:05.678Z'],
    ['-created_at', '2025-01-02T03:04:05.678Z'],
    ['updated_at', '2025-02-03T04:05:06.789Z'],
    ['-updated_at', '2025-02-03T04:05:06.789Z'],
    ['priority', 'high'],
    ['-priority', 'high'],
    ['sla_due', '2025-02-04T05:06:07.890Z'],
    ['-sla_due', '2025-02-04T05:06:07.890Z'],
  ])('round-trips the last ticket of a page sorted by %s to its sort value %s and id', (sort, value) => {
    expect(decodeCursor(encodeCursor(ticket, sort), sort)).toEqual({ value, id: ticket.id });
  });

  it.each(TICKET_SORTS)('makes a %s cursor that the list query accepts as it is', (sort) => {
    // The query DTO only lets word characters and dashes through.
    expect(encodeCursor(ticket, sort)).toMatch(/^[\w-]{1,300}$/);
  });

  it('gives a ticket with no running SLA clock the sort value infinity, after every due time', () => {
    const idle = { ...ticket, slaDueAt: null } as Ticket;
    expect(decodeCursor(encodeCursor(idle, 'sla_due'), 'sla_due')).toEqual({ value: 'infinity', id: ticket.id });
    expect(() => decodeCursor(encode(['created_at', 'infinity', ticket.id]), 'created_at')).toThrow(notValid);
  });

  it('covers every sort the list offers', () => {
    expect([...TICKET_SORTS].sort()).toEqual(['-created_at', '-priority', '-sla_due', '-updated_at', 'created_at', 'priority', 'sla_due', 'updated_at']);
  });

  it.each<[TicketSort, TicketSort]>([
    ['-created_at', 'created_at'],
    ['created_at', '-updated_at'],
    ['priority', '-priority'],
    ['-updated_at', 'priority'],
  ])('refuses a %s cursor on a %s list, naming the sort it belongs to', (from, to) => {
    expect(() => decodeCursor(encodeCursor(ticket, from), to)).toThrow(
      new BadRequestException(`cursor belongs to sort=${from}; repeat that sort to use it`),
    );
  });

  it.each([
    ['text that is not base64 JSON', 'garbage'],
    ['an empty cursor', ''],
    ['base64 of an object', encode({ sort: '-created_at', value: '2025-01-02T03:04:05.678Z', id: ticket.id })],
    ['base64 of a string', encode('-created_at')],
    ['base64 of null', encode(null)],
    ['an array that is too short', encode(['-created_at', ticket.id])],
    ['an array that is too long', encode(['-created_at', '2025-01-02T03:04:05.678Z', ticket.id, 'extra'])],
    ['an array that is not all strings', encode(['-created_at', 1735787045678, ticket.id])],
    ['an id that is not a uuid', encode(['-created_at', '2025-01-02T03:04:05.678Z', "1' OR '1'='1"])],
    ['a sort value longer than any real one', encode(['-created_at', 'x'.repeat(41), ticket.id])],
  ])('refuses %s as not valid', (_, cursor) => {
    expect(() => decodeCursor(cursor, '-created_at')).toThrow(notValid);
  });

  it.each<[string, TicketSort, string]>([
    ['a priority that does not exist', 'priority', encode(['priority', 'urgent', ticket.id])],
    ['a date that is not a timestamp', '-created_at', encode(['-created_at', 'not-a-date', ticket.id])],
    ['a date in another format', '-created_at', encode(['-created_at', '2025-01-02', ticket.id])],
    ['an id of dashes only', '-created_at', encode(['-created_at', '2025-01-02T03:04:05.678Z', '-'.repeat(36)])],
  ])('refuses %s before it can reach the database', (_, sort, cursor) => {
    expect(() => decodeCursor(cursor, sort)).toThrow(notValid);
  });
});
