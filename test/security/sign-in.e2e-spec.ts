// Password guessing against one account is bounded however many addresses it comes from: failed sign-ins
// count per account in the database (for unknown emails too, so that the answers tell nothing of who has an
// account), and past a few of them the account's sign-ins wait — longer after each further failure, never
// for good — without the password being checked meanwhile; a success starts the count afresh.
import request from 'supertest';
import { SignInThrottle } from '../../src/auth/sign-in-throttle';
import { PasswordHasher } from '../../src/users/password-hasher';
import { clientIp, registerUser, uniqueSuffix } from '../support/http';
import { bootTestApp, TestApp } from '../support/test-app';

// The defaults: five failures, then 30 s, doubling per further failure up to 15 minutes.
const FAILURES = 5;
const FIRST_BLOCK_SECONDS = 30;
const LONGEST_BLOCK_SECONDS = 900;

describe('Per-account sign-in throttle (e2e)', () => {
  let testApp: TestApp;
  let url: string;

  beforeAll(async () => {
    // The per-address throttle as shipped: each attempt below comes from another address, which it trusts from loopback.
    testApp = await bootTestApp();
    url = testApp.url;
  });
  afterAll(() => testApp.close());
  afterEach(() => jest.restoreAllMocks());

  const signIn = (email: string, password: string) => request(url).post('/api/v1/auth/login').set('X-Forwarded-For', clientIp()).send({ email, password });
  const wrong = (email: string) => signIn(email, `Wrong-Password-${uniqueSuffix()}`);
  const tally = (statuses: number[]) => statuses.reduce<Record<number, number>>((counts, status) => ({ ...counts, [status]: (counts[status] ?? 0) + 1 }), {});
  const retryAfter = (response: request.Response) => Number(response.headers['retry-after']);
  /** Ends the account's block, as waiting would. */
  const endBlock = (email: string) => testApp.sql(`UPDATE sign_in_failures SET blocked_until = now() WHERE email = $1`, [email.toLowerCase()]);

  it(`checks only ${FAILURES} of 100 wrong passwords for one account from 100 addresses; the others, and then the right password, get 429 with Retry-After`, async () => {
    const victim = await registerUser(url);
    const checked = jest.spyOn(testApp.app.get(PasswordHasher), 'verify');
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 100; attempt += 1) statuses.push((await wrong(attempt % 2 ? victim.email : victim.email.toUpperCase())).status);

    const right = await signIn(victim.email, victim.password);
    expect(tally(statuses)).toEqual({ 401: FAILURES, 429: 100 - FAILURES });
    expect(statuses.slice(0, FAILURES)).toEqual(Array(FAILURES).fill(401));
    expect(right.status).toBe(429);
    expect(retryAfter(right)).toBeGreaterThanOrEqual(1);
    expect(retryAfter(right)).toBeLessThanOrEqual(FIRST_BLOCK_SECONDS);
    expect(right.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests', detail: expect.stringMatching(/failed sign-ins/) });
    expect(right.body.access_token).toBeUndefined();
    // While the account waits, no password is checked at all: not the guesses, not the right one.
    expect(checked).toHaveBeenCalledTimes(FAILURES);
  });

  it(`checks at most ${FAILURES} of 30 wrong passwords sent at once from 30 addresses`, async () => {
    const victim = await registerUser(url);
    const statuses = (await Promise.all(Array.from({ length: 30 }, () => wrong(victim.email)))).map((response) => response.status);
    expect(tally(statuses)).toEqual({ 401: FAILURES, 429: 30 - FAILURES });
  });

  it('answers for an unknown email exactly as for a known one', async () => {
    const answers = async (email: string) => {
      const responses = [];
      for (let attempt = 0; attempt <= FAILURES; attempt += 1) responses.push(await wrong(email));
      // The seconds left may differ by one between the two accounts.
      return responses.map((response) => ({ status: response.status, retryAfter: 'retry-after' in response.headers, body: response.text.replace(/\d+ s\b/g, 'n s') }));
    };
    const [forKnown, forUnknown] = [await answers((await registerUser(url)).email), await answers(`nobody${uniqueSuffix()}@example.com`)];
    expect(forUnknown.map((answer) => answer.status)).toEqual([...Array(FAILURES).fill(401), 429]);
    expect(forUnknown).toEqual(forKnown);
  });

  it('blocks for twice as long after each further failure, up to a cap and never for good; the right password then signs in and starts the count afresh', async () => {
    const victim = await registerUser(url);
    for (let attempt = 0; attempt < FAILURES; attempt += 1) await wrong(victim.email).expect(401);
    const blocks = [retryAfter(await wrong(victim.email).expect(429))];
    for (let further = 1; further <= 2; further += 1) {
      await endBlock(victim.email);
      await wrong(victim.email).expect(401);
      blocks.push(retryAfter(await wrong(victim.email).expect(429)));
    }
    expect(blocks.map((seconds, index) => seconds > (FIRST_BLOCK_SECONDS << index) / 2 && seconds <= FIRST_BLOCK_SECONDS << index)).toEqual([true, true, true]);

    // However many failures, the block has a ceiling.
    await testApp.sql(`UPDATE sign_in_failures SET failures = 60 WHERE email = $1`, [victim.email]);
    await endBlock(victim.email);
    await wrong(victim.email).expect(401);
    const longest = retryAfter(await wrong(victim.email).expect(429));
    expect(longest).toBeGreaterThan(LONGEST_BLOCK_SECONDS / 2);
    expect(longest).toBeLessThanOrEqual(LONGEST_BLOCK_SECONDS);

    await endBlock(victim.email);
    await signIn(victim.email, victim.password).expect(200);
    expect(await testApp.sql(`SELECT * FROM sign_in_failures WHERE email = $1`, [victim.email])).toEqual([]);
    for (let attempt = 0; attempt < FAILURES; attempt += 1) await wrong(victim.email).expect(401);
    await wrong(victim.email).expect(429);
  });

  it('the purge removes the failures that have been forgotten and keeps the others', async () => {
    const [forgotten, recent] = [await registerUser(url), await registerUser(url)];
    await wrong(forgotten.email).expect(401);
    await wrong(recent.email).expect(401);
    await testApp.sql(`UPDATE sign_in_failures SET forget_at = now() - interval '1 second' WHERE email = $1`, [forgotten.email]);

    expect(await testApp.app.get(SignInThrottle).purgeForgotten()).toBeGreaterThanOrEqual(1);
    const left = await testApp.sql<{ email: string }>(`SELECT email FROM sign_in_failures WHERE email = ANY($1::text[])`, [[forgotten.email, recent.email]]);
    expect(left).toEqual([{ email: recent.email }]);
  });
});
