// The console speaks to the API only through this client: openapi-fetch typed by the OpenAPI document
// (`npm run console:schema` regenerates schema.d.ts from openapi.json), so a changed contract fails the
// console's type check rather than a user's click.
import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';
import { session } from '../session';

export type Schemas = components['schemas'];
export type Ticket = Schemas['TicketDto'];
export type TicketStatus = Ticket['status'];
export type TicketEvent = Schemas['TicketEventDto'];
export type Comment = Schemas['CommentDto'];
export type User = Schemas['UserDto'];
export type Role = User['role'];
export type WorkflowState = Schemas['WorkflowStateDto'];
export type Approval = Schemas['ApprovalDto'];
export type Document = Schemas['DocumentDto'];
export type ApiError = Schemas['ErrorDto'];

export const api = createClient<paths>({ baseUrl: location.origin });

const authorize: Middleware = {
  async onRequest({ request, schemaPath }) {
    if (schemaPath.startsWith('/api/v1/auth/login') || schemaPath.startsWith('/api/v1/auth/register') || schemaPath.startsWith('/api/v1/auth/refresh')) return request;
    const token = await session.freshAccessToken();
    if (token) request.headers.set('Authorization', `Bearer ${token}`);
    return request;
  },
  onResponse({ response, schemaPath }) {
    // A refused token that a refresh could not renew: the session is over (signed out elsewhere, deactivated).
    if (response.status === 401 && !schemaPath.startsWith('/api/v1/auth/')) session.end('Your session has ended — please sign in again.');
    return response;
  },
};
api.use(authorize);

/** The API's error body as one sentence per problem (validation errors arrive as a list). */
export function errorMessages(error: unknown): string[] {
  if (error && typeof error === 'object' && 'message' in error) {
    const message = (error as ApiError).message;
    return Array.isArray(message) ? message : [String(message)];
  }
  return ['The server could not be reached. Check your connection and try again.'];
}

export type FieldErrors = { byField: Record<string, string[]>; other: string[] };

/**
 * A validation error (400) lists each problem with its field (`errors`); this sorts them under the fields
 * of a form so each shows where it belongs, and leaves the rest — and any other error — for the form's
 * own summary.
 */
export function fieldErrors(error: unknown, fields: readonly string[]): FieldErrors {
  const listed = error && typeof error === 'object' && 'errors' in error ? (error as ApiError).errors : undefined;
  if (!listed) return { byField: {}, other: errorMessages(error) };
  const byField: Record<string, string[]> = {};
  const other: string[] = [];
  for (const { field, message } of listed) {
    if (fields.includes(field)) (byField[field] ??= []).push(message);
    else other.push(message);
  }
  return { byField, other };
}
