// The demo's accounts and the two requests it files, so that a newcomer sees both ends of the loop: a
// how-to question the knowledge base answers (auto-resolved, with citations) and an access request that
// waits for an approver.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Role } from '../users/role.enum';
import { CreateTicketDto } from '../tickets/dto/create-ticket.dto';
import { RequestType, TicketPriority, TicketUrgency } from '../tickets/ticket.enums';

/** Published on purpose (README, start-up banner): DEMO is refused when NODE_ENV is production. */
export const DEMO_PASSWORD = 'Demo-Desk-2026!';

export const DEMO_ACCOUNTS = [
  { email: 'employee@demo.example.com', fullName: 'Erin Employee', employeeId: 'DEMO-EMP', department: 'Finance', role: Role.User },
  { email: 'support@demo.example.com', fullName: 'Sam Support', employeeId: 'DEMO-SUP', department: 'IT Service Desk', role: Role.Support },
  { email: 'admin@demo.example.com', fullName: 'Ada Admin', employeeId: 'DEMO-ADM', department: 'IT Service Desk', role: Role.Admin },
] as const;

export const DEMO_REQUESTS: CreateTicketDto[] = [
  Object.assign(new CreateTicketDto(), {
    request_type: RequestType.Other,
    title: 'Move multi-factor authentication to my new phone',
    description:
      'I got a new phone. How do I move Microsoft Authenticator multi-factor authentication to the new phone before I wipe the old one? ' +
      'Do I add a sign-in method under Security info and scan the QR code?',
    priority: TicketPriority.Medium,
  }),
  Object.assign(new CreateTicketDto(), {
    request_type: RequestType.SoftwareAccess,
    title: 'Admin access to the reporting database',
    description: 'I need admin access to the customer reporting database to build the quarterly dashboards.',
    priority: TicketPriority.High,
    urgency: TicketUrgency.Urgent,
    business_justification: 'Quarterly board report due on Friday',
  }),
];

/** demo/knowledge-base in the package (the same from the sources and from dist/). */
export function demoKnowledgeBaseDir(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('demo/knowledge-base not found: run the demo from the project folder');
    dir = parent;
  }
  return join(dir, 'demo', 'knowledge-base');
}
