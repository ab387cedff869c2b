// The placeholders a canned reply may hold, and how they are filled for one ticket and one agent.
import { firstName } from '../tickets/ticket-audience';

/** What a macro is filled from: the ticket, its requester (from the users table) and the agent using it. */
export interface MacroContext {
  ticket: { id: string; title: string };
  requester: { fullName: string; email: string };
  agent: { fullName: string };
}

const PLACEHOLDERS: Record<string, (context: MacroContext) => string> = {
  'requester.first_name': ({ requester }) => firstName(requester.fullName),
  'requester.name': ({ requester }) => requester.fullName,
  'requester.email': ({ requester }) => requester.email,
  'ticket.title': ({ ticket }) => ticket.title,
  'ticket.id': ({ ticket }) => ticket.id,
  'agent.first_name': ({ agent }) => firstName(agent.fullName),
  'agent.name': ({ agent }) => agent.fullName,
};

export const KNOWN_PLACEHOLDERS = Object.keys(PLACEHOLDERS).map((name) => `{{${name}}}`);

/** `{{ name }}`, spaces inside the braces allowed. */
const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** The placeholders in `body` that we cannot fill, each once, as written. */
export function unknownPlaceholders(body: string): string[] {
  const unknown = [...body.matchAll(PLACEHOLDER)].filter((match) => !(match[1] in PLACEHOLDERS)).map((match) => match[0]);
  return [...new Set(unknown)];
}

export function fillPlaceholders(body: string, context: MacroContext): string {
  return body.replace(PLACEHOLDER, (written, name: string) => PLACEHOLDERS[name]?.(context) ?? written);
}
