// Structured JSON logs with a request id — or, in a terminal, the same records as readable lines
// (pino-pretty). Credentials never reach them: the Authorization and Cookie headers are redacted, and so
// is anything token-shaped anywhere in the URL, the parsed query, the route parameters or the headers
// (browsers' EventSource sends its token in the query string).
import { Module, RequestMethod } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerModule as PinoLoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { Options } from 'pino-http';
import pinoPretty from 'pino-pretty';
import { AppConfig } from '../config/app-config';
import { AppLogger } from './app-logger';
import { REDACTED, redactUrl, redactValues } from './log-redaction';

const REQUEST_ID = /^[\w.-]{1,64}$/;

/** The request as logged: copies, so that the request itself is left as it is. */
interface LoggedRequest {
  url?: string;
  query?: unknown;
  params?: unknown;
  headers?: unknown;
}

/**
 * Readable lines for a person at a terminal: one per record, the request's method, URL and status first.
 * Formatted here and written synchronously, not in a transport's worker thread: a worker's stdout reaches
 * the terminal through the main thread on its own time, so the start-up banner (written after every log
 * record, see AppLogger.written) could come out before the records it must follow.
 */
function prettyStream(): DestinationStream {
  return pinoPretty({ colorize: true, singleLine: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,req.headers,res.headers,req.remoteAddress,req.remotePort', sync: true });
}

export function httpLoggerOptions(level: string): Options {
  return {
    level,
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
        'res.headers["set-cookie"]',
      ],
      censor: REDACTED,
    },
    serializers: {
      req: (req: LoggedRequest) =>
        Object.assign(req, { url: redactUrl(req.url), query: redactValues(req.query), params: redactValues(req.params), headers: redactValues(req.headers) }),
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
        pinoHttp: config.prettyLogs ? [httpLoggerOptions(config.logLevel), prettyStream()] : httpLoggerOptions(config.logLevel),
        forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
      }),
    }),
  ],
  providers: [AppLogger],
  exports: [AppLogger],
})
export class LoggerModule {}
