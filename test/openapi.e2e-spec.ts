// The committed openapi.json is the contract the example clients are generated from: it must be exactly
// the document the app serves, or the generated types silently lie.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { bootTestApp, TestApp } from './support/test-app';

const COMMITTED = join(__dirname, '..', 'openapi.json');
const HOW_TO_FIX = 'Run `npm run openapi:export` and commit openapi.json (and `npm run client:generate` for the typed clients).';

describe('OpenAPI contract (e2e)', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await bootTestApp();
  });
  afterAll(() => testApp.close());

  it('has the typed clients (the web console’s and the example’s) generated from the committed openapi.json', () => {
    const fresh = join(mkdtempSync(join(tmpdir(), 'api-schema-')), 'schema.d.ts');
    execFileSync(process.execPath, [join(__dirname, '..', 'node_modules', 'openapi-typescript', 'bin', 'cli.js'), COMMITTED, '-o', fresh], { stdio: 'ignore' });
    const generated = readFileSync(fresh, 'utf8');
    for (const client of ['console/src/api/schema.d.ts', 'examples/typescript/api-schema.d.ts']) {
      expect({ client, current: readFileSync(join(__dirname, '..', client), 'utf8') === generated }).toEqual({ client, current: true });
    }
  });

  it('serves at /docs-json exactly the committed openapi.json', async () => {
    const served = (await request(testApp.url).get('/docs-json').expect(200)).body as unknown;
    if (!existsSync(COMMITTED)) throw new Error(`openapi.json is missing. ${HOW_TO_FIX}`);
    const committed = JSON.parse(readFileSync(COMMITTED, 'utf8')) as unknown;
    const differences = differencesBetween(committed, served);
    if (differences.length > 0) {
      const shown = differences.slice(0, 20).map((line) => `  ${line}`).join('\n');
      const more = differences.length > 20 ? `\n  … and ${differences.length - 20} more` : '';
      throw new Error(`openapi.json differs from the served document (${differences.length} differences):\n${shown}${more}\n${HOW_TO_FIX}`);
    }
    expect(served).toEqual(committed);
  });
});

/** Where two JSON values differ, as `path: committed → served` lines (key order does not count). */
function differencesBetween(committed: unknown, served: unknown, path = '$'): string[] {
  if (isObject(committed) && isObject(served)) {
    const keys = [...new Set([...Object.keys(committed), ...Object.keys(served)])];
    return keys.flatMap((key) => differencesBetween(committed[key], served[key], `${path}.${key}`));
  }
  if (Array.isArray(committed) && Array.isArray(served)) {
    const length = Math.max(committed.length, served.length);
    return Array.from({ length }, (_, index) => differencesBetween(committed[index], served[index], `${path}[${index}]`)).flat();
  }
  if (JSON.stringify(committed) === JSON.stringify(served)) return [];
  return [`${path}: ${show(committed)} → ${show(served)}`];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function show(value: unknown): string {
  if (value === undefined) return '(absent)';
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}
