// The web console (console/, built by Vite into console/dist) served at `/`. It is static files only: the
// console talks to the API like any other client, so nothing here knows about its screens.
import { Logger } from '@nestjs/common';
import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

export function serveConsole(app: INestApplication): void {
  const root = consoleDirectory();
  if (!root) {
    new Logger('Console').warn('The web console is not built, so / serves nothing: run `npm run console:build` (npm start does it)');
    return;
  }
  (app as NestExpressApplication).useStaticAssets(root, {
    index: 'index.html',
    // File names under assets/ carry a content hash, so they never change; index.html must be re-read
    // after every deployment to pick up new ones.
    setHeaders: (res, path) => res.setHeader('Cache-Control', path.includes(`${join('assets', '')}`) ? 'public, max-age=31536000, immutable' : 'no-cache'),
  });
}

/** console/dist beside the package.json above this file — the same from src/ (tests) and dist/src/ (npm start). */
export function consoleDirectory(): string | null {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) {
      const built = join(dir, 'console', 'dist');
      return existsSync(join(built, 'index.html')) ? built : null;
    }
  }
  return null;
}
