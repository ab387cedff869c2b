// Structured JSON logs with a request id — or, in a terminal, the same records as readable lines
// (pino-pretty). Credentials never reach them: the Authorization and Cookie headers are redacted, and so
// is an access_token in the query string (browsers' EventSource uses one).
import { Module, RequestMethod } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerModule as PinoLoggerModule } from 'nestjs-pino';
import type { Options } from 'pino-http';
import { AppConfig } from '../config/app-config';

const REQUEST_ID = /^[\w.-]{1,64}$/;
const SECRET_QUERY_PARAMETER = /([?&](?:access_token|refresh_token|token)=)[^&#]*/gi;

export function redactUrl(url: string | undefined): string | undefined {
  return url?.replace(SECRET_QUERY_PARAMETER, '$1[REDACTED]');
}

/** Readable lines for a person at a terminal: one per record, the request's method, URL and status first. */
const PRETTY_TRANSPORT = {
  target: 'pino-pretty',
  options: { colorize: true, singleLine: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,req.headers,res.headers,req.remoteAddress,req.remotePort' },
};

export function httpLoggerOptions(level: string, pretty = false): Options {
  return {
    level,
    ...(pretty ? { transport: PRETTY_TRANSPORT } : {}),
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const given = req.headers['x-request-id'];
      const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
      res.setHeader('x-request-id', id);
      return id;
    },
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'req.query.access_token',
        'req.query.refresh_token',
        'req.query.token',
        'res.headers["set-cookie"]',
      ],
      censor: '[REDACTED]',
    },
    serializers: {
      req: (req: { url?: string }) => Object.assign(req, { url: redactUrl(req.url) }),
    },
    customLogLevel: (_req: IncomingMessage, res: ServerResponse, error?: Error) =>
      error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
  };
}

@Module({
  imports: [
    PinoLoggerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        pinoHttp: httpLoggerOptions(config.logLevel, config.prettyLogs),
        forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
      }),
    }),
  ],
})
export class LoggerModule {}
