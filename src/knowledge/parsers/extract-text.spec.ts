import { DocumentError } from './document-error';
import { extractDocument } from './extract-text';

const OPTIONS = { bytes: 20 * 1024 * 1024, limit: 'MAX_UNCOMPRESSED_MB' };

function extract(content: string | Buffer, filename: string) {
  return extractDocument(Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8'), filename, OPTIONS);
}

describe('extractDocument for Markdown and plain text', () => {
  it('titles a Markdown document with its first level-1 heading', async () => {
    const markdown = 'Draft for the service desk\n\n## Before you start\n\n# Resetting a VPN token ##\n\nOpen the portal.\n\n# Appendix\n';
    await expect(extract(markdown, 'vpn.md')).resolves.toEqual({
      kind: 'markdown',
      title: 'Resetting a VPN token',
      text: markdown.trimEnd(),
      pages: null,
    });
  });

  it('titles a Markdown document without a level-1 heading with its first line, heading marks removed', async () => {
    await expect(extract('\n## Printer queues\nUse the web console.', 'printers.md')).resolves.toMatchObject({ title: 'Printer queues' });
  });

  it('ignores # comments inside fenced code blocks when looking for the title', async () => {
    const markdown = '```bash\n# restart the agent\nsystemctl restart agent\n```\n\nRestarting the monitoring agent\n\n# Steps\n';
    await expect(extract(markdown, 'agent.md')).resolves.toMatchObject({ title: 'Steps' });
    await expect(extract('~~~\n# not a title\n~~~\nThe agent FAQ', 'faq.md')).resolves.toMatchObject({ title: 'The agent FAQ' });
  });

  it('titles plain text with its first line that has a letter or digit', async () => {
    const result = await extract('\n  ------\n  Password policy  \nAt least 12 characters.\n', 'policy.txt');
    expect(result).toMatchObject({ kind: 'text', title: 'Password policy' });
  });

  it('falls back to the file name without its extension when no line could be a title', async () => {
    await expect(extract('---\n***\n', 'release.notes.txt')).resolves.toMatchObject({ title: 'release.notes' });
  });

  it('keeps a long first line as a title of at most 200 characters', async () => {
    const { title } = await extract(`${'word '.repeat(100)}\nsecond line`, 'long.txt');
    expect(title).toHaveLength(200);
    expect(title.endsWith('…')).toBe(true);
  });

  it('strips a UTF-8 byte-order mark and turns CRLF and CR line ends into LF', async () => {
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('# Wi-Fi\r\n\r\nJoin CorpNet.\rAsk IT.\r\n', 'utf8')]);
    await expect(extract(withBom, 'wifi.md')).resolves.toMatchObject({ title: 'Wi-Fi', text: '# Wi-Fi\n\nJoin CorpNet.\nAsk IT.' });
  });

  it('keeps non-ASCII text intact', async () => {
    await expect(extract('Drucker im 3. Stock: Übergröße A3 — ok ✓', 'drucker.txt')).resolves.toMatchObject({
      text: 'Drucker im 3. Stock: Übergröße A3 — ok ✓',
    });
  });

  it('refuses a text file of whitespace only as empty', async () => {
    const error = await extract(' \r\n\t\n', 'blank.txt').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DocumentError);
    expect(error).toMatchObject({ code: 'empty', message: 'The document contains no text' });
  });

  it('refuses content it does not support before reading it', async () => {
    await expect(extract(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), 'photo.jpg')).rejects.toMatchObject({ code: 'unsupported_type' });
  });
});
