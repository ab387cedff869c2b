import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { deflateSync } from 'node:zlib';
import { makeFlateBombPdf, pageText } from '../../../test/support/bomb-fixtures';
import { makeEncryptedPdfOpenWithoutPassword } from '../../../test/support/encrypted-pdf';
import { makeCorruptPdf, makeEncryptedPdf, makePdf } from '../../../test/support/fixtures';
import { DocumentError } from './document-error';
import { extractDocument } from './extract-text';
import * as pdfText from './pdf-text';
import { readPdf } from './pdf-text';

const OPTIONS = { bytes: 20 * 1024 * 1024, limit: 'MAX_UNCOMPRESSED_MB' };
// The shared knowledge-base sample sits beside the repository (../shared), read-only.
const KB_SAMPLE_DOCS = resolve(__dirname, '../../../../shared/kb-sample/docs');

describe('extractDocument for PDF', () => {
  it('keeps the text of each page, in order, and joins them into the text', async () => {
    const pdf = makePdf(['Printer setup\nOpen Settings (Devices)', 'Page two: add the queue \\\\print01'], { title: 'Printer guide' });
    await expect(extractDocument(pdf, 'printers.pdf', OPTIONS)).resolves.toEqual({
      kind: 'pdf',
      title: 'Printer guide',
      text: 'Printer setup\nOpen Settings (Devices)\n\nPage two: add the queue \\\\print01',
      pages: ['Printer setup\nOpen Settings (Devices)', 'Page two: add the queue \\\\print01'],
    });
  });

  it('reads a PDF uploaded under a text file name', async () => {
    await expect(extractDocument(makePdf(['Badge access']), 'notes.txt', OPTIONS)).resolves.toMatchObject({ kind: 'pdf', text: 'Badge access' });
  });

  it('titles a PDF without a metadata title with its first line', async () => {
    await expect(extractDocument(makePdf(['\nVPN troubleshooting\nStep 1']), 'vpn.pdf', OPTIONS)).resolves.toMatchObject({ title: 'VPN troubleshooting' });
  });

  it('keeps a page without text as an empty string so page numbers still line up', async () => {
    const result = await extractDocument(makePdf(['Cover', '', 'Appendix']), 'manual.pdf', OPTIONS);
    expect(result.pages).toEqual(['Cover', '', 'Appendix']);
    expect(result.text).toBe('Cover\n\n\n\nAppendix');
  });

  it('refuses a password-protected PDF as encrypted', async () => {
    const error = await extractDocument(makeEncryptedPdf(), 'salaries.pdf', OPTIONS).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DocumentError);
    expect(error).toMatchObject({ code: 'encrypted', message: 'The PDF is password-protected; remove the password and upload it again' });
  });

  it('reads a PDF encrypted without a user password, as pdf.js opens it', async () => {
    for (const method of ['rc4', 'aes128', 'aes256'] as const) {
      const pdf = makeEncryptedPdfOpenWithoutPassword(method, { zlib: deflateSync(pageText('Salary bands are reviewed in March')) });
      await expect(extractDocument(pdf, 'bands.pdf', OPTIONS)).resolves.toMatchObject({ text: 'Salary bands are reviewed in March' });
    }
  });

  it('refuses a PDF that expands past its budget before pdf.js reads any of it', async () => {
    const readPdfSpy = jest.spyOn(pdfText, 'readPdf');
    await expect(extractDocument(makeFlateBombPdf(64 * 1024 * 1024), 'bomb.pdf', OPTIONS)).rejects.toMatchObject({
      code: 'too_large_uncompressed',
      message: 'The PDF expands to more than 20 MB (MAX_UNCOMPRESSED_MB); refusing to open it',
    });
    expect(readPdfSpy).not.toHaveBeenCalled();
    readPdfSpy.mockRestore();
  });

  it('reports a PDF that cannot be parsed as corrupt', async () => {
    await expect(extractDocument(makeCorruptPdf(), 'broken.pdf', OPTIONS)).rejects.toMatchObject({
      code: 'corrupt',
      message: 'The PDF is damaged and its text cannot be read',
    });
  });

  it('gives up on a PDF that takes longer than the time limit, as corrupt', async () => {
    const error = await readPdf(makePdf(['A perfectly good page.']), 1).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DocumentError);
    expect(error).toMatchObject({ code: 'corrupt', message: 'The PDF could not be read within 0 s; it may be damaged or too complex' });
  });

  it('refuses a PDF without a text layer as empty, pointing at OCR', async () => {
    await expect(extractDocument(makePdf(['', '']), 'scan.pdf', OPTIONS)).rejects.toMatchObject({
      code: 'empty',
      message: 'The PDF contains no text; scanned PDFs need OCR, which is not supported',
    });
  });
});

const samplesPresent = existsSync(KB_SAMPLE_DOCS);
if (!samplesPresent) console.warn(`Skipping the kb-sample PDF tests: ${KB_SAMPLE_DOCS} does not exist (CI checks it out at ../shared).`);

(samplesPresent ? describe : describe.skip)(`extractDocument on the kb-sample manual pages (${KB_SAMPLE_DOCS})`, () => {
  it('reads every page of tmux.1.pdf', async () => {
    const result = await extractDocument(readFileSync(join(KB_SAMPLE_DOCS, 'tmux.1.pdf')), 'tmux.1.pdf', OPTIONS);
    expect(result.pages).toHaveLength(56);
    expect(result.pages?.[0]).toContain('tmux — terminal multiplexer');
    expect(result.title).toBe('TMUX (1) BSD General Commands Manual TMUX (1)');
  });

  it('reads systemd.timer.5.pdf, including its later pages', async () => {
    const result = await extractDocument(readFileSync(join(KB_SAMPLE_DOCS, 'systemd.timer.5.pdf')), 'systemd.timer.5.pdf', OPTIONS);
    expect(result.pages).toHaveLength(5);
    expect(result.text).toContain('systemd.timer - Timer unit configuration');
    expect(result.pages?.slice(1).join('\n')).toContain('OnCalendar=');
  });
});
