import { EventEmitter2 } from '@nestjs/event-emitter';
import bcrypt from 'bcryptjs';
import { randomUUID } from 'node:crypto';
import { FakeAfterCommit } from '../../test/support/unit-transactions';
import { AppConfig } from '../config/app-config';
import { AfterCommit } from '../database/after-commit';
import { PasswordHasher } from './password-hasher';
import { Role } from './role.enum';
import { User } from './user.entity';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

const ROUNDS = 4;

/** Knows one user, Jane. */
class FakeUsersRepository {
  constructor(private readonly jane: User) {}

  findByEmail = jest.fn(async (email: string) => (email.toLowerCase() === this.jane.email ? this.jane : null));
}

describe('Signing in with an unknown email', () => {
  let sut: UsersService;
  let jane: User;
  /** Every bcrypt comparison made, with whether it had finished when its caller got its answer. */
  let comparisons: Array<{ password: string; hash: string; finished: boolean }>;

  beforeEach(async () => {
    const hasher = new PasswordHasher({ bcryptRounds: ROUNDS } as AppConfig);
    const now = new Date();
    jane = {
      id: randomUUID(), email: 'jane.doe@example.com', passwordHash: await hasher.hash('Correct-Horse-42'), fullName: 'Jane Doe', employeeId: 'EMP001', department: null,
      role: Role.User, isActive: true, deactivatedAt: null, createdAt: now, updatedAt: now,
    };
    comparisons = [];
    const compare = bcrypt.compare.bind(bcrypt) as (password: string, hash: string) => Promise<boolean>;
    jest.spyOn(bcrypt, 'compare').mockImplementation((async (password: string, hash: string) => {
      const comparison = { password, hash, finished: false };
      comparisons.push(comparison);
      const matches = await compare(password, hash);
      comparison.finished = true;
      return matches;
    }) as typeof bcrypt.compare);
    sut = new UsersService(new FakeUsersRepository(jane) as unknown as UsersRepository, hasher, new EventEmitter2(), new FakeAfterCommit() as unknown as AfterCommit);
  });
  afterEach(() => jest.restoreAllMocks());

  it('runs a full bcrypt comparison, as a wrong password does: against a real hash of the same cost, awaited', async () => {
    await expect(sut.verifyCredentials(jane.email, 'Wrong-Horse-42')).resolves.toBeNull();
    await expect(sut.verifyCredentials('nobody@example.com', 'Wrong-Horse-42')).resolves.toBeNull();

    expect(comparisons).toHaveLength(2);
    const [wrongPassword, unknownEmail] = comparisons;
    expect(wrongPassword).toEqual({ password: 'Wrong-Horse-42', hash: jane.passwordHash, finished: true });
    expect(unknownEmail).toEqual({ password: 'Wrong-Horse-42', hash: expect.stringMatching(/^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$/), finished: true });
    // The same cost factor: the same work.
    expect(unknownEmail.hash.slice(0, 7)).toBe(jane.passwordHash.slice(0, 7));
    expect(unknownEmail.hash).not.toBe(jane.passwordHash);
  });

  it('compares against the decoy for every unknown email, never skipping it', async () => {
    for (const email of ['a@example.com', 'b@example.com', 'c@example.com']) await sut.verifyCredentials(email, 'Correct-Horse-42');

    expect(comparisons.map((comparison) => comparison.finished)).toEqual([true, true, true]);
    expect(new Set(comparisons.map((comparison) => comparison.hash)).size).toBe(1);
  });
});
