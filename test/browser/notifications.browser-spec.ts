// Notifications in a real browser against the real app: an engineer's bell counts a ticket assigned to them
// without a reload; the list opens the ticket and marks it read; "Mark all read"; preferences; accessibility.
import type { Page } from 'playwright-core';
import { apiFromPage, markPage, screenshot, seriousAccessibilityViolations, useConsoleWorld, wasNotReloaded } from './support/console';

const LIVE_MS = 15000;

describe('Notifications in the console (browser)', () => {
  const world = useConsoleWorld();

  const bell = (page: Page) => page.locator('header a.bell');
  const unreadOf = async (page: Page) => Number(await bell(page).getAttribute('data-unread'));
  const waitForUnread = (page: Page, count: number) => page.locator(`header a.bell[data-unread="${count}"]`).waitFor({ timeout: LIVE_MS });

  it('an engineer’s bell counts a ticket assigned to them live; the list opens it and marks it read; mark all read; preferences', async () => {
    const support = await world.signedIn('support');
    await support.page.getByRole('heading', { name: 'Support queue' }).waitFor();
    await support.page.getByText('Live', { exact: true }).waitFor();
    await markPage(support.page);
    // The count is shown once it has been read from the API.
    await support.page.locator('header a.bell[data-unread]').waitFor();
    const before = await unreadOf(support.page);

    const admin = await world.signedIn('admin');
    const supportUser = (await apiFromPage(support.page, '/api/v1/users/me')).body as { id: string };
    const tickets = (await apiFromPage(admin.page, '/api/v1/tickets?limit=50')).body.tickets as Array<{ ticket_id: string; title: string; assignee_id: string | null; status: string }>;
    const ticket = tickets.find((candidate) => candidate.assignee_id !== supportUser.id && !['resolved', 'denied'].includes(candidate.status))!;
    const assigned = await apiFromPage(admin.page, `/api/v1/tickets/${ticket.ticket_id}`, { method: 'PATCH', body: { assignee_id: supportUser.id } });
    expect(assigned.status).toBe(200);

    // The count rises on the page as it is, and is said to screen readers.
    await waitForUnread(support.page, before + 1);
    expect(await wasNotReloaded(support.page)).toBe(true);
    expect(await support.page.getByRole('status').filter({ hasText: `${before + 1} unread notification` }).count()).toBe(1);

    await support.page.getByRole('link', { name: `Notifications (${before + 1} unread)` }).click();
    await support.page.getByRole('heading', { level: 1, name: 'Notifications' }).waitFor();
    const item = support.page.locator('ul.notifications li', { hasText: `Ada Admin assigned “${ticket.title}” to you` });
    await item.waitFor();
    expect(await item.getAttribute('class')).toBe('unread');
    expect(await seriousAccessibilityViolations(support.page)).toEqual([]);
    await screenshot(support.page, 'support-notifications');

    // Opening it goes to the ticket and marks it read.
    await item.getByRole('link').click();
    await support.page.getByRole('heading', { level: 1, name: ticket.title }).waitFor();
    await waitForUnread(support.page, before);

    await bell(support.page).click();
    await support.page.locator('ul.notifications li.read', { hasText: ticket.title }).first().waitFor();
    if (before > 0) {
      await support.page.getByRole('button', { name: 'Mark all read' }).click();
      await waitForUnread(support.page, 0);
    }
    expect(await support.page.getByRole('button', { name: 'Mark all read' }).isDisabled()).toBe(true);

    // Preferences: a kind switched off says so, and stays off when the screen is read again.
    const assignedPreference = support.page.getByRole('checkbox', { name: 'A ticket is assigned to you' });
    expect(await assignedPreference.isChecked()).toBe(true);
    await assignedPreference.uncheck();
    await support.page.getByText('You will no longer be told: a ticket is assigned to you.').waitFor();
    await support.page.reload();
    await support.page.getByRole('checkbox', { name: 'A ticket is assigned to you' }).waitFor();
    expect(await support.page.getByRole('checkbox', { name: 'A ticket is assigned to you' }).isChecked()).toBe(false);
    expect(await seriousAccessibilityViolations(support.page)).toEqual([]);
    await support.page.getByRole('checkbox', { name: 'A ticket is assigned to you' }).check();
    await support.page.getByText('You will be told: a ticket is assigned to you.').waitFor();
  });

  it('a requester is offered only their three kinds of notification to choose from, on an accessible screen', async () => {
    const employee = await world.signedIn('user');
    await employee.page.getByRole('link', { name: /^Notifications/ }).click();
    await employee.page.getByRole('heading', { level: 2, name: 'What to tell me' }).waitFor();
    await employee.page.getByRole('checkbox').first().waitFor();
    expect(await employee.page.getByRole('checkbox').count()).toBe(3);
    expect(await seriousAccessibilityViolations(employee.page)).toEqual([]);
    await screenshot(employee.page, 'employee-notifications');
  });
});
