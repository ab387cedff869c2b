// Major incidents in a real browser against the real app: five people report the VPN down through the API;
// support's queue shows the banner without a reload, support opens the incident, confirms it, posts an
// update, takes a ticket out and links it again; a requester's ticket page says the problem is known and shows
// the update as it arrives; support resolves it and the tickets show resolved. Each new screen passes the accessibility check.
import type { Page } from 'playwright-core';
import { signUp } from '../support/http';
import { fileRequest } from '../support/workflow';
import { apiFromPage, markPage, screenshot, seriousAccessibilityViolations, useConsoleWorld, wasNotReloaded } from './support/console';

const LIVE_MS = 20000;
const VPN_DOWN = [
  ['VPN down', 'The VPN is down, I cannot connect to the VPN from home since 9am.'],
  // (With the demo's knowledge base the assistant answers "VPN connection fails every time…" on its own: a
  // resolved ticket is no longer live, and four live reports make no incident.)
  ['VPN is down', 'The VPN is down since 9am, I cannot connect to the VPN at all.'],
  ['VPN not working', 'Since this morning the VPN does not connect, it says the VPN gateway is unreachable.'],
  ['VPN is down again', 'I cannot connect to the company VPN at all, it keeps failing to connect.'],
  ['No VPN connection', 'The VPN will not connect this morning, VPN down for everyone on my floor?'],
];
const UPDATE = 'The VPN gateway is being restarted; expect it back by 10:30.';
const RESOLUTION = 'The VPN gateway was restarted; reconnect and it works.';

