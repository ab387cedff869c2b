import { makeCorruptDocx, makeDocx, makePdf, makeZip } from '../../../test/support/fixtures';
import { detectDocumentKind } from './detect-type';
import { DocumentError } from './document-error';

const OLE_SIGNATURE = Buffer.from('d0cf11e0a1b11ae1', 'hex');
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

function refusal(buffer: Buffer, filename: string): DocumentError {
  try {
    detectDocumentKind(buffer, filename);
  } catch (error) {
    if (error instanceof DocumentError) return error;
    throw error;
  }
  throw new Error(`${filename} was accepted`);
}

describe('detectDocumentKind', () => {
  it('recognises a PDF by its header whatever the file is called', () => {
    expect(detectDocumentKind(makePdf(['Reset your password']), 'notes.txt')).toBe('pdf');
    expect(detectDocumentKind(makePdf(['Reset your password']), 'upload')).toBe('pdf');
  });

  it('recognises a DOCX by the parts inside its zip, not by its name', () => {
    expect(detectDocumentKind(makeDocx(['VPN setup']), 'vpn.docx')).toBe('docx');
    expect(detectDocumentKind(makeDocx(['VPN setup']), 'vpn.bin')).toBe('docx');
  });

  it('treats UTF-8 text named .md or .markdown as Markdown', () => {
    expect(detectDocumentKind(Buffer.from('Plain words, no heading.'), 'guide.md')).toBe('markdown');
    expect(detectDocumentKind(Buffer.from('Plain words, no heading.'), 'GUIDE.MARKDOWN')).toBe('markdown');
  });

  it('treats UTF-8 text with a heading line as Markdown whatever its extension', () => {
    expect(detectDocumentKind(Buffer.from('Intro\n\n## Printers\nUse the queue.'), 'printers.txt')).toBe('markdown');
  });

  it('treats other UTF-8 text as plain text, including a # without a space', () => {
    expect(detectDocumentKind(Buffer.from('Call the help desk on #4242.\nÜbergröße is fine.'), 'notes.txt')).toBe('text');
  });

  it('refuses an image renamed .pdf, saying the content is not a PDF', () => {
    const error = refusal(PNG, 'scan.pdf');
    expect(error.code).toBe('unsupported_type');
    expect(error.message).toBe('The file is named .pdf but its content is not a PDF; upload a PDF, DOCX, Markdown or text document');
  });

  it('refuses binary content that is not a supported document', () => {
    expect(refusal(PNG, 'photo.png')).toMatchObject({ code: 'unsupported_type', message: 'The file is not a PDF, DOCX, Markdown or text document' });
    expect(refusal(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]), 'tool')).toMatchObject({ code: 'unsupported_type' });
  });

  it('refuses text with NUL bytes, such as UTF-16', () => {
    expect(refusal(Buffer.from('\ufeffhello', 'utf16le'), 'notes.txt').code).toBe('unsupported_type');
  });

  it('refuses bytes that are not valid UTF-8', () => {
    expect(refusal(Buffer.from([0x68, 0x69, 0xc3, 0x28]), 'notes.txt').code).toBe('unsupported_type');
  });

  it('refuses a zip that is not a DOCX, such as a spreadsheet', () => {
    const xlsx = makeZip({ '[Content_Types].xml': '<Types/>', 'xl/workbook.xml': '<workbook/>' });
    expect(refusal(xlsx, 'budget.docx')).toMatchObject({ code: 'unsupported_type', message: expect.stringContaining('not a DOCX') });
  });

  it('refuses a password-protected Office file as encrypted', () => {
    // Only what the detector reads: the OLE signature and, in the container's directory, the stream's UTF-16 name.
    const encryptedDocx = Buffer.concat([OLE_SIGNATURE, Buffer.alloc(504), Buffer.from('EncryptedPackage', 'utf16le'), Buffer.alloc(64)]);
    expect(refusal(encryptedDocx, 'salaries.docx')).toMatchObject({ code: 'encrypted', message: expect.stringContaining('password-protected') });
  });

  it('refuses a legacy Office document, suggesting DOCX or PDF', () => {
    const legacyDoc = Buffer.concat([OLE_SIGNATURE, Buffer.alloc(504), Buffer.from('WordDocument', 'utf16le'), Buffer.alloc(64)]);
    expect(refusal(legacyDoc, 'policy.doc')).toMatchObject({ code: 'unsupported_type', message: expect.stringContaining('save it as DOCX or PDF') });
  });

  it('refuses an empty file, saying it is empty', () => {
    expect(refusal(Buffer.alloc(0), 'empty.txt')).toMatchObject({ code: 'unsupported_type', message: 'The file is empty' });
  });

  it('reports a zip whose directory cannot be read as corrupt', () => {
    expect(refusal(makeCorruptDocx('truncated'), 'policy.docx').code).toBe('corrupt');
  });
});
