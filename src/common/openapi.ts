// The OpenAPI document (Swagger UI at /docs, JSON at /docs-json, ReDoc at /redoc). operationIds are
// stable (`<controller><Method>`, e.g. `authLogin`) because generated clients name their functions by them.
import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { Request, Response } from 'express';

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
  app.getHttpAdapter().get('/redoc', (_req: Request, res: Response) => {
    res.setHeader('Content-Security-Policy', REDOC_POLICY);
    res.type('html').send(REDOC_PAGE);
  });
}

function lowerFirst(value: string): string {
  return value.charAt(0).toLowerCase() + value.slice(1);
}

/**
 * ReDoc's page alone loads its bundle from its CDN (no Node 20 release of it is on the registry to serve
 * ourselves), runs a web worker from a blob and its fonts' styles: a policy of its own, so that no other
 * page — the console least of all — may load a script from elsewhere.
 */
const REDOC_POLICY = [
  "default-src 'self'",
  "script-src 'self' https://cdn.redoc.ly",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline' https://fonts.googleapis.com",
  "font-src 'self' https://fonts.gstatic.com data:",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'self'",
  "frame-ancestors 'self'",
].join('; ');

const REDOC_PAGE = `<!doctype html>
<html><head><title>IT Support Desk API – ReDoc</title><meta charset="utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><redoc spec-url="/docs-json"></redoc>
<script src="https://cdn.redoc.ly/redoc/v2.5.0/bundles/redoc.standalone.js"></script></body></html>`;
