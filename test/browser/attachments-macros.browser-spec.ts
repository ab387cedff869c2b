// Files on a ticket and canned replies in a real browser: a screenshot attached by the employee shows on
// support's page live; an admin writes a canned reply and support fills it in on a ticket and sends it.
import type { Page } from 'playwright-core';
import { crc32, deflateSync } from 'node:zlib';
import { markPage, screenshot, seriousAccessibilityViolations, useConsoleWorld, wasNotReloaded } from './support/console';

const LIVE_MS = 15000;

jest.retryTimes(1, { logErrorsBeforeRetry: true });

/** A small PNG of one colour, as a screenshot tool would save it. */
function screenshotPng(width = 32, height = 20): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const frame = Buffer.alloc(8 + data.length + 4);
    frame.writeUInt32BE(data.length, 0);
    body.copy(frame, 4);
    frame.writeUInt32BE(crc32(body), 8 + data.length);
    return frame;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width * 3, 0xc8)]);
  const pixels = deflateSync(Buffer.concat(Array.from({ length: height }, () => row)));
  return Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'), chunk('IHDR', header), chunk('IDAT', pixels), chunk('IEND', Buffer.alloc(0))]);
}

describe('Attachments and canned replies (browser)', () => {
  const world = useConsoleWorld();

  async function fileQuestion(page: Page, title: string): Promise<string> {
    await page.getByRole('link', { name: 'New request' }).first().click();
    await page.getByLabel('Title').fill(title);
    await page.getByLabel('Description').fill('The VPN client shows error 809 every morning; the screenshot shows the dialog.');
    await page.getByLabel('Request type').selectOption({ label: 'Other' });
    await page.getByRole('button', { name: 'Send request' }).click();
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
    return page.url().split('/tickets/')[1];
  }

  const noViolations = async (page: Page) => {
    await page.waitForLoadState('networkidle');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  };

  it('the employee attaches a screenshot on the ticket page; it is listed with a preview, and appears on support’s page live', async () => {
    const employee = await world.signedIn('user');
    const ticketId = await fileQuestion(employee.page, `VPN error 809 ${Date.now()}`);

    const support = await world.signedIn('support');
    await support.page.goto(`/#/tickets/${ticketId}`);
    await support.page.getByRole('heading', { name: 'Attachments' }).waitFor();
    await support.page.getByText('No files yet.').waitFor();
    await support.page.getByText('Live', { exact: true }).waitFor();
    await markPage(support.page);

    await employee.page.getByLabel('Attach a file (screenshot, PDF or log)').setInputFiles({ name: 'vpn-error.png', mimeType: 'image/png', buffer: screenshotPng() });
    await employee.page.getByRole('button', { name: 'Attach', exact: true }).click();
    const mine = employee.page.locator('[data-attachment="vpn-error.png"]');
    await mine.waitFor();
    expect(await mine.textContent()).toContain('PNG image');
    await mine.getByRole('img', { name: 'Preview of vpn-error.png' }).waitFor();
    expect(await mine.getByRole('img').evaluate((image: HTMLImageElement) => image.complete && image.naturalWidth)).toBe(32);

    // Support's page, open all along, lists it from the stream, and its timeline says so.
    const theirs = support.page.locator('[data-attachment="vpn-error.png"]');
    await theirs.waitFor({ timeout: LIVE_MS });
    await support.page.locator('[data-event-type="attachment_added"]').waitFor({ timeout: LIVE_MS });
    expect(await wasNotReloaded(support.page)).toBe(true);
    const download = support.page.waitForEvent('download');
    await theirs.getByRole('button', { name: 'vpn-error.png (download)' }).click();
    expect((await download).suggestedFilename()).toBe('vpn-error.png');

    // A file the API refuses is explained where it was attached.
    await employee.page.getByLabel('Attach a file (screenshot, PDF or log)').setInputFiles({ name: 'setup.png', mimeType: 'image/png', buffer: Buffer.from('MZ\x90\x00binary', 'latin1') });
    await employee.page.getByRole('button', { name: 'Attach', exact: true }).click();
    await employee.page.getByRole('alert').filter({ hasText: 'attach PNG, JPEG, GIF or WebP images' }).waitFor();

    await screenshot(employee.page, 'ticket-attachments');
    await noViolations(employee.page);
  });

  it('an admin creates a canned reply, and support fills it in on a ticket with the requester’s first name and sends it', async () => {
    const admin = await world.signedIn('admin');
    await admin.page.getByRole('link', { name: 'Canned replies' }).click();
    await admin.page.getByRole('heading', { name: 'Canned replies', level: 1 }).waitFor();
    const name = `VPN reinstall ${Date.now()}`;
    await admin.page.getByRole('textbox', { name: 'Name', exact: true }).fill(name);
    // An unknown placeholder is refused, next to the field that holds it.
    await admin.page.getByRole('textbox', { name: 'Reply', exact: true }).fill('Hi {{requester.firstname}}');
    await admin.page.getByRole('button', { name: 'Create' }).click();
    await admin.page.getByText('body has unknown placeholders: {{requester.firstname}}', { exact: false }).waitFor();
    await admin.page.getByRole('textbox', { name: 'Reply', exact: true }).fill('Hi {{requester.first_name}}, please reinstall the VPN client. — {{agent.first_name}}');
    await admin.page.getByRole('button', { name: 'Create' }).click();
    await admin.page.locator(`[data-macro="${name}"]`).waitFor();
    expect(await admin.page.getByRole('textbox', { name: 'Name', exact: true }).inputValue()).toBe('');
    await screenshot(admin.page, 'admin-canned-replies');
    await noViolations(admin.page);

    // Editing, then a deletion that asks first (dismissed: the macro stays).
    await admin.page.locator(`[data-macro="${name}"]`).getByRole('button', { name: `Edit ${name}` }).click();
    await admin.page.getByRole('heading', { name: `Edit “${name}”` }).waitFor();
    await admin.page.getByRole('button', { name: 'Cancel' }).click();
    admin.page.once('dialog', (dialog) => void dialog.dismiss());
    await admin.page.locator(`[data-macro="${name}"]`).getByRole('button', { name: `Delete ${name}` }).click();
    await admin.page.locator(`[data-macro="${name}"]`).waitFor();

    const employee = await world.signedIn('user');
    const ticketId = await fileQuestion(employee.page, `VPN drops ${Date.now()}`);
    const support = await world.signedIn('support');
    await support.page.goto(`/#/tickets/${ticketId}`);
    await support.page.getByLabel('Canned reply').selectOption({ label: name });
    const box = support.page.getByLabel('Add a comment');
    await expectValue(box, 'Hi Erin, please reinstall the VPN client. — Sam');
    await box.fill('Hi Erin, please reinstall the VPN client from the Software Center. — Sam');
    await support.page.getByRole('button', { name: 'Post comment' }).click();
    await support.page.locator('.comments').getByText('please reinstall the VPN client from the Software Center').waitFor();
    await employee.page.locator('.comments').getByText('please reinstall the VPN client from the Software Center').waitFor({ timeout: LIVE_MS });
    await noViolations(support.page);

    // The deletion, confirmed this time.
    admin.page.once('dialog', (dialog) => void dialog.accept());
    await admin.page.locator(`[data-macro="${name}"]`).getByRole('button', { name: `Delete ${name}` }).click();
    await admin.page.getByText(`“${name}” was deleted.`).waitFor();
    await admin.page.locator(`[data-macro="${name}"]`).waitFor({ state: 'detached' });
  });

  it('keeps the canned replies screen and picker from those who may not use them', async () => {
    const employee = await world.signedIn('user');
    expect(await employee.page.getByRole('link', { name: 'Canned replies' }).count()).toBe(0);
    await employee.page.goto('/#/macros');
    await employee.page.getByRole('heading', { name: 'Not available to your role' }).waitFor();
    await employee.page.getByRole('link', { name: 'Tickets' }).first().click();
    await employee.page.locator('table.tickets a').first().click();
    await employee.page.getByRole('heading', { name: 'Attachments' }).waitFor();
    expect(await employee.page.getByLabel('Canned reply').count()).toBe(0);
  });
});

async function expectValue(field: ReturnType<Page['getByLabel']>, value: string): Promise<void> {
  await field.page().waitForFunction(
    ({ selector, expected }) => (document.querySelector(selector) as HTMLTextAreaElement | null)?.value === expected,
    { selector: '#comment-body', expected: value },
  );
  expect(await field.inputValue()).toBe(value);
}
