// Body parsing is registered by hand so that its failures (too large, malformed JSON) get the same JSON
// error body as everything else instead of Express's HTML page.
import type { INestApplication } from '@nestjs/common';
import express, { NextFunction, Request, Response } from 'express';
import { errorBody } from './http-error.filter';

export function registerBodyParsers(app: INestApplication, limit: string): void {
  app.use(express.json({ limit }));
  app.use(express.urlencoded({ extended: false, limit }));
  app.use((error: { status?: number; type?: string; message?: string }, _req: Request, res: Response, next: NextFunction) => {
    if (!error || typeof error.status !== 'number') return next(error);
    const message =
      error.type === 'entity.too.large'
        ? `Request body is larger than the limit of ${limit}`
        : error.type === 'entity.parse.failed'
          ? 'Request body is not valid JSON'
          : (error.message ?? 'Bad request');
    res.status(error.status).json(errorBody(error.status, message));
  });
}
