// Real, small documents built in memory for the parser unit tests and the e2e suite (no binary fixtures in git).
import { randomBytes } from 'node:crypto';
import { strToU8, zipSync, type Zippable } from 'fflate';

/** A text PDF: one page per string, one text line per `\n`; Helvetica, so pdf.js needs no embedded font. */
export function makePdf(pages: string[], options: { title?: string } = {}): Buffer {
  return buildPdf(pages, { title: options.title });
}

/**
 * A PDF with a Standard security handler whose keys match no password, not even the empty one, so readers
 * ask for a password (pdf.js: PasswordException). Its content is not really encrypted; nothing gets that far.
 */
export function makeEncryptedPdf(): Buffer {
  return buildPdf(['Quarterly salaries'], { encrypted: true });
}

/** Starts like a PDF, then nothing a reader can recover. */
export function makeCorruptPdf(): Buffer {
  return Buffer.from('%PDF-1.7\n%\xE2\xE3\xCF\xD3\nthis is not a PDF body, only its header\n', 'latin1');
}

/** A DOCX with the parts Word and mammoth need; `{ heading }` paragraphs use the Heading1 style. */
export function makeDocx(paragraphs: Array<string | { heading: string }>): Buffer {
  return zipDocx(documentXml(paragraphs.map(paragraphXml).join('')), 6);
}

/**
 * A DOCX-shaped zip whose word/document.xml inflates to `uncompressedBytes` (one repeated letter, ~1,000:1) and says
 * so, unless `declaredBytes` forges a smaller size into its local header and directory entry.
 */
export function makeZipBomb(uncompressedBytes: number, options: { declaredBytes?: number } = {}): Buffer {
  const shell = documentXml(paragraphXml(''));
  const filler = 'a'.repeat(Math.max(0, uncompressedBytes - shell.length));
  const bomb = zipDocx(shell.replace('<w:t xml:space="preserve"></w:t>', `<w:t xml:space="preserve">${filler}</w:t>`), 9);
  if (options.declaredBytes !== undefined) {
    const name = Buffer.from('word/document.xml');
    for (let at = bomb.indexOf(name); at !== -1; at = bomb.indexOf(name, at + 1)) {
      if (bomb.readUInt32LE(at - 30) === 0x04034b50) bomb.writeUInt32LE(options.declaredBytes, at - 30 + 22); // local header
      if (bomb.readUInt32LE(at - 46) === 0x02014b50) bomb.writeUInt32LE(options.declaredBytes, at - 46 + 24); // directory entry
    }
  }
  return bomb;
}

/**
 * A DOCX that cannot be read though it starts with a zip header: 'truncated' loses the central directory
 * (and with it any proof of being a DOCX); 'garbled' keeps the directory but breaks word/document.xml's data.
 */
export function makeCorruptDocx(damage: 'truncated' | 'garbled' = 'truncated'): Buffer {
  const docx = makeDocx(Array.from({ length: 50 }, (_, i) => `Paragraph ${i} about resetting a VPN token.`));
  if (damage === 'truncated') return docx.subarray(0, Math.floor(docx.length / 2));
  const name = Buffer.from('word/document.xml');
  let nameAt = docx.indexOf(name);
  while (docx.readUInt32LE(nameAt - 30) !== 0x04034b50) nameAt = docx.indexOf(name, nameAt + 1); // its local header
  // fflate writes no extra field, so the entry's compressed data starts right after its name.
  const dataStart = nameAt + name.length;
  return Buffer.concat([docx.subarray(0, dataStart), Buffer.alloc(32, 0xff), docx.subarray(dataStart + 32)]);
}

/** A zip holding any parts, e.g. an XLSX-like archive that must not pass for a DOCX. */
export function makeZip(parts: Record<string, string>): Buffer {
  const files: Zippable = {};
  for (const [name, content] of Object.entries(parts)) files[name] = strToU8(content);
  return Buffer.from(zipSync(files));
}

// ---- PDF writer ----

