import mammoth from 'mammoth';
import { makeCorruptDocx, makeDocx, makeZip, makeZipBomb } from '../../../test/support/fixtures';
import { DocumentError } from './document-error';
import { extractDocument } from './extract-text';
import { readZipDirectory } from './zip-directory';

const MB = 1024 * 1024;
const budget = (bytes: number) => ({ bytes, limit: 'MAX_UNCOMPRESSED_MB' });

describe('extractDocument for DOCX', () => {
  afterEach(() => jest.restoreAllMocks());

  it('extracts the paragraphs and headings in order, titled by the first one', async () => {
    const docx = makeDocx([{ heading: 'Onboarding a laptop' }, 'Enrol it in MDM & <Intune>.', { heading: 'Accounts' }, 'Create the AD account.']);
    await expect(extractDocument(docx, 'onboarding.docx', budget(MB))).resolves.toEqual({
      kind: 'docx',
      title: 'Onboarding a laptop',
      text: 'Onboarding a laptop\n\nEnrol it in MDM & <Intune>.\n\nAccounts\n\nCreate the AD account.',
      pages: null,
    });
  });

  it('refuses a zip bomb from its declared sizes without inflating it', async () => {
    const bomb = makeZipBomb(30 * MB);
    expect(bomb.length).toBeLessThan(MB / 10); // the fixture really is a bomb: ~30 KB that expands to 30 MB
    const mammothRead = jest.spyOn(mammoth, 'extractRawText');

    const error = await extractDocument(bomb, 'bomb.docx', budget(20 * MB)).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(DocumentError);
    expect(error).toMatchObject({ code: 'too_large_uncompressed', message: 'The DOCX expands to more than 20 MB (MAX_UNCOMPRESSED_MB); refusing to open it' });
    expect(mammothRead).not.toHaveBeenCalled();
  });

  it('opens a DOCX that expands to exactly the limit, and refuses it one byte below', async () => {
    const docx = makeZipBomb(2 * MB);
    const declared = readZipDirectory(docx).reduce((total, entry) => total + entry.uncompressedSize, 0);
    await expect(extractDocument(docx, 'big.docx', budget(declared))).resolves.toMatchObject({ kind: 'docx' });
    await expect(extractDocument(docx, 'big.docx', budget(declared - 1))).rejects.toMatchObject({ code: 'too_large_uncompressed' });
  });

  it('refuses a part of more XML than its reading may hold as too complex, before mammoth builds its tree', async () => {
    const docx = makeDocx(['x'.repeat(4000)]);
    const parse = jest.spyOn(mammoth, 'extractRawText');
    await expect(extractDocument(docx, 'long.docx', { ...budget(MB), xmlPartBytes: 2000 })).rejects.toMatchObject({
      code: 'too_complex',
      message: expect.stringMatching(/^The DOCX's word\/document\.xml holds 5 KB of XML, more than the 2 KB its reading may hold/),
    });
    expect(parse).not.toHaveBeenCalled();
    await expect(extractDocument(docx, 'long.docx', { ...budget(MB), xmlPartBytes: 10_000 })).resolves.toMatchObject({ kind: 'docx' });
    parse.mockRestore();
  });

  it('refuses a zip bomb that declares a harmless size, as corrupt and before mammoth reads it', async () => {
    const forged = makeZipBomb(30 * MB, { declaredBytes: 4096 });
    const mammothRead = jest.spyOn(mammoth, 'extractRawText');

    await expect(extractDocument(forged, 'forged.docx', budget(20 * MB))).rejects.toMatchObject({ code: 'corrupt' });
    expect(mammothRead).not.toHaveBeenCalled();
  });

  it('reports a DOCX whose document data is garbled as a damaged archive', async () => {
    await expect(extractDocument(makeCorruptDocx('garbled'), 'policy.docx', budget(MB))).rejects.toMatchObject({
      code: 'corrupt',
      message: 'The file is a damaged ZIP archive (as DOCX files are) and cannot be opened',
    });
  });

  it('reports a truncated DOCX as corrupt', async () => {
    await expect(extractDocument(makeCorruptDocx('truncated'), 'policy.docx', budget(MB))).rejects.toMatchObject({ code: 'corrupt' });
  });

  it('reports a sound zip whose document part is not XML as a damaged DOCX', async () => {
    const docx = makeZip({ '[Content_Types].xml': '<Types/>', 'word/document.xml': '<w:document><w:body>never closed' });
    await expect(extractDocument(docx, 'policy.docx', budget(MB))).rejects.toMatchObject({
      code: 'corrupt',
      message: 'The DOCX is damaged and its text cannot be read',
    });
  });

  it('refuses a DOCX without text as empty', async () => {
    await expect(extractDocument(makeDocx(['', '  ']), 'blank.docx', budget(MB))).rejects.toMatchObject({
      code: 'empty',
      message: 'The DOCX contains no text',
    });
  });
});
