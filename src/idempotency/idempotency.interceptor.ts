// Runs a keyed call's handler in one transaction with its key: the key is claimed first, the answer stored
// last, so a crash leaves both or neither. The handlers' own @Transactional() methods join it (propagation
// Required), and their after-commit signals fire at its commit. Without the header, it does nothing.
import { CallHandler, ExecutionContext, Injectable, NestInterceptor, Paramtype, Type } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ModuleRef, Reflector } from '@nestjs/core';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import type { Request, Response } from 'express';
import { from, lastValueFrom, Observable } from 'rxjs';
import type { AuthUser } from '../auth/auth-user';
import { clientGone } from '../common/client-gone.decorator';
import { createValidationPipe } from '../common/validation.pipe';
import { fingerprintOf, IdempotencyService, KeyedCall, parseIdempotencyKey, StoredAnswer } from './idempotency.service';

export const IDEMPOTENT = 'idempotent';

/**
 * A route whose work goes on after its commit (the workflow behind `?wait=true`): the key's transaction
 * stores the answer as it stands at the commit, and what to send is decided after it, outside any
 * transaction — on the first call and on every replay alike.
 */
export interface IdempotentFollowUp {
  afterCommit(answer: unknown, query: unknown, clientGone: AbortSignal): Promise<unknown>;
}

export interface IdempotentOptions {
  followUp?: Type<IdempotentFollowUp>;
}

@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly validation = createValidationPipe();

  constructor(
    private readonly idempotency: IdempotencyService,
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly reflector: Reflector,
    private readonly moduleRef: ModuleRef,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<Request & { user?: AuthUser }>();
    if (request.headers['idempotency-key'] === undefined || !request.user) return next.handle();
    return from(this.answer(context, next, request.user.id));
  }

  private async answer(context: ExecutionContext, next: CallHandler, userId: string): Promise<unknown> {
    const request = context.switchToHttp().getRequest<Request>();
    const response = context.switchToHttp().getResponse<Response>();
    const key = parseIdempotencyKey(request.headers['idempotency-key'])!;
    // The request as the handler will see it, so that a retry the validation makes equal (trimmed, reordered) is the same.
    const input = await this.validatedInput(context, request);
    const call: KeyedCall = { userId, key, fingerprint: fingerprintOf(request.method, request.route?.path ?? request.path, request.params, input.body) };
    const answer = await this.txHost.withTransaction(() => this.runOnce(call, next, response));
    response.status(answer.statusCode);
    if (answer.replayed) response.setHeader('Idempotent-Replayed', 'true');
    const followUp = this.reflector.get<IdempotentOptions | undefined>(IDEMPOTENT, context.getHandler())?.followUp;
    if (!followUp) return answer.body;
    return this.moduleRef.get(followUp, { strict: false }).afterCommit(answer.body, input.query, clientGone(response));
  }

  /** In the key's transaction: the stored answer, or the handler's, stored before the commit. */
  private async runOnce(call: KeyedCall, next: CallHandler, response: Response): Promise<StoredAnswer & { replayed: boolean }> {
    const stored = await this.idempotency.begin(call);
    if (stored) return { ...stored, replayed: true };
    const body: unknown = await lastValueFrom(next.handle(), { defaultValue: undefined });
    const answer = { statusCode: response.statusCode, body };
    await this.idempotency.complete(call, answer);
    return { ...answer, replayed: false };
  }

  /** The handler's body and query, through the app's validation pipe (400 as the handler would answer). */
  private async validatedInput(context: ExecutionContext, request: Request): Promise<{ body: unknown; query: unknown }> {
    const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, context.getClass(), context.getHandler().name) ?? {}) as Record<string, { index: number }>;
    const types = (Reflect.getMetadata('design:paramtypes', context.getClass().prototype, context.getHandler().name) ?? []) as Array<Type | undefined>;
    const validate = async (paramtype: RouteParamtypes, type: Paramtype, value: unknown) => {
      const entry = Object.entries(args).find(([name]) => name.startsWith(`${paramtype}:`));
      return entry ? this.validation.transform(value, { type, metatype: types[entry[1].index], data: undefined }) : undefined;
    };
    return { body: await validate(RouteParamtypes.BODY, 'body', request.body), query: await validate(RouteParamtypes.QUERY, 'query', request.query) };
  }
}
