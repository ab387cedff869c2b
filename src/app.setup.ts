// Everything about the HTTP application that is not a module: shared by main.ts and the e2e tests, so
// the tests exercise exactly what runs in production.
import { INestApplication, RequestMethod } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import { AppLogger } from './common/app-logger';
import { registerBodyParsers } from './common/body-parsers';
import { API_PREFIX, serveApiDocs } from './common/openapi';
import { AppConfig } from './config/app-config';
import { serveConsole } from './console/serve-console';

export function configureApp(app: INestApplication): INestApplication {
  const config = app.get(AppConfig);
  app.useLogger(app.get(AppLogger));
  (app as NestExpressApplication).set('trust proxy', config.trustProxy);
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          // Our own scripts and styles only: the console, Swagger UI and the API need nothing from elsewhere
          // (inline style attributes stay allowed for the console's components). /redoc sets its own policy.
          'script-src': ["'self'"],
          'style-src': ["'self'", "'unsafe-inline'"],
          'font-src': ["'self'", 'data:'],
          // blob: for previews of a ticket's images, which the console fetches with its token and shows from memory.
          'img-src': ["'self'", 'data:', 'blob:'],
          // TLS is the proxy's job (HSTS is still sent); upgrading would break the console over plain HTTP on a LAN address.
          'upgrade-insecure-requests': null,
        },
      },
    }),
  );
  app.enableCors({
    origin: config.allowedOrigins === '*' ? true : config.allowedOrigins,
    credentials: true,
    exposedHeaders: ['x-request-id', 'retry-after', 'idempotent-replayed'],
  });
  registerBodyParsers(app, config.bodyLimit);
  setApiPrefix(app);
  app.enableShutdownHooks();
  if (config.swaggerEnabled) serveApiDocs(app);
  if (config.consoleEnabled) serveConsole(app);
  return app;
}

/** Routes live under /api/v1, except the health check, which is also at /health. */
export function setApiPrefix(app: INestApplication): void {
  app.setGlobalPrefix(API_PREFIX, {
    exclude: [
      { path: 'health', method: RequestMethod.GET },
      { path: 'health/ready', method: RequestMethod.GET },
      { path: 'health/live', method: RequestMethod.GET },
      { path: 'api/v1/health', method: RequestMethod.GET },
    ],
  });
}
