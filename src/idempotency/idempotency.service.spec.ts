import { MaintenanceJobs } from '../database/maintenance-jobs';
import { IdempotencyRepository, KeyClaim, KeyRow } from './idempotency.repository';
import { fingerprintOf, IdempotencyService, KEY_LIFETIME_MS, KeyedCall, parseIdempotencyKey } from './idempotency.service';

/**
 * Answers each claim and read with what it is told to: the claim itself (advisory lock and upsert in one
 * statement, across connections) is the repository's and is tested on the real database
 * (test/idempotency.e2e-spec.ts); a fake that kept keys in a map would pass with the real claim broken.
 */
class ScriptedIdempotencyRepository {
  claims: KeyClaim[] = [];
  stored: KeyRow | null = null;

  claim = jest.fn(async (_userId: string, _key: string, _fingerprint: string, _now: Date, _expiredBefore: Date) => {
    const next = this.claims.shift();
    if (next === undefined) throw new Error('no claim scripted');
    return next;
  });
  findStored = jest.fn(async (_userId: string, _key: string) => this.stored);
  complete = jest.fn(async (_userId: string, _key: string, _statusCode: number, _response: unknown) => undefined);
  purgeBefore = jest.fn(async (_before: Date) => 3);
}

const call: KeyedCall = { userId: 'u1', key: 'retry-1', fingerprint: 'f'.repeat(64) };
const now = new Date('2026-12-01T10:00:00Z');

describe(IdempotencyService.name, () => {
  let repository: ScriptedIdempotencyRepository;
  let maintenance: { schedule: jest.Mock };
  let sut: IdempotencyService;

  beforeEach(() => {
    repository = new ScriptedIdempotencyRepository();
    maintenance = { schedule: jest.fn() };
    sut = new IdempotencyService(repository as unknown as IdempotencyRepository, maintenance as unknown as MaintenanceJobs);
  });

  it('lets the first call with a key do the work, claiming it with keys older than a day counted as free', async () => {
    repository.claims = ['claimed'];
    await expect(sut.begin(call, now)).resolves.toBeNull();
    expect(repository.claim).toHaveBeenCalledWith('u1', 'retry-1', call.fingerprint, now, new Date(now.getTime() - KEY_LIFETIME_MS));
    expect(repository.findStored).not.toHaveBeenCalled();
  });

  it('answers a retry of the same request with the stored status and body', async () => {
    repository.claims = ['taken'];
    repository.stored = { fingerprint: call.fingerprint, statusCode: 201, response: { ticket_id: 't1', status: 'pending' } };
    await expect(sut.begin(call, now)).resolves.toEqual({ statusCode: 201, body: { ticket_id: 't1', status: 'pending' } });
    expect(repository.findStored).toHaveBeenCalledWith('u1', 'retry-1');
  });

  it('refuses the key with another request with 422, naming the header', async () => {
    repository.claims = ['taken'];
    repository.stored = { fingerprint: 'a'.repeat(64), statusCode: 201, response: {} };
    await expect(sut.begin(call, now)).rejects.toMatchObject({ status: 422, message: expect.stringContaining('Idempotency-Key') });
  });

  it('refuses with 409 while another call holds the key, without reading it', async () => {
    repository.claims = ['in_flight'];
    await expect(sut.begin(call, now)).rejects.toMatchObject({ status: 409, message: expect.stringContaining('still in flight') });
    expect(repository.findStored).not.toHaveBeenCalled();
  });

  it('treats a taken key without an answer (or gone meanwhile) as in flight, never as a replay of nothing', async () => {
    repository.claims = ['taken', 'taken'];
    repository.stored = { fingerprint: call.fingerprint, statusCode: null, response: null };
    await expect(sut.begin(call, now)).rejects.toMatchObject({ status: 409 });
    repository.stored = null;
    await expect(sut.begin(call, now)).rejects.toMatchObject({ status: 409 });
  });

  it('stores the answer on the claimed key', async () => {
    await sut.complete(call, { statusCode: 200, body: { ok: true } });
    expect(repository.complete).toHaveBeenCalledWith('u1', 'retry-1', 200, { ok: true });
  });

  it('purges the keys older than a day, once across instances through the maintenance jobs', async () => {
    sut.onApplicationBootstrap();
    expect(maintenance.schedule).toHaveBeenCalledWith('idempotency-key-purge', expect.any(Number), expect.any(Function));
    await expect(sut.purgeExpired(now)).resolves.toBe(3);
    expect(repository.purgeBefore).toHaveBeenCalledWith(new Date('2026-11-30T10:00:00Z'));
  });
});

describe(parseIdempotencyKey.name, () => {
  it('takes 1 to 255 printable ASCII characters as they are, and no header as no key', () => {
    expect(parseIdempotencyKey(undefined)).toBeUndefined();
    expect(parseIdempotencyKey('8e03978e-40d5-43e8-bc93-6894a57f9324')).toBe('8e03978e-40d5-43e8-bc93-6894a57f9324');
    expect(parseIdempotencyKey('"quoted key" with spaces')).toBe('"quoted key" with spaces');
    expect(parseIdempotencyKey('k'.repeat(255))).toHaveLength(255);
  });

  it.each([
    ['empty', ''],
    ['too long', 'k'.repeat(256)],
    ['non-ASCII', 'café'],
    ['a control character', 'a\tb'],
  ])('refuses a key that is %s with 400 naming the header', (_what, key) => {
    expect(() => parseIdempotencyKey(key)).toThrow(expect.objectContaining({ status: 400, response: expect.objectContaining({ message: [expect.stringContaining('Idempotency-Key')] }) }));
  });
});

describe(fingerprintOf.name, () => {
  const body = { title: 'VPN', details: { laptop: 'X1', tags: ['a', 'b'] } };

  it('is the same for the same request whatever the order of its fields', () => {
    const reordered = { details: { tags: ['a', 'b'], laptop: 'X1' }, title: 'VPN' };
    expect(fingerprintOf('post', '/tickets', {}, reordered)).toBe(fingerprintOf('POST', '/tickets', {}, body));
  });

  it('differs with the route, its parameters, the body, or the order of a list', () => {
    const base = fingerprintOf('POST', '/tickets/:ticket_id/comments', { ticket_id: 't1' }, body);
    expect(fingerprintOf('POST', '/tickets/:ticket_id/comments', { ticket_id: 't2' }, body)).not.toBe(base);
    expect(fingerprintOf('POST', '/hil/:ticket_id', { ticket_id: 't1' }, body)).not.toBe(base);
    expect(fingerprintOf('POST', '/tickets/:ticket_id/comments', { ticket_id: 't1' }, { ...body, title: 'VPN!' })).not.toBe(base);
    expect(fingerprintOf('POST', '/tickets/:ticket_id/comments', { ticket_id: 't1' }, { ...body, details: { ...body.details, tags: ['b', 'a'] } })).not.toBe(base);
  });
});
