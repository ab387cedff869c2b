// The browser suite's world: the built app as a process of its own with the demo loaded (what a newcomer
// gets from `npm run demo`), and Debian's Chromium driven by playwright-core.
import axe from 'axe-core';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../../src/demo/demo-content';
import { startServerProcess, ServerProcess } from '../../support/server-process';
import { ADMIN, createDatabase, JWT_SECRET } from '../../support/test-app';

export const SCREENSHOTS = join(__dirname, '..', '..', '..', 'test-results', 'screenshots');

/** Chromium as this machine can run it: as root (no sandbox), and with no calls home on a closed network. */
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export type DemoRole = 'user' | 'support' | 'admin';

export interface ConsoleWorld {
  url: string;
  server: ServerProcess;
  browser: Browser;
  /** A browser context of its own (its own storage, so its own session), signed in as the demo account of `role`. */
  signedIn(role: DemoRole, viewport?: { width: number; height: number }): Promise<{ context: BrowserContext; page: Page }>;
  /** What went wrong in the pages so far (script errors, API answers ≥ 500 or refused requests), for a failure's report. */
  troubles: string[];
  /**
   * Closes the contexts opened so far. Each signed-in page holds an event stream, and a browser opens only
   * six HTTP/1.1 connections to one host: streams left open by earlier tests could starve a later page's loads.
   */
  closeContexts(): Promise<void>;
  close(): Promise<void>;
}

/** `env`: settings of this world's server beyond the demo's (e.g. a shorter reopen window). */
export async function startConsoleWorld(env: Record<string, string> = {}): Promise<ConsoleWorld> {
  const database = await createDatabase();
  const server = await startServerProcess(
    {
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      DEMO: 'true',
      JWT_SECRET_KEY: JWT_SECRET,
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      BCRYPT_ROUNDS: '6',
      AUTH_THROTTLE_LIMIT: '10000',
      ...database.env,
      ...env,
    },
    { built: true, timeoutMs: 90000 },
  );
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  mkdirSync(SCREENSHOTS, { recursive: true });
  const contexts: BrowserContext[] = [];
  const troubles: string[] = [];
  const watch = (context: BrowserContext, role: DemoRole) => {
    context.on('page', (page) => {
      const at = () => `${new Date().toISOString()} ${role} ${page.url().replace(server.url, '')}`;
      page.on('pageerror', (error) => troubles.push(`${at()}: script error ${error.message}`));
      page.on('requestfailed', (request) => {
        if (!request.url().includes('/api/v1/events')) troubles.push(`${at()}: ${request.method()} ${request.url().replace(server.url, '')} failed: ${request.failure()?.errorText}`);
      });
      page.on('response', (response) => {
        if (response.status() >= 500 || response.status() === 429) troubles.push(`${at()}: ${response.request().method()} ${response.url().replace(server.url, '')} → ${response.status()}`);
      });
    });
  };
  return {
    url: server.url,
    server,
    browser,
    troubles,
    signedIn: async (role, viewport = { width: 1280, height: 860 }) => {
      const context = await browser.newContext({ baseURL: server.url, viewport });
      contexts.push(context);
      watch(context, role);
      const page = await context.newPage();
      await signIn(page, role);
      return { context, page };
    },
    closeContexts: async () => {
      for (const context of contexts.splice(0)) await context.close().catch(() => undefined);
    },
    close: async () => {
      // For a failure's report (.ci/run prints it): what the pages ran into, and what the server said last.
      writeFileSync(join(SCREENSHOTS, '..', 'browser-troubles.txt'), `${troubles.join('\n') || '(none)'}\n\nserver output:\n${server.stderr}`);
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser.close().catch(() => undefined);
      await server.stop('SIGTERM');
      await database.drop();
    },
  };
}

/**
 * The world of one test file: started before its first test, closed after its last; after each test the
 * contexts it opened are closed, and what the pages ran into so far is printed (a failure's report). Its
 * members are read when a test runs, once the world has started.
 */
export function useConsoleWorld(env: Record<string, string> = {}): ConsoleWorld {
  let world: ConsoleWorld | undefined;
  beforeAll(async () => {
    world = await startConsoleWorld(env);
  });
  afterAll(() => world?.close());
  afterEach(async () => {
    if (world?.troubles.length) process.stderr.write(`browser troubles so far:\n${world.troubles.join('\n')}\n`);
    await world?.closeContexts();
  });
  const started = (): ConsoleWorld => {
    if (!world) throw new Error('The console world is read before it started (in a test, not at the top of a file)');
    return world;
  };
  return {
    get url() { return started().url; },
    get server() { return started().server; },
    get browser() { return started().browser; },
    get troubles() { return started().troubles; },
    signedIn: (role, viewport) => started().signedIn(role, viewport),
    closeContexts: () => started().closeContexts(),
    close: () => started().close(),
  };
}

export function demoAccount(role: DemoRole): { email: string; fullName: string } {
  return DEMO_ACCOUNTS.find((account) => account.role === role)!;
}

export async function signIn(page: Page, role: DemoRole): Promise<void> {
  await page.goto('/');
  await page.getByLabel('Email').fill(demoAccount(role).email);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

/**
 * Marks the page's JavaScript world; a reload or navigation away would wipe the mark. A test that expects a
 * change "without a reload" checks the mark is still there afterwards.
 */
export async function markPage(page: Page): Promise<void> {
  await page.evaluate(() => ((window as unknown as { __notReloaded: boolean }).__notReloaded = true));
}

export async function wasNotReloaded(page: Page): Promise<boolean> {
  return page.evaluate(() => (window as unknown as { __notReloaded?: boolean }).__notReloaded === true);
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** axe-core's WCAG 2 A/AA rules on what the page shows now; only serious and critical findings are returned. */
export async function seriousAccessibilityViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the DevTools protocol, which the page's Content-Security-Policy (kept on: the console
  // must work under it) does not govern, unlike an injected <script>.
  await page.evaluate(axe.source);
  const violations = await page.evaluate(async () => {
    const result = await (window as unknown as { axe: typeof axe }).axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact ?? null,
      help: violation.help,
      nodes: violation.nodes.slice(0, 5).map((node) => node.target.join(' ')),
    }));
  });
  return violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
}

export async function screenshot(page: Page, name: string): Promise<string> {
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** The API's answer to a call made from inside the page with the console's own session (a JSON body both ways). */
export async function apiFromPage(page: Page, path: string, options: { method?: string; body?: unknown } = {}): Promise<{ status: number; body: any }> {
  return page.evaluate(
    async ({ target, method, body }) => {
      const stored = JSON.parse(localStorage.getItem('support-desk.session') ?? '{}') as { access_token?: string };
      const headers: Record<string, string> = { Authorization: `Bearer ${stored.access_token}` };
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      const response = await fetch(target, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      return { status: response.status, body: await response.json().catch(() => null) };
    },
    { target: path, method: options.method ?? 'GET', body: options.body },
  );
}
