import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { deflateSync } from 'node:zlib';
import { makeFlateBombPdf, onePage, pageText, pdfOf, StreamSource, zlibOfSpaces } from '../../../../test/support/bomb-fixtures';
import { makeEncryptedPdfOpenWithoutPassword } from '../../../../test/support/encrypted-pdf';
import { makeEncryptedPdf, makePdf } from '../../../../test/support/fixtures';
import { DocumentError } from '../document-error';
import { ExpansionBudget } from '../expansion-budget';
import { assertPdfExpandsWithin } from './pdf-expansion';

const MiB = 1024 * 1024;
const KB_SAMPLE_DOCS = resolve(__dirname, '../../../../../shared/kb-sample/docs');

const budget = (bytes: number): ExpansionBudget => ({ bytes, limit: 'MAX_UNCOMPRESSED_MB' });
/** A kilobyte of CCITT G4 data that decodes, with a million columns, to a GiB of rows (1 bit a row). */
const faxBomb = { dict: '/Filter /CCITTFaxDecode /DecodeParms << /K -1 /Columns 1000000 >>', data: Buffer.alloc(1000, 0xff) };
const imageOf = (stream: { dict: string; data: Buffer }) => ({ ...stream, dict: `/Type /XObject /Subtype /Image /Width 1000000 /Height 8000 /BitsPerComponent 1 /ColorSpace /DeviceGray ${stream.dict}` });
const drawsImage = pageText('Scanned policy').toString('latin1') + ' q 612 0 0 792 0 0 cm /Im1 Do Q';

function refusal(pdf: Buffer, bytes: number): DocumentError {
  try {
    assertPdfExpandsWithin(pdf, budget(bytes));
  } catch (error) {
    if (error instanceof DocumentError) return error;
    throw error;
  }
  throw new Error('the PDF was accepted');
}

