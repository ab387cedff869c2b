// Idempotency-Key on the writes a client may retry: the first call with a key claims it in the write's own
// transaction and stores its answer there; a retry within a day gets that answer without the write. What
// a key may be, what makes two calls "the same request", and when keys are forgotten, in one place.
import { BadRequestException, ConflictException, Injectable, OnApplicationBootstrap, UnprocessableEntityException } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { MaintenanceJobs } from '../database/maintenance-jobs';
import { IdempotencyRepository } from './idempotency.repository';

/** How long a key is remembered: a retry later than this is a new request. */
export const KEY_LIFETIME_MS = 24 * 60 * 60 * 1000;
const PURGE_EVERY_MS = 60 * 60 * 1000;
/** 1–255 printable ASCII characters (a UUID is the usual choice). */
const KEY_FORMAT = /^[\x20-\x7e]{1,255}$/;

/** One call with a key: whose, which key, and what it asked for. */
export interface KeyedCall {
  userId: string;
  key: string;
  /** fingerprintOf(method, route, parameters, validated body). */
  fingerprint: string;
}

/** The answer stored with a key, sent again to a retry. */
export interface StoredAnswer {
  statusCode: number;
  body: unknown;
}

@Injectable()
export class IdempotencyService implements OnApplicationBootstrap {
  constructor(
    private readonly idempotencyRepository: IdempotencyRepository,
    private readonly maintenance: MaintenanceJobs,
  ) {}

  onApplicationBootstrap(): void {
    this.maintenance.schedule('idempotency-key-purge', PURGE_EVERY_MS, () => this.purgeExpired());
  }

  /**
   * In the caller's transaction: null when the key is this call's now (do the work, then `complete`), the
   * stored answer when an earlier call with it committed. 409 while another call with the key is in flight,
   * 422 when the key was used for another request.
   */
  async begin(call: KeyedCall, now = new Date()): Promise<StoredAnswer | null> {
    const claim = await this.idempotencyRepository.claim(call.userId, call.key, call.fingerprint, now, new Date(now.getTime() - KEY_LIFETIME_MS));
    if (claim === 'claimed') return null;
    const stored = claim === 'taken' ? await this.idempotencyRepository.findStored(call.userId, call.key) : null;
    // A row without an answer is one whose transaction has not committed (only it can see the row so).
    if (!stored || stored.statusCode === null) {
      throw new ConflictException('A request with this Idempotency-Key is still in flight; retry once it has been answered');
    }
    if (stored.fingerprint !== call.fingerprint) {
      throw new UnprocessableEntityException(
        'This Idempotency-Key was used for a different request (method, path or body); send a new key for a new request',
      );
    }
    return { statusCode: stored.statusCode, body: stored.response };
  }

  /** Stores the answer with the key `begin` claimed, in the same transaction as the work. */
  complete(call: KeyedCall, answer: StoredAnswer): Promise<void> {
    return this.idempotencyRepository.complete(call.userId, call.key, answer.statusCode, answer.body);
  }

  /** Forgets the keys older than their lifetime (run by the maintenance job, once across instances). */
  purgeExpired(now = new Date()): Promise<number> {
    return this.idempotencyRepository.purgeBefore(new Date(now.getTime() - KEY_LIFETIME_MS));
  }
}

/** The key of an `Idempotency-Key` header; undefined without one, 400 when it is not 1–255 printable ASCII characters. */
export function parseIdempotencyKey(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  const key = Array.isArray(header) ? header.join(', ') : header;
  if (!KEY_FORMAT.test(key)) throw new BadRequestException(['Idempotency-Key must be 1 to 255 printable ASCII characters']);
  return key;
}

/** What makes two calls the same request: method, route and its parameters, and the validated body, keys in any order. */
export function fingerprintOf(method: string, route: string, params: Record<string, unknown>, body: unknown): string {
  return createHash('sha256').update(JSON.stringify([method.toUpperCase(), route, canonical(params), canonical(body)])).digest('hex');
}

/** The value with every object's keys sorted, as JSON would write it (dates as ISO strings, undefined left out). */
function canonical(value: unknown): unknown {
  const json: unknown = value === undefined ? null : JSON.parse(JSON.stringify(value));
  const sort = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(sort);
    if (node === null || typeof node !== 'object') return node;
    return Object.fromEntries(Object.keys(node).sort().map((name) => [name, sort((node as Record<string, unknown>)[name])]));
  };
  return sort(json);
}
