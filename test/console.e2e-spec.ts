// The web console as the app serves it at `/`: static files with cache headers that suit hashed assets,
// under the app's Content-Security-Policy, never in the way of the API — and off with CONSOLE_ENABLED=false.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { bootTestApp, TestApp, WITHOUT_WORKFLOW } from './support/test-app';

const ROOT = join(__dirname, '..');
const BUILT = join(ROOT, 'console', 'dist', 'index.html');

describe('Console assets (e2e)', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    // A fresh clone has no build yet (npm start makes it); Vite takes about a second.
    if (!existsSync(BUILT)) execFileSync(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', join(ROOT, 'console', 'vite.config.mts'), '--logLevel', 'warn'], { cwd: ROOT });
    testApp = await bootTestApp(WITHOUT_WORKFLOW);
  });
  afterAll(() => testApp?.close());

  it('serves the console at / under the app’s Content-Security-Policy, re-read after every deployment', async () => {
    const page = await request(testApp.url).get('/').expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('<div id="app"></div>');
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    // Nothing from elsewhere: no CDN script, no style from any https: origin.
    expect(page.headers['content-security-policy']).not.toMatch(/cdn\.redoc\.ly|https:/);
  });

  it('serves its hashed scripts and styles as immutable, and every one the page names exists', async () => {
    const html = readFileSync(BUILT, 'utf8');
    const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((match) => match[1]);
    expect(assets.length).toBeGreaterThanOrEqual(2);
    for (const asset of assets) {
      const reply = await request(testApp.url).get(asset).expect(200);
      expect(reply.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    }
  });

  it('leaves the API alone: its routes answer as before and unknown paths are still JSON 404s', async () => {
    const unauthenticated = await request(testApp.url).get('/api/v1/tickets').expect(401);
    expect(unauthenticated.body.statusCode).toBe(401);
    const missing = await request(testApp.url).get('/no-such-page').expect(404);
    expect(missing.body.statusCode).toBe(404);
    await request(testApp.url).get('/health').expect(200);
  });

  it('serves nothing at / with CONSOLE_ENABLED=false', async () => {
    const apiOnly = await bootTestApp({ ...WITHOUT_WORKFLOW, CONSOLE_ENABLED: 'false' });
    try {
      await request(apiOnly.url).get('/').expect(404);
      await request(apiOnly.url).get('/health').expect(200);
    } finally {
      await apiOnly.close();
    }
  });
});