describe('Major incidents in the console (browser)', () => {
  const world = useConsoleWorld({ INCIDENT_RESOLVE_BATCH: '2' });

  const file = (token: string, [title, description]: string[]) => fileRequest(world.url, token, { request_type: 'network', title, description, priority: 'medium' }, true).expect(201);
  const banner = (page: Page) => page.getByRole('region', { name: 'Major incidents' });
  const fieldError = async (page: Page, id: string) => {
    await page.locator(`#${id}-error`).waitFor();
    expect(await page.locator(`#${id}`).getAttribute('aria-invalid')).toBe('true');
    return page.locator(`#${id}-error`).textContent();
  };

  it('five people report the VPN down: support sees it live, confirms, updates and resolves it once for every ticket', async () => {
    const support = await world.signedIn('support');
    await support.page.getByRole('heading', { name: 'Support queue' }).waitFor();
    await support.page.getByText('Live', { exact: true }).waitFor();
    await markPage(support.page);
    expect(await banner(support.page).count()).toBe(0);

    // Erin (the demo's employee) and four other people report it.
    const employee = await world.signedIn('user');
    const filed = await apiFromPage(employee.page, '/api/v1/request?wait=true', { method: 'POST', body: { request_type: 'network', title: VPN_DOWN[0][0], description: VPN_DOWN[0][1], priority: 'medium' } });
    expect(filed.status).toBe(201);
    const erinTicket = filed.body.ticket_id as string;
    for (const report of VPN_DOWN.slice(1)) await file((await signUp(world.url)).token, report);

    // The banner arrives on the queue as it is.
    const proposed = banner(support.page).getByRole('listitem').filter({ hasText: 'Possible major incident:' });
    await proposed.waitFor({ timeout: LIVE_MS });
    expect(await proposed.textContent()).toMatch(/^Possible major incident: VPN.* — 5 people$/);
    expect(await wasNotReloaded(support.page)).toBe(true);
    expect(await seriousAccessibilityViolations(support.page)).toEqual([]);
    await screenshot(support.page, 'support-incident-banner');

    // The incident page: why the tickets were grouped, and the tickets.
    await proposed.getByRole('link').click();
    await support.page.getByRole('heading', { level: 1, name: /VPN/ }).waitFor();
    const incidentId = support.page.url().split('/incidents/')[1];
    expect(await support.page.getByTestId('requester-count').textContent()).toBe('5 people');
    expect(await support.page.getByTestId('shared-terms').textContent()).toContain('vpn');
    await support.page.getByTestId('rule').waitFor();
    expect(await support.page.locator('.incident-tickets > li').count()).toBe(5);
    expect(await seriousAccessibilityViolations(support.page)).toEqual([]);
    await screenshot(support.page, 'support-incident-proposed');

    // The requester cannot open it, and follows their own ticket.
    expect((await apiFromPage(employee.page, `/api/v1/incidents/${incidentId}`)).status).toBe(403);
    await employee.page.goto(`/#/tickets/${erinTicket}`);
    await employee.page.getByRole('heading', { level: 1, name: VPN_DOWN[0][0] }).waitFor();
    await employee.page.getByText('Live', { exact: true }).waitFor();
    expect(await employee.page.getByTestId('known-problem').count()).toBe(0);

    // Confirm, with a better title; an empty one is refused at the field in the API's words.
    const title = support.page.getByRole('textbox', { name: 'Title' });
    await title.fill('');
    await support.page.getByRole('button', { name: 'Confirm incident' }).click();
    expect(await fieldError(support.page, 'incident-title-edit')).toBe('Give the incident a title');
    await title.fill('VPN gateway outage');
    await support.page.getByRole('button', { name: 'Confirm incident' }).click();
    await support.page.getByRole('heading', { level: 1, name: 'VPN gateway outage' }).waitFor();
    await support.page.locator('[data-incident-status="open"]').waitFor();

    // Erin's page says the problem is known, without a reload and without a way to the incident.
    await employee.page.getByTestId('known-problem').waitFor({ timeout: LIVE_MS });
    expect(await employee.page.getByTestId('incident-link').count()).toBe(0);
    await employee.page.locator('.timeline [data-event-type="incident_opened"]').waitFor();

    // An update: refused empty, then posted; it reaches Erin's conversation and timeline live.
    await support.page.getByRole('button', { name: 'Post update' }).click();
    expect(await fieldError(support.page, 'incident-update')).toBe('Write the update');
    await support.page.getByRole('textbox', { name: 'Update' }).fill(UPDATE);
    await support.page.getByRole('button', { name: 'Post update' }).click();
    await support.page.locator('.incident-updates li', { hasText: UPDATE }).waitFor();
    await employee.page.locator('.comments li', { hasText: UPDATE }).waitFor({ timeout: LIVE_MS });
    expect(await employee.page.locator('.timeline [data-event-type="incident_update"]').textContent()).toContain(UPDATE);
    expect(await seriousAccessibilityViolations(employee.page)).toEqual([]);
    await screenshot(employee.page, 'employee-ticket-known-problem');

    // Staff reading one of its tickets see which incident holds it.
    const staffTicket = await support.context.newPage();
    await staffTicket.goto(`/#/tickets/${erinTicket}`);
    await staffTicket.getByTestId('incident-link').getByRole('link', { name: 'VPN gateway outage' }).waitFor();
    await staffTicket.close();

    // A ticket taken out, and linked again by its address in the console.
    const other = support.page.locator('.incident-tickets > li').filter({ hasText: VPN_DOWN[4][0] });
    const otherId = await other.getAttribute('data-ticket-id');
    await other.getByRole('button', { name: `Unlink “${VPN_DOWN[4][0]}”` }).click();
    await support.page.waitForFunction(() => document.querySelectorAll('.incident-tickets > li').length === 4);
    await support.page.getByRole('textbox', { name: 'Link a ticket' }).fill(`${world.url}/#/tickets/${otherId}`);
    await support.page.getByRole('button', { name: 'Link ticket' }).click();
    await support.page.waitForFunction(() => document.querySelectorAll('.incident-tickets > li').length === 5);

    // Resolve: the resolution is required (the API says so at the field), then asked about first.
    expect(await seriousAccessibilityViolations(support.page)).toEqual([]);
    await screenshot(support.page, 'support-incident-open');
    await support.page.getByRole('button', { name: 'Resolve incident' }).click();
    expect(await fieldError(support.page, 'incident-resolution')).toBe('Say how it was fixed: every requester reads it');
    await support.page.getByRole('textbox', { name: 'Resolution' }).fill(RESOLUTION);
    await support.page.getByRole('button', { name: 'Resolve incident' }).click();
    await support.page.getByRole('dialog').getByRole('button', { name: 'Resolve' }).click();
    await support.page.locator('[data-incident-status="resolved"]', { hasText: 'Resolved' }).waitFor({ timeout: LIVE_MS });
    const badges = support.page.locator('.incident-tickets [data-status]');
    await support.page.waitForFunction(() => [...document.querySelectorAll('.incident-tickets [data-status]')].every((badge) => badge.getAttribute('data-status') === 'resolved'), null, { timeout: LIVE_MS });
    expect(await badges.count()).toBe(5);
    await support.page.getByRole('button', { name: 'Reopen incident' }).waitFor();

    // Erin's ticket is resolved with the incident's resolution, live; the notice is gone.
    await employee.page.locator('.ticket [data-status="resolved"]').first().waitFor({ timeout: LIVE_MS });
    expect(await employee.page.getByTestId('resolution').textContent()).toContain(RESOLUTION);
    expect(await employee.page.getByTestId('known-problem').count()).toBe(0);

    // The queue has no banner left; the dashboard counts what the incident took over.
    await support.page.getByRole('link', { name: 'Queue' }).click();
    await support.page.getByRole('heading', { name: 'Support queue' }).waitFor();
    await support.page.getByText('Live', { exact: true }).waitFor();
    expect(await banner(support.page).count()).toBe(0);
    await support.page.getByRole('link', { name: 'Dashboard' }).click();
    const absorbed = support.page.locator('.tile', { hasText: 'Tickets absorbed by incidents' }).locator('.tile-value');
    await absorbed.waitFor();
    const stats = (await apiFromPage(support.page, '/api/v1/tickets/stats')).body;
    expect(await absorbed.textContent()).toBe(String(stats.absorbed_by_incidents));
    expect(stats.absorbed_by_incidents).toBeGreaterThanOrEqual(5);
  }, 240_000);

  it('keeps incidents from a requester: no Incidents in their navigation, and the screen is not for their role', async () => {
    const employee = await world.signedIn('user');
    expect(await employee.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Incidents' }).count()).toBe(0);
    await employee.page.goto('/#/incidents');
    await employee.page.getByRole('heading', { name: 'Not available to your role' }).waitFor();
  });

  it('lists the incidents for support, reachable from the navigation', async () => {
    const support = await world.signedIn('support');
    await support.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Incidents' }).click();
    await support.page.getByRole('heading', { level: 1, name: 'Major incidents' }).waitFor();
    await support.page.getByText('No major incident needs attention.').waitFor();
    await support.page.getByRole('group', { name: 'Which incidents' }).getByRole('button', { name: 'Resolved' }).click();
    await support.page.getByRole('row').filter({ hasText: 'VPN gateway outage' }).waitFor();
    expect(await seriousAccessibilityViolations(support.page)).toEqual([]);
  });
});
