import { ConflictException, Logger } from '@nestjs/common';
import { StartupNotices } from '../common/startup-banner';
import { AppConfig } from '../config/app-config';
import { UserDto } from './dto/user.dto';
import { DEVELOPMENT_ADMIN_EMAIL, InitialAdmin } from './initial-admin';
import { Role } from './role.enum';
import { NewAccount, UsersService } from './users.service';

class FakeUsersService {
  activeAdmins = 0;
  readonly accounts: NewAccount[] = [];

  countActiveAdmins = jest.fn(async () => this.activeAdmins);
  createAccount = jest.fn(async (account: NewAccount): Promise<UserDto> => {
    this.accounts.push(account);
    const now = new Date();
    return { id: 'a-new-id', email: account.email, full_name: account.fullName, employee_id: account.employeeId, department: account.department ?? null, role: account.role,
      is_active: true, created_at: now, updated_at: now };
  });
}

const messages = (spy: jest.Mock) => spy.mock.calls.map(([message]) => String(message));

describe(InitialAdmin.name, () => {
  let usersService: FakeUsersService;
  let logger: { log: jest.Mock; warn: jest.Mock; error: jest.Mock };
  let stdout: jest.SpiedFunction<typeof process.stdout.write>;
  let notices: StartupNotices;
  const create = (config: Partial<AppConfig>) => new InitialAdmin(config as AppConfig, usersService as unknown as UsersService, notices);

  beforeEach(() => {
    usersService = new FakeUsersService();
    notices = new StartupNotices();
    logger = { log: jest.fn(), warn: jest.fn(), error: jest.fn() };
    Logger.overrideLogger(logger);
    stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  });

  afterEach(() => stdout.mockRestore());

  it('does nothing while an active admin exists', async () => {
    usersService.activeAdmins = 1;
    const sut = create({ isProduction: false, admin: { email: 'boss@example.com', password: 'Secret-Pass-1' } });

    await sut.onApplicationBootstrap();

    expect(usersService.countActiveAdmins).toHaveBeenCalledTimes(1);
    expect(usersService.createAccount).not.toHaveBeenCalled();
    expect(stdout).not.toHaveBeenCalled();
    expect(notices.all()).toEqual([]);
  });

  it('creates the first admin from ADMIN_EMAIL and ADMIN_PASSWORD, without printing the password', async () => {
    const sut = create({ isProduction: true, admin: { email: 'boss@example.com', password: 'Secret-Pass-1' } });

    await sut.onApplicationBootstrap();

    expect(usersService.createAccount).toHaveBeenCalledWith({
      email: 'boss@example.com', password: 'Secret-Pass-1', fullName: 'Administrator', employeeId: 'ADMIN', role: Role.Admin,
    });
    expect(messages(logger.log)).toEqual(['Created the first admin from ADMIN_EMAIL (boss@example.com)']);
    expect(stdout).not.toHaveBeenCalled();
    expect(notices.all()).toEqual([]);
    expect(JSON.stringify([logger.log.mock.calls, logger.warn.mock.calls, logger.error.mock.calls])).not.toContain('Secret-Pass-1');
  });

  it('in production without ADMIN_EMAIL only warns how to create an admin', async () => {
    const sut = create({ isProduction: true });

    await sut.onApplicationBootstrap();

    expect(usersService.createAccount).not.toHaveBeenCalled();
    expect(messages(logger.warn)).toEqual([
      'No admin exists: set ADMIN_EMAIL and ADMIN_PASSWORD and restart to create one',
    ]);
  });

  it('in development creates admin@example.com with a random password shown once, in the start-up banner and not in the logs', async () => {
    const sut = create({ isProduction: false });

    await sut.onApplicationBootstrap();

    expect(usersService.createAccount).toHaveBeenCalledTimes(1);
    const [{ email, password, role, employeeId }] = usersService.accounts;
    expect({ email, role, employeeId }).toEqual({ email: DEVELOPMENT_ADMIN_EMAIL, role: Role.Admin, employeeId: 'ADMIN' });
    expect(password).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(notices.all()).toHaveLength(1);
    expect(notices.all()[0]).toContain(`created admin ${DEVELOPMENT_ADMIN_EMAIL} with password ${password}\n`);
    expect(stdout).not.toHaveBeenCalled();
    expect(JSON.stringify([logger.log.mock.calls, logger.warn.mock.calls, logger.error.mock.calls])).not.toContain(password);
  });

  it('picks a different development password on every installation', async () => {
    await create({ isProduction: false }).onApplicationBootstrap();
    await create({ isProduction: false }).onApplicationBootstrap();

    const [first, second] = usersService.accounts.map((account) => account.password);
    expect(first).not.toBe(second);
  });

  it('logs and carries on when another account already holds the admin identity, rather than promoting it', async () => {
    usersService.createAccount.mockRejectedValueOnce(new ConflictException('A user with this email already exists'));
    const sut = create({ isProduction: true, admin: { email: 'boss@example.com', password: 'Secret-Pass-1' } });

    await expect(sut.onApplicationBootstrap()).resolves.toBeUndefined();

    expect(messages(logger.error)).toEqual(['Could not create the first admin: A user with this email already exists']);
    expect(logger.log).not.toHaveBeenCalled();
  });

  it('lets any other failure stop the start-up', async () => {
    usersService.createAccount.mockRejectedValueOnce(new Error('database is down'));
    const sut = create({ isProduction: false });

    await expect(sut.onApplicationBootstrap()).rejects.toThrow('database is down');
    expect(logger.error).not.toHaveBeenCalled();
    expect(stdout).not.toHaveBeenCalled();
  });
});