describe('assertPdfExpandsWithin', () => {
  it('accepts ordinary PDFs, and real ones that expand a few times their size', () => {
    expect(() => assertPdfExpandsWithin(makePdf(['Badge readers', 'Hold the badge flat.']), budget(1))).not.toThrow();
    for (const name of ['tmux.1.pdf', 'systemd.timer.5.pdf'].filter((file) => existsSync(join(KB_SAMPLE_DOCS, file)))) {
      const pdf = readFileSync(join(KB_SAMPLE_DOCS, name));
      expect(() => assertPdfExpandsWithin(pdf, budget(4 * pdf.length))).not.toThrow();
      expect(refusal(pdf, pdf.length).code).toBe('too_large_uncompressed'); // their streams do expand
    }
  });

  it('refuses a page that inflates to a GiB, naming the budget and what set it', () => {
    const error = refusal(makeFlateBombPdf(1024 * MiB), 50 * MiB);
    expect(error).toMatchObject({ code: 'too_large_uncompressed', message: 'The PDF expands to more than 50 MB (MAX_UNCOMPRESSED_MB); refusing to open it' });
  });

  it('adds up the streams: many that each fit, together too many', () => {
    const kids = Array.from({ length: 20 }, (_, index) => `${4 + 2 * index} 0 R`).join(' ');
    const objects: Array<string | StreamSource> = ['<< /Type /Catalog /Pages 2 0 R >>', `<< /Type /Pages /Kids [${kids}] /Count 20 >>`];
    const fourMiB = { dict: '/Filter /FlateDecode', data: zlibOfSpaces(Buffer.alloc(0), 4 * MiB) };
    for (let index = 0; index < 20; index++) objects.push(fourMiB, `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents ${objects.length + 1} 0 R >>`);
    const pdf = pdfOf(objects);
    expect(() => assertPdfExpandsWithin(pdf, budget(80 * MiB))).not.toThrow();
    expect(refusal(pdf, 80 * MiB - 1).code).toBe('too_large_uncompressed');
  });

  it('leaves alone an image pdf.js never decodes to extract text, however far it would expand', () => {
    const scanned = pdfOf(onePage(drawsImage, imageOf(faxBomb)));
    expect(() => assertPdfExpandsWithin(scanned, budget(MiB))).not.toThrow();
    const flateImage = pdfOf(onePage(drawsImage, imageOf({ dict: '/Filter /FlateDecode', data: zlibOfSpaces(Buffer.alloc(0), 64 * MiB) })));
    expect(() => assertPdfExpandsWithin(flateImage, budget(MiB))).not.toThrow();
  });

  it('refuses an image filter used as page contents, even in a stream marked as an image', () => {
    // pdf.js decodes page contents whatever their dictionary says: this kilobyte took 1.6 GB to read.
    for (const contents of [faxBomb, imageOf(faxBomb)]) {
      expect(refusal(pdfOf(onePage(contents)), 100 * MiB)).toMatchObject({
        code: 'too_complex',
        message: 'The PDF uses the image filter CCITTFaxDecode for something other than an image; refusing to open it',
      });
    }
  });

  it('counts a stream marked as an image that is referenced as page contents', () => {
    const contents = imageOf({ dict: '/Filter /FlateDecode', data: zlibOfSpaces(pageText('Hidden'), 64 * MiB) });
    expect(refusal(pdfOf(onePage(contents)), 50 * MiB).code).toBe('too_large_uncompressed');
  });

  it('reads the references held in object streams: a page there can make an image its contents', () => {
    const page = '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>';
    const objectStream = deflateSync(Buffer.from(`7 0 ${page}`, 'latin1'));
    const pdf = pdfOf([
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [7 0 R] /Count 1 >>',
      '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
      imageOf(faxBomb),
      { dict: `/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode`, data: objectStream },
    ]);
    expect(refusal(pdf, 100 * MiB).code).toBe('too_complex');
  });

  it('finds a stream inside another one’s data, where a cross-reference table may point', () => {
    const hidden = zlibOfSpaces(pageText('Hidden'), 64 * MiB);
    const inner = Buffer.concat([Buffer.from(`9 0 obj\n<< /Length ${hidden.length} /Filter /FlateDecode >>\nstream\n`), hidden, Buffer.from('\nendstream\nendobj\n')]);
    expect(refusal(pdfOf(onePage({ dict: '', data: inner })), 50 * MiB).code).toBe('too_large_uncompressed');
  });

  it('reads on to the end of the file when /Length refers to an object it cannot find', () => {
    // A stored block holding the word "endstream" ends the data early for a reader that searches for it.
    const word = Buffer.from(' endstream ');
    const stored = Buffer.concat([Buffer.from([0x78, 0x01, 0x00, word.length, 0x00, ~word.length & 0xff, 0xff]), word]);
    const rest = zlibOfSpaces(Buffer.alloc(0), 64 * MiB).subarray(2);
    const pdf = pdfOf(onePage({ dict: '/Filter /FlateDecode', data: Buffer.concat([stored, rest]) })).toString('latin1');
    const indirect = Buffer.from(pdf.replace(/\/Length \d+ \/Filter/, '/Length 99 0 R /Filter'), 'latin1');
    expect(refusal(indirect, 50 * MiB).code).toBe('too_large_uncompressed');
  });

  it('refuses a predictor whose rows are enormous, whatever little data it holds', () => {
    const contents = { dict: '/Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 100000000 >>', data: deflateSync(Buffer.from([2, 0, 0])) };
    expect(refusal(pdfOf(onePage(contents)), 100 * MiB).code).toBe('too_large_uncompressed');
  });

  it.each(['rc4', 'aes128', 'aes256'] as const)('decrypts a PDF that opens without a password (%s) before it measures it', (method) => {
    const small = makeEncryptedPdfOpenWithoutPassword(method, { zlib: deflateSync(pageText('Salaries are confidential')) });
    expect(() => assertPdfExpandsWithin(small, budget(MiB))).not.toThrow();
    const bomb = makeEncryptedPdfOpenWithoutPassword(method, { zlib: zlibOfSpaces(pageText('Salaries'), 64 * MiB) });
    expect(refusal(bomb, 50 * MiB).code).toBe('too_large_uncompressed');
  });

  it('refuses as password-protected a PDF the empty password does not open', () => {
    expect(refusal(makeEncryptedPdf(), 100 * MiB)).toMatchObject({ code: 'encrypted', message: 'The PDF is password-protected; remove the password and upload it again' });
  });

  it('refuses objects that overlap, each read running on through the next ones, rather than read them all', () => {
    // Reading every one to its end would read the file some 100 times over (a dictionary nests in the next).
    const tangled = Buffer.from(`%PDF-1.4\n${'1 0 obj <<'.repeat(20_000)}`, 'latin1');
    expect(refusal(tangled, 100 * MiB)).toMatchObject({ code: 'too_complex', message: 'The PDF’s objects overlap too much to be checked; it may be damaged' });
  });

  it('refuses as damaged a stream whose dictionary it cannot read', () => {
    const pdf = pdfOf(onePage('<< /Length 10 /Filter /FlateDecode /Note ) >>\nstream\n0123456789\nendstream'));
    expect(refusal(pdf, 100 * MiB)).toMatchObject({ code: 'corrupt', message: 'The PDF has a stream whose dictionary cannot be read; it may be damaged' });
  });
});
