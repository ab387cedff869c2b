// The served OpenAPI document passes `redocly lint` with the recommended rules (redocly.yaml), so that
// generated clients and API gateways read it as it is meant: which operations are public, which server.
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { bootTestApp, TestApp } from '../support/test-app';
import { fetchDocument, operationsOf } from './document';

const ROOT = join(__dirname, '..', '..');
const REDOCLY = join(ROOT, 'node_modules', '.bin', 'redocly');

interface LintReport {
  totals: { errors: number; warnings: number; ignored: number };
  problems: Array<{ ruleId: string; severity: string; message: string; location: Array<{ pointer: string }> }>;
}

describe('OpenAPI document lint (e2e)', () => {
  let testApp: TestApp;
  let document: Record<string, any>;
  let dir: string;

  beforeAll(async () => {
    testApp = await bootTestApp();
    document = await fetchDocument(testApp.url);
    dir = mkdtempSync(join(tmpdir(), 'openapi-lint-'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await testApp?.close();
  });

  it('passes redocly lint with the recommended rules, without a warning', async () => {
    // Named and configured as in the repository, so that the repository's ignore file applies to it alike.
    writeFileSync(join(dir, 'openapi.json'), JSON.stringify(document, null, 2));
    for (const file of ['redocly.yaml', '.redocly.lint-ignore.yaml']) copyFileSync(join(ROOT, file), join(dir, file));
    const { stdout } = await promisify(execFile)(REDOCLY, ['lint', 'openapi.json', '--format=json'], {
      cwd: dir,
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' })); // it exits 1 on errors; the report says which
    const report = JSON.parse(stdout) as LintReport;
    const problems = report.problems.map((problem) => `${problem.severity} ${problem.ruleId} at ${problem.location[0]?.pointer}: ${problem.message}`);
    expect(problems).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  });

  it('marks the public operations with `security: []` and every other one with the bearer token', () => {
    const operations = operationsOf(document);
    expect(operations.filter((operation) => operation.public).map((operation) => operation.key)).toEqual([
      'GET /health',
      'GET /api/v1/health',
      'GET /health/ready',
      'GET /health/live',
      'POST /api/v1/auth/register',
      'POST /api/v1/auth/login',
      'POST /api/v1/auth/refresh',
      'GET /api/v1/demo',
    ]);
    for (const [path, item] of Object.entries<Record<string, any>>(document.paths)) {
      for (const [method, operation] of Object.entries<Record<string, any>>(item)) {
        if (operation.security?.length === 0) continue;
        expect({ [`${method} ${path}`]: operation.security }).toEqual({ [`${method} ${path}`]: expect.arrayContaining([{ bearer: [] }]) });
      }
    }
  });

  it('names a server', () => {
    expect(document.servers).toEqual([{ url: '/', description: 'This server' }]);
  });
});
