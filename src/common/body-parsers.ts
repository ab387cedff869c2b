// Body parsing is registered by hand so that its failures (too large, malformed JSON, too many fields)
// get the same JSON error body as everything else instead of Express's HTML page, and so that a body's
// shape is bounded before it is parsed rather than after the work it causes is done.
import type { INestApplication } from '@nestjs/common';
import express, { NextFunction, Request, Response } from 'express';
import { errorBody } from './http-error.filter';
import { assertJsonShape, MAX_BODY_FIELDS, tooManyFields } from './json-shape';

interface BodyParserError {
  status?: number;
  type?: string;
  message?: string;
}

export function registerBodyParsers(app: INestApplication, limit: string): void {
  app.use(express.json({ limit, verify: (_req, _res, raw) => assertJsonShape(raw) }));
  app.use(express.urlencoded({ extended: false, limit, parameterLimit: MAX_BODY_FIELDS }));
  app.use((error: BodyParserError, _req: Request, res: Response, next: NextFunction) => {
    if (!error || typeof error.status !== 'number') return next(error);
    const [status, message] = describe(error, limit);
    res.status(status).json(errorBody(status, message));
  });
}

function describe(error: BodyParserError, limit: string): [number, string] {
  switch (error.type) {
    case 'entity.too.large':
      return [error.status!, `Request body is larger than the limit of ${limit}`];
    case 'entity.parse.failed':
      return [error.status!, 'Request body is not valid JSON'];
    case 'parameters.too.many':
      return [400, tooManyFields()];
    default:
      return [error.status!, error.message ?? 'Bad request'];
  }
}
