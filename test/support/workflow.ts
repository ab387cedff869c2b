// Helpers for the workflow e2e tests: the Local IT Support API's requests, human responses, and waiting for a status.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';

/** The Local IT Support API's example request: software access, so the policy asks for approval. */
export const ACCESS_REQUEST = {
  request_type: 'software_access',
  title: 'Request for Admin Access',
  description: 'Need admin access to the customer database for the quarterly reporting work',
  priority: 'high',
  urgency: 'urgent',
  business_justification: 'Required for quarterly review',
};

/**
 * A question the knowledge base answers (kb-sample's ssh-copy-id page), in the page's own words: the
 * offline plan's confidence is about 0.85, well clear of the policy's 0.5.
 */
export const KB_QUESTION = {
  request_type: 'other',
  title: 'Log in to the build server without a password',
  description: 'Install my public keys on the remote server with ssh-copy-id, so that logins with those keys are enabled and I can log in without a password.',
  priority: 'medium',
};

/** A request nothing in the knowledge base answers. */
export const UNKNOWN_REQUEST = {
  request_type: 'hardware',
  title: 'Conference room projector hums loudly',
  description: 'The ceiling projector in meeting room Aurora makes a loud humming noise during every meeting this week.',
  priority: 'low',
};

/** Too short to act on: triage asks the requester for more. */
export const VAGUE_REQUEST = { request_type: 'other', title: 'Key problem', description: 'SSH key broken', priority: 'medium' };

export function fileRequest(url: string, token: string, body: Record<string, unknown>, wait = false) {
  return request(url).post(`/api/v1/request${wait ? '?wait=true' : ''}`).auth(token, { type: 'bearer' }).send(body);
}

export function respond(url: string, token: string, ticketId: string, body: Record<string, unknown>, wait = false) {
  return request(url).post(`/api/v1/hil/${ticketId}${wait ? '?wait=true' : ''}`).auth(token, { type: 'bearer' }).send(body);
}

export function getWorkflow(url: string, token: string, ticketId: string) {
  return request(url).get(`/api/v1/workflow/${ticketId}`).auth(token, { type: 'bearer' });
}

/** Polls the ticket until its status is one of `statuses`; fails with the last status seen. */
export async function waitForStatus(url: string, token: string, ticketId: string, statuses: string[], timeoutMs = 90_000): Promise<Record<string, any>> {
  const deadline = Date.now() + timeoutMs;
  let last: Record<string, any> = {};
  while (Date.now() < deadline) {
    last = (await request(url).get(`/api/v1/tickets/${ticketId}`).auth(token, { type: 'bearer' }).expect(200)).body;
    if (statuses.includes(last.status)) return last;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`Ticket ${ticketId} did not reach ${statuses.join('/')} within ${timeoutMs} ms; it is ${last.status}`);
}

/** Uploads a kb-sample document (as an admin) so the knowledge base can answer questions about it. */
export async function ingestKbDoc(url: string, adminToken: string, name: string): Promise<string> {
  const path = join(__dirname, '..', '..', '..', 'shared', 'kb-sample', 'docs', name);
  const response = await request(url).post('/api/v1/llm/ingest_doc').auth(adminToken, { type: 'bearer' }).attach('file', readFileSync(path), name).expect(201);
  return response.body.document_id as string;
}
