// Makes sure a fresh installation can be administered: the first admin comes from ADMIN_EMAIL and
// ADMIN_PASSWORD, or (in development only) is created with a random password shown once on the console.
import { ConflictException, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { StartupNotices } from '../common/startup-banner';
import { AppConfig } from '../config/app-config';
import { Role } from './role.enum';
import { UsersService } from './users.service';

export const DEVELOPMENT_ADMIN_EMAIL = 'admin@example.com';

@Injectable()
export class InitialAdmin implements OnApplicationBootstrap {
  private readonly logger = new Logger(InitialAdmin.name);

  constructor(
    private readonly config: AppConfig,
    private readonly usersService: UsersService,
    private readonly notices: StartupNotices,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if ((await this.usersService.countActiveAdmins()) > 0) return;
    try {
      await this.createFirstAdmin();
    } catch (error) {
      // A non-admin account already holds that email or employee id: never promote it silently.
      if (!(error instanceof ConflictException)) throw error;
      this.logger.error(`Could not create the first admin: ${error.message}`);
    }
  }

  private async createFirstAdmin(): Promise<void> {
    if (this.config.admin) {
      await this.usersService.createAccount({ ...this.config.admin, fullName: 'Administrator', employeeId: 'ADMIN', role: Role.Admin });
      this.logger.log(`Created the first admin from ADMIN_EMAIL (${this.config.admin.email})`);
      return;
    }
    if (this.config.isProduction) {
      this.logger.warn('No admin exists: set ADMIN_EMAIL and ADMIN_PASSWORD and restart to create one');
      return;
    }
    const password = randomBytes(12).toString('base64url');
    await this.usersService.createAccount({
      email: DEVELOPMENT_ADMIN_EMAIL,
      password,
      fullName: 'Administrator',
      employeeId: 'ADMIN',
      role: Role.Admin,
    });
    // Deliberately in the start-up banner, once, outside the structured logs: nobody can use the API without it.
    this.notices.add(
      `First start: created admin ${DEVELOPMENT_ADMIN_EMAIL} with password ${password}`,
      '(shown only now; set ADMIN_EMAIL and ADMIN_PASSWORD to choose your own)',
    );
  }
}
