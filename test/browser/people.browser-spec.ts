// People by name on the console: support sees who asked (name, department, email), works from the
// Unassigned and Mine views, takes a ticket with the owner form; the employee reads support's first name;
// after the reply window a resolved request offers a follow-up linked to it. (This world's reopen window is
// zero days, so a resolved request is past it at once.)
import type { Page } from 'playwright-core';
import { apiFromPage, demoAccount, screenshot, seriousAccessibilityViolations, useConsoleWorld } from './support/console';

const LIVE_MS = 15000;
jest.retryTimes(1, { logErrorsBeforeRetry: true });

describe('People on the console (browser)', () => {
  const world = useConsoleWorld({ REOPEN_ON_REPLY_DAYS: '0' });

  /** An access request filed through the API, waiting for approval and owned by nobody. */
  async function accessRequest(page: Page, title: string): Promise<string> {
    const { status, body } = await apiFromPage(page, '/api/v1/request?wait=true', {
      method: 'POST',
      body: { title, description: 'Read access to the finance reporting database for the audit.', request_type: 'software_access', business_justification: 'Year-end audit' },
    });
    expect([200, 201, 202]).toContain(status);
    return body.ticket_id as string;
  }

  const view = (page: Page, name: string) => page.getByRole('group', { name: 'Whose tickets' }).getByRole('button', { name });

  it('support sees who asked, takes a ticket from Unassigned into Mine, and the employee reads their first name', async () => {
    const employee = await world.signedIn('user');
    const title = `Finance database access ${Date.now()}`;
    const ticketId = await accessRequest(employee.page, title);
    const erin = demoAccount('user');

    const support = await world.signedIn('support');
    await support.page.getByRole('heading', { name: 'Support queue' }).waitFor();
    await view(support.page, 'Unassigned').click();
    const item = support.page.locator('.queue-item', { hasText: title });
    await item.waitFor({ timeout: LIVE_MS });
    expect(await item.locator('[data-people]').textContent()).toBe(`${erin.fullName} (Finance) · unassigned`);
    expect(await seriousAccessibilityViolations(support.page)).toEqual([]);

    await item.getByRole('link', { name: title }).click();
    const requester = support.page.getByTestId('requester');
    await requester.waitFor();
    expect(await requester.textContent()).toContain(erin.fullName);
    expect(await requester.textContent()).toContain(erin.email);
    expect(await requester.textContent()).toContain('Finance');
    await support.page.getByLabel('Assignee').selectOption({ label: 'Sam Support (Support)' });
    await support.page.getByRole('button', { name: 'Save changes' }).click();
    await support.page.getByTestId('assignee').getByText('You', { exact: true }).waitFor({ timeout: LIVE_MS });
    expect(await seriousAccessibilityViolations(support.page)).toEqual([]);
    await screenshot(support.page, 'support-ticket-people');

    await support.page.goto('/#/queue');
    await view(support.page, 'Mine').click();
    await support.page.locator('.queue-item', { hasText: title }).waitFor({ timeout: LIVE_MS });
    await view(support.page, 'Unassigned').click();
    // The switch re-renders after the click returns: a lane still showing Mine's answer is not yet Unassigned's.
    await support.page.locator('.view-switch [aria-pressed="true"]', { hasText: 'Unassigned' }).waitFor();
    await support.page.locator('.lanes[aria-busy="false"]').waitFor();
    await support.page.locator('.queue-item', { hasText: title }).waitFor({ state: 'detached', timeout: LIVE_MS });
    expect(await support.page.locator('.queue-item', { hasText: title }).count()).toBe(0);
    await view(support.page, 'Mine').click();
    await screenshot(support.page, 'support-queue-mine');

    await employee.page.goto(`/#/tickets/${ticketId}`);
    await employee.page.getByTestId('assignee').getByText('Sam', { exact: true }).waitFor({ timeout: LIVE_MS });
  });

  it('a request resolved longer ago than the reply window offers a follow-up linked to it', async () => {
    const employee = await world.signedIn('user');
    const title = `Shared drive access ${Date.now()}`;
    const ticketId = await accessRequest(employee.page, title);
    const support = await world.signedIn('support');
    const approved = await apiFromPage(support.page, `/api/v1/hil/${ticketId}?wait=true`, { method: 'POST', body: { approval: true, comments: 'Granted' } });
    expect(approved.status).toBeLessThan(300);

    await employee.page.goto(`/#/tickets/${ticketId}`);
    const offer = employee.page.getByTestId('follow-up-offer');
    await offer.waitFor({ timeout: LIVE_MS });
    expect(await employee.page.getByLabel('Add a comment').count()).toBe(0);
    await offer.getByRole('link', { name: 'Open a follow-up request' }).click();
    await employee.page.getByTestId('follow-up-of').getByRole('link', { name: title }).waitFor();
    expect(await seriousAccessibilityViolations(employee.page)).toEqual([]);

    const followUp = `Still no access to the shared drive ${Date.now()}`;
    await employee.page.getByLabel('Title').fill(followUp);
    await employee.page.getByLabel('Description').fill('The access granted last month stopped working.');
    await employee.page.getByLabel('Request type').selectOption({ label: 'Software access' });
    await employee.page.getByLabel('Business justification').fill('Year-end audit');
    await employee.page.getByRole('button', { name: 'Send request' }).click();
    await employee.page.getByRole('heading', { level: 1, name: followUp }).waitFor();
    const newId = employee.page.url().split('/tickets/')[1];
    expect((await apiFromPage(employee.page, `/api/v1/tickets/${newId}`)).body.follow_up_of).toBe(ticketId);
    await employee.page.getByRole('link', { name: 'an earlier request' }).waitFor();
  });
});
