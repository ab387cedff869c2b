import request from 'supertest';

export const NEW_TICKET = {
  request_type: 'software_access',
  title: 'Request for Admin Access',
  description: 'Need admin access to database',
  priority: 'high',
  urgency: 'urgent',
  business_justification: 'Required for quarterly review',
  desired_completion_date: '2030-01-15T00:00:00Z',
};

export async function createTicket(url: string, token: string, overrides: Record<string, unknown> = {}) {
  const response = await request(url).post('/api/v1/tickets').auth(token, { type: 'bearer' }).send({ ...NEW_TICKET, ...overrides }).expect(201);
  return response.body as { ticket_id: string; status: string; requester_id: string; employee_id: string } & Record<string, unknown>;
}

export function patchTicket(url: string, token: string, ticketId: string, body: Record<string, unknown>) {
  return request(url).patch(`/api/v1/tickets/${ticketId}`).auth(token, { type: 'bearer' }).send(body);
}
