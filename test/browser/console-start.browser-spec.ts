// A support engineer's first day, in a real browser: the sign-in page says how to try the demo, ReDoc works
// with nothing from outside, risky admin changes ask first, the Users screen works on a phone, and a
// form's problems are shown on the fields they concern.
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../src/demo/demo-content';
import type { Page } from 'playwright-core';
import { apiFromPage, screenshot, seriousAccessibilityViolations, useConsoleWorld } from './support/console';

jest.retryTimes(1, { logErrorsBeforeRetry: true });

describe('Console, first day (browser)', () => {
  const world = useConsoleWorld();

  it('the sign-in page lists the demo accounts and their password, and "Use" fills the form to sign in', async () => {
    const context = await world.browser.newContext({ baseURL: world.url, viewport: { width: 1280, height: 860 } });
    const page = await context.newPage();
    await page.goto('/');
    const demo = page.getByRole('region', { name: 'Trying the demo?' });
    await demo.waitFor();
    await expectText(demo, DEMO_PASSWORD);
    for (const account of DEMO_ACCOUNTS) await expectText(demo, account.email);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'sign-in-demo-accounts');

    const support = DEMO_ACCOUNTS.find((account) => account.role === 'support')!;
    await demo.getByRole('button', { name: `Use the Support demo account, ${support.email}` }).click();
    expect(await page.getByLabel('Email').inputValue()).toBe(support.email);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Support queue' }).waitFor();
    await context.close();
  });

  it('ReDoc renders the API reference from this server alone, under its Content-Security-Policy', async () => {
    const context = await world.browser.newContext({ baseURL: world.url });
    const page = await context.newPage();
    const elsewhere: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(world.url) && !/^(data|blob):/.test(request.url())) elsewhere.push(request.url());
    });
    const refusals: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) refusals.push(message.text());
    });
    await page.goto('/redoc');
    await page.getByRole('heading', { name: /IT Support Desk API/ }).first().waitFor();
    // The document itself was read and rendered: its description and its tags are on the page.
    await page.getByText('Sign in at /api/v1/auth/login', { exact: false }).first().waitFor();
    await page.getByText('approvals', { exact: true }).first().waitFor();
    // ReDoc's "API docs by" footer tries its vendor's logo from a CDN; the policy blocks it and ReDoc then
    // hides the image. Nothing else is asked of another host, and nothing else is refused.
    const VENDOR_LOGO = /^https:\/\/cdn\.redoc\.ly\/redoc\/logo-mini(-full)?\.svg$/;
    expect({
      elsewhere: elsewhere.filter((url) => !VENDOR_LOGO.test(url)),
      refusals: refusals.filter((text) => !/logo-mini/.test(text)),
    }).toEqual({ elsewhere: [], refusals: [] });
    await context.close();
  });

  /**
   * A new account of its own for a test, so that changing its role disturbs no other test. Its name ends in
   * a number of its own, so that a retried test does not find the first try's person too.
   */
  async function newPerson(page: Page, name: string): Promise<{ id: string; email: string; fullName: string }> {
    const stamp = `${Date.now()}${Math.floor(Math.random() * 1000)}`;
    const fullName = `${name} ${stamp.slice(-4)}`;
    const email = `first-day-${stamp}@example.com`;
    const created = await apiFromPage(page, '/api/v1/auth/register', {
      method: 'POST',
      body: { email, password: 'Sturdy-Password-9', full_name: fullName, employee_id: `FD${stamp}` },
    });
    expect(created.status).toBe(201);
    return { id: created.body.id, email, fullName };
  }

  const roleOf = async (page: Page, email: string) =>
    (await apiFromPage(page, `/api/v1/users?limit=100`)).body.users.find((user: { email: string }) => user.email === email)?.role;

  async function openUsers(page: Page): Promise<void> {
    await page.getByRole('link', { name: 'Users' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Users and roles' }).waitFor();
  }

  it('a role change asks first, naming the person and old → new role; Cancel changes nothing and puts the menu back', async () => {
    const { page } = await world.signedIn('admin');
    const person = await newPerson(page, 'Casey Cautious');
    await openUsers(page);
    const menu = page.getByLabel(`Role of ${person.fullName}`);

    await menu.selectOption('admin');
    const dialog = page.getByRole('dialog', { name: `Change ${person.fullName}’s role?` });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('User → Admin');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'users-confirm-role');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await menu.inputValue()).toBe('user');
    expect(await roleOf(page, person.email)).toBe('user');

    // Escape is a Cancel too.
    await menu.selectOption('support');
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await menu.inputValue()).toBe('user');
    expect(await roleOf(page, person.email)).toBe('user');

    await menu.selectOption('support');
    await dialog.getByRole('button', { name: 'Change role' }).click();
    await page.getByText(`${person.fullName} is now Support (was User).`).waitFor();
    expect(await roleOf(page, person.email)).toBe('support');
  });

  it('deactivating asks first, and Cancel leaves the account active', async () => {
    const { page } = await world.signedIn('admin');
    const person = await newPerson(page, 'Dana Deactivated');
    await openUsers(page);
    await page.getByRole('button', { name: `Deactivate ${person.fullName}` }).click();
    const dialog = page.getByRole('dialog', { name: `Deactivate ${person.fullName}?` });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const active = async () => (await apiFromPage(page, '/api/v1/users?limit=100')).body.users.find((user: { email: string }) => user.email === person.email)?.is_active;
    expect(await active()).toBe(true);
    await page.getByRole('button', { name: `Deactivate ${person.fullName}` }).click();
    await dialog.getByRole('button', { name: 'Deactivate' }).click();
    await page.getByText(`${person.fullName} was deactivated.`).waitFor();
    expect(await active()).toBe(false);
  });

  it('on a phone (390 px) each person is a card whose role menu is in view and works', async () => {
    const { page } = await world.signedIn('admin', { width: 390, height: 844 });
    const person = await newPerson(page, 'Pat Phone');
    await openUsers(page);
    // Nothing wider than the phone: no sideways scrolling of the page or of the list to reach a menu.
    const list = page.locator('.table-wrap');
    expect(await list.evaluate((element) => element.scrollWidth <= element.clientWidth)).toBe(true);
    const menu = page.getByLabel(`Role of ${person.fullName}`);
    await menu.scrollIntoViewIfNeeded();
    const box = await menu.boundingBox();
    expect(box).not.toBeNull();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(390);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'users-phone');

    await menu.selectOption('support');
    const dialog = page.getByRole('dialog', { name: `Change ${person.fullName}’s role?` });
    await dialog.getByRole('button', { name: 'Change role' }).click();
    await page.getByText(`${person.fullName} is now Support (was User).`).waitFor();
    expect(await roleOf(page, person.email)).toBe('support');
  });

  it('a request sent with an empty title says "Give your request a title" at the title field, tied to it for screen readers', async () => {
    const { page } = await world.signedIn('user');
    await page.getByRole('link', { name: 'New request' }).first().click();
    await page.getByLabel('Description').fill('The printer on the third floor jams on every page.');
    await page.getByLabel('Request type').selectOption({ label: 'Hardware' });
    await page.getByRole('button', { name: 'Send request' }).click();
    const titleError = page.locator('#title-error');
    await titleError.waitFor();
    expect(await titleError.textContent()).toBe('Give your request a title');
    const title = page.getByLabel('Title');
    expect(await title.getAttribute('aria-invalid')).toBe('true');
    expect((await title.getAttribute('aria-describedby'))?.split(' ')).toContain('title-error');
    // Only the field at fault is marked, and no banner repeats it.
    expect(await page.locator('.field-error').count()).toBe(1);
    expect(await page.locator('.alert-error').count()).toBe(0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'new-request-field-error');
  });

  it('signing in with an empty email says so at the email field; a wrong password is said above the form', async () => {
    const context = await world.browser.newContext({ baseURL: world.url });
    const page = await context.newPage();
    await page.goto('/');
    await page.getByLabel('Password').fill('anything');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#email-error').waitFor();
    expect(await page.locator('#email-error').textContent()).toBe('Enter your email address');
    expect(await page.getByLabel('Email').getAttribute('aria-invalid')).toBe('true');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await page.getByLabel('Email').fill(DEMO_ACCOUNTS[0].email);
    await page.getByLabel('Password').fill('Not-The-Password-1');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').getByText('Incorrect email or password').waitFor();
    expect(await page.locator('.field-error').count()).toBe(0);
    await context.close();
  });
});

async function expectText(locator: import('playwright-core').Locator, text: string): Promise<void> {
  expect(await locator.textContent()).toContain(text);
}
