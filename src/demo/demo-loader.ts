// DEMO=true (`npm run demo`): on start-up, loads the demo — accounts for each role, the demo knowledge base
// (demo/knowledge-base, a dozen short IT how-tos written for this project) and, once, two requests — and
// says in the start-up banner what to try. Each part is skipped when it is there already, so restarts add nothing.
// Never in production: the configuration refuses DEMO there (the passwords are published).
import { ConflictException, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AuthUser } from '../auth/auth-user';
import { StartupNotices } from '../common/startup-banner';
import { AppConfig } from '../config/app-config';
import { DocumentIngestion } from '../knowledge/document-ingestion.service';
import { ListTicketsQueryDto } from '../tickets/dto/list-tickets.dto';
import { TicketsService } from '../tickets/tickets.service';
import { UserDto } from '../users/dto/user.dto';
import { UsersService } from '../users/users.service';
import { WorkflowService } from '../workflow/workflow.service';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_REQUESTS, demoKnowledgeBaseDir } from './demo-content';

@Injectable()
export class DemoLoader implements OnApplicationBootstrap {
  private readonly logger = new Logger(DemoLoader.name);

  constructor(
    private readonly config: AppConfig,
    private readonly usersService: UsersService,
    private readonly documentIngestion: DocumentIngestion,
    private readonly ticketsService: TicketsService,
    private readonly workflowService: WorkflowService,
    private readonly notices: StartupNotices,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.demo) return;
    const [employee, , admin] = await Promise.all(DEMO_ACCOUNTS.map((account) => this.account(account)));
    const documents = admin ? await this.loadKnowledgeBase(asViewer(admin)) : 0;
    const filed = employee ? await this.fileRequests(asViewer(employee)) : 0;
    this.notices.add(
      `Demo loaded: ${documents} knowledge-base document(s) added, ${filed} request(s) filed.`,
      ...DEMO_ACCOUNTS.map((account) => `  ${account.role.padEnd(8)} ${account.email}  password ${DEMO_PASSWORD}`),
      'Sign in as the employee to see the how-to question resolved with citations, and as support to approve the access request.',
    );
  }

  /** The demo account, created if missing; null when someone took its email or changed its password. */
  private async account(account: (typeof DEMO_ACCOUNTS)[number]): Promise<UserDto | null> {
    const existing = await this.usersService.verifyCredentials(account.email, DEMO_PASSWORD);
    if (existing) return existing;
    try {
      return await this.usersService.createAccount({ ...account, password: DEMO_PASSWORD });
    } catch (error) {
      if (!(error instanceof ConflictException)) throw error;
      this.logger.warn(`The demo account ${account.email} exists with another password (or its employee id is taken): left as it is`);
      return null;
    }
  }

  private async loadKnowledgeBase(admin: AuthUser): Promise<number> {
    const dir = demoKnowledgeBaseDir();
    let added = 0;
    for (const name of readdirSync(dir).filter((file) => file.endsWith('.md')).sort()) {
      const buffer = readFileSync(join(dir, name));
      try {
        await this.documentIngestion.ingest({ buffer, originalname: name, size: buffer.length }, admin);
        added += 1;
      } catch (error) {
        // The same document was loaded by an earlier start.
        if (!(error instanceof ConflictException)) throw error;
      }
    }
    return added;
  }

  private async fileRequests(employee: AuthUser): Promise<number> {
    const mine = await this.ticketsService.list(employee, Object.assign(new ListTicketsQueryDto(), { limit: 1 }));
    if (mine.tickets.length > 0) return 0;
    for (const request of DEMO_REQUESTS) await this.workflowService.createRequest(employee, request, false);
    this.logger.log(`Filed ${DEMO_REQUESTS.length} demo requests as ${employee.email}`);
    return DEMO_REQUESTS.length;
  }
}

/** A demo account acting on the server's behalf at start-up (no sign-in session). */
function asViewer(user: UserDto): AuthUser {
  return { id: user.id, email: user.email, fullName: user.full_name, employeeId: user.employee_id, role: user.role, sessionId: 'demo-start-up' };
}
