import { CHUNK_SIZE, chunkContext, chunkDocument, documentLead, indexText, LEAD_LENGTH, TextChunk } from './chunking';

const paragraph = (words: string) => `${words} `.repeat(40).trim();

describe(chunkDocument.name, () => {
  it('returns no chunks for a document without text', async () => {
    await expect(chunkDocument({ title: 'Empty', kind: 'markdown', text: '' })).resolves.toEqual([]);
    await expect(chunkDocument({ title: 'Blank', kind: 'text', text: '  \n\n ' })).resolves.toEqual([]);
    await expect(chunkDocument({ title: 'Scan', kind: 'pdf', text: '', pages: ['', ''] })).resolves.toEqual([]);
  });

  it('keeps a short document in one chunk, numbered from 0', async () => {
    const chunks = await chunkDocument({ title: 'Note', kind: 'text', text: 'Restart the print spooler.' });

    expect(chunks).toEqual([{ text: 'Restart the print spooler.', position: 0, page: null, heading: null }]);
  });

  it('splits a long text into overlapping chunks no longer than the chunk size, in order', async () => {
    const text = Array.from({ length: 12 }, (_, i) => paragraph(`word${i}`)).join('\n\n');
    const chunks = await chunkDocument({ title: 'Long', kind: 'text', text });

    expect(chunks.length).toBeGreaterThanOrEqual(3);
    expect(chunks.map((chunk) => chunk.position)).toEqual(chunks.map((_, i) => i));
    for (const chunk of chunks) expect(chunk.text.length).toBeLessThanOrEqual(CHUNK_SIZE);
    expect(chunks[0].text).toContain('word0');
    expect(chunks[chunks.length - 1].text).toContain('word11');
  });

  it('repeats the end of a chunk at the start of the next one', async () => {
    const text = Array.from({ length: 400 }, (_, i) => `w${i}`).join(' ');
    const [first, second] = await chunkDocument({ title: 'Words', kind: 'text', text });
    const lastWordOfFirst = first.text.split(' ').pop() ?? '';

    expect(second.text.split(' ')).toContain(lastWordOfFirst);
  });

  it('gives each Markdown chunk the nearest heading above it, ignoring # lines in code blocks', async () => {
    const text = [
      '# VPN guide',
      paragraph('The VPN client connects the laptop to the office network.'),
      '## Certificates',
      paragraph('Renew the certificate from the self-service portal.'),
      '```sh',
      '# not a heading, a shell comment',
      paragraph('openssl x509 -in cert.pem -noout -dates'),
      '```',
      '## Troubleshooting',
      paragraph('If the connection drops every hour, check the certificate date.'),
    ].join('\n\n');
    const chunks = await chunkDocument({ title: 'VPN guide', kind: 'markdown', text });

    const headingOf = (needle: string) => chunks.find((chunk) => chunk.text.includes(needle))?.heading;
    expect(headingOf('connects the laptop')).toBe('VPN guide');
    expect(headingOf('self-service portal')).toBe('Certificates');
    expect(headingOf('openssl x509')).toBe('Certificates');
    expect(headingOf('drops every hour')).toBe('Troubleshooting');
    expect(chunks.every((chunk) => chunk.page === null)).toBe(true);
  });

  it('leaves the heading empty for Markdown text before the first heading', async () => {
    const chunks = await chunkDocument({ title: 'Notes', kind: 'markdown', text: 'Plain notes.\n\n## Later\n\nMore.' });

    expect(chunks[0]).toMatchObject({ heading: null, position: 0 });
  });

  it('keeps every PDF chunk on one page and numbers pages from 1, skipping pages without text', async () => {
    const pages = [paragraph('First page about printers.').repeat(2), '', 'Third page: badge access.'];
    const chunks = await chunkDocument({ title: 'Guide', kind: 'pdf', text: pages.join('\n\n'), pages });

    expect(chunks.length).toBeGreaterThan(2);
    expect(chunks.filter((chunk) => chunk.page === 1).every((chunk) => chunk.text.includes('printers'))).toBe(true);
    expect(chunks.some((chunk) => chunk.page === 2)).toBe(false);
    expect(chunks[chunks.length - 1]).toMatchObject({ text: 'Third page: badge access.', page: 3, heading: null });
    expect(chunks.map((chunk) => chunk.position)).toEqual(chunks.map((_, i) => i));
  });

  it('re-joins words that were hyphenated across a line break', async () => {
    const [chunk] = await chunkDocument({ title: 'sed', kind: 'text', text: 'Similar to an edi\u2010\n       tor which permits edits.' });

    expect(chunk.text).toBe('Similar to an editor which permits edits.');
  });
});

describe(documentLead.name, () => {
  it('is the opening of the document without heading marks or runs of white space', () => {
    expect(documentLead('# nice(1)\n\nNAME\n       nice - run a program with modified scheduling priority\n')).toBe(
      'nice(1) NAME nice - run a program with modified scheduling priority',
    );
  });

  it('stops at a word boundary within the lead length', () => {
    const lead = documentLead('alpha beta gamma '.repeat(50));

    expect(lead.length).toBeLessThanOrEqual(LEAD_LENGTH);
    expect(lead.endsWith('alpha') || lead.endsWith('beta') || lead.endsWith('gamma')).toBe(true);
  });

  it('is empty for an empty document', () => {
    expect(documentLead('')).toBe('');
  });
});

describe('search text of a chunk', () => {
  const chunk: TextChunk = { text: 'OnCalendar= defines realtime timers.', position: 3, page: 2, heading: 'Options' };

  it('spells out the parts of a dotted title and adds the heading once', () => {
    expect(chunkContext(chunk, 'systemd.timer')).toBe('systemd.timer systemd timer\nOptions');
    expect(chunkContext({ ...chunk, heading: 'VPN guide' }, 'VPN guide')).toBe('VPN guide');
    expect(chunkContext({ ...chunk, heading: null }, 'VPN guide')).toBe('VPN guide');
  });

  it('embeds the context, then the document lead, then the chunk', () => {
    expect(indexText(chunk, 'systemd.timer', 'systemd.timer - Timer unit configuration')).toBe(
      'systemd.timer systemd timer\nOptions\nsystemd.timer - Timer unit configuration\nOnCalendar= defines realtime timers.',
    );
    expect(indexText(chunk, 'Timers')).toBe('Timers\nOptions\nOnCalendar= defines realtime timers.');
  });
});
