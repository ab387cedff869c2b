// The OpenAPI document (Swagger UI at /docs, JSON at /docs-json, ReDoc at /redoc). operationIds are
// stable (`<controller><Method>`, e.g. `authLogin`) because generated clients name their functions by them.
import { Logger } from '@nestjs/common';
import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { redocBundleFile } from './redoc-bundle';

export const API_PREFIX = 'api/v1';

export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('IT Support Desk API')
    .setDescription(
      'AI-assisted IT support desk: tickets, a human-in-the-loop workflow, a knowledge base and live events. ' +
        'Sign in at /api/v1/auth/login and send the access token as `Authorization: Bearer <token>`.',
    )
    .setVersion('1.0.0')
    // Relative: Swagger UI's "Try it out" then calls the server that serves the document, wherever it runs.
    .addServer('/', 'This server')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .addOAuth2({ type: 'oauth2', flows: { password: { tokenUrl: `/${API_PREFIX}/auth/login`, scopes: {} } } })
    .build();
  return SwaggerModule.createDocument(app, config, {
    operationIdFactory: (controllerKey, methodKey) =>
      `${lowerFirst(controllerKey.replace(/Controller$/, ''))}${methodKey.charAt(0).toUpperCase()}${methodKey.slice(1)}`,
  });
}

export function serveApiDocs(app: INestApplication): void {
  const document = createOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs-json',
    swaggerOptions: { persistAuthorization: true },
  });
  serveRedoc(app);
}

function serveRedoc(app: INestApplication): void {
  const bundle = redocBundleFile();
  if (!bundle) new Logger('ApiDocs').warn('ReDoc’s bundle is missing, so /redoc shows nothing: run `npm run build` (Swagger UI at /docs works)');
  const http = app.getHttpAdapter();
  http.get('/redoc', (_req: Request, res: Response) => {
    res.setHeader('Content-Security-Policy', REDOC_POLICY);
    res.type('html').send(REDOC_PAGE);
  });
  if (!bundle) return;
  http.get(REDOC_SCRIPT_PATH, (_req: Request, res: Response) => {
    res.setHeader('Content-Security-Policy', REDOC_POLICY);
    // Its name carries no version, so a browser re-checks it (a cheap 304) rather than keep an old one.
    res.sendFile(bundle, { headers: { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-cache' } });
  });
}

function lowerFirst(value: string): string {
  return value.charAt(0).toLowerCase() + value.slice(1);
}

/**
 * ReDoc's page runs its web worker from a blob and styles its components inline: a policy of its own, so
 * that no other page — the console least of all — allows either. Everything comes from this server.
 */
const REDOC_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self' data:",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'self'",
  "frame-ancestors 'self'",
].join('; ');

const REDOC_SCRIPT_PATH = '/redoc/redoc.standalone.js';

// ReDoc 3's bundle is an ES module that renders the <redoc> element it finds. disable-telemetry: it would
// otherwise report page views to its vendor (the policy blocks that anyway).
const REDOC_PAGE = `<!doctype html>
<html><head><title>IT Support Desk API – ReDoc</title><meta charset="utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><redoc spec-url="/docs-json" disable-telemetry="true"></redoc>
<script type="module" src="${REDOC_SCRIPT_PATH}"></script></body></html>`;