function buildPdf(pages: string[], options: { title?: string; encrypted?: boolean }): Buffer {
  const objects = ['<< /Type /Catalog /Pages 2 0 R >>', '', '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>'];
  const kids: string[] = [];
  for (const page of pages) {
    const content = pageContent(page);
    objects.push(`<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`);
    const contentRef = `${objects.length} 0 R`;
    objects.push(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents ${contentRef} >>`);
    kids.push(`${objects.length} 0 R`);
  }
  objects[1] = `<< /Type /Pages /Kids [${kids.join(' ')}] /Count ${kids.length} >>`;

  let trailer = '/Root 1 0 R';
  if (options.title !== undefined) {
    objects.push(`<< /Title ${pdfString(options.title)} /Producer (support desk test fixtures) >>`);
    trailer += ` /Info ${objects.length} 0 R`;
  }
  if (options.encrypted) {
    // RC4-40 keys that no password reproduces: 32 bytes of 0x11 (owner) and 0x22 (user).
    objects.push(`<< /Filter /Standard /V 1 /R 2 /Length 40 /O <${'11'.repeat(32)}> /U <${'22'.repeat(32)}> /P -44 >>`);
    trailer += ` /Encrypt ${objects.length} 0 R /ID [<${'ab'.repeat(16)}> <${'ab'.repeat(16)}>]`;
  }
  return serializePdf(objects, trailer);
}

function pageContent(page: string): string {
  const lines = page.split('\n').filter((line) => line !== '');
  if (lines.length === 0) return 'BT ET';
  return ['BT', '/F1 12 Tf', '16 TL', '72 720 Td', lines.map((line) => `${pdfString(line)} Tj`).join('\nT*\n'), 'ET'].join('\n');
}

function pdfString(text: string): string {
  return `(${text.replace(/[\\()]/g, '\\$&')})`;
}

/**
 * A PDF of `objects` (numbered from 1 in array order) and the trailer's entries besides /Size; binary stream data
 * goes in as a latin1 string. The xref table needs each object's byte offset.
 */
export function serializePdf(objects: string[], trailer: string): Buffer {
  let body = '%PDF-1.4\n%\xE2\xE3\xCF\xD3\n';
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(Buffer.byteLength(body, 'latin1'));
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xrefOffset = Buffer.byteLength(body, 'latin1');
  const entries = offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('');
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${entries}`;
  body += `trailer\n<< /Size ${objects.length + 1} ${trailer} >>\nstartxref\n${xrefOffset}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

// ---- DOCX writer ----

const CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>
</Types>`;

const PACKAGE_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
</Relationships>`;

// Readers find word/styles.xml by its conventional path when the document has no relationships part.
const STYLES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/></w:style>
</w:styles>`;

function documentXml(body: string): string {
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body}</w:body></w:document>`;
}

function paragraphXml(paragraph: string | { heading: string }): string {
  const text = typeof paragraph === 'string' ? paragraph : paragraph.heading;
  const style = typeof paragraph === 'string' ? '' : '<w:pPr><w:pStyle w:val="Heading1"/></w:pPr>';
  return `<w:p>${style}<w:r><w:t xml:space="preserve">${xmlEscape(text)}</w:t></w:r></w:p>`;
}

function xmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function zipDocx(document: string, level: 6 | 9, extra: Zippable = {}): Buffer {
  const files: Zippable = {
    '[Content_Types].xml': strToU8(CONTENT_TYPES),
    '_rels/.rels': strToU8(PACKAGE_RELS),
    'word/document.xml': strToU8(document),
    'word/styles.xml': strToU8(STYLES),
    ...extra,
  };
  return Buffer.from(zipSync(files, { level }));
}

/**
 * A DOCX whose one paragraph is a single text run of `runBytes`, made large enough by an incompressible
 * picture of `paddingBytes` that the run stays within MAX_EXPANSION_RATIO times the file's size.
 */
export function makeDocxWithLongRun(runBytes: number, paddingBytes: number): Buffer {
  const document = documentXml(`<w:p><w:r><w:t xml:space="preserve">${'a'.repeat(runBytes)}</w:t></w:r></w:p>`);
  return zipDocx(document, 9, { 'word/media/picture.bin': [new Uint8Array(randomBytes(paddingBytes)), { level: 0 }] });
}
