import { unzipSync } from 'fflate';
import { makeDocx, makeZip, makeZipBomb } from '../../../test/support/fixtures';
import { assertEntriesInflateAsDeclared, MAX_ZIP_ENTRIES, readZipDirectory } from './zip-directory';

const MB = 1024 * 1024;

function zipOfEmptyParts(count: number): Buffer {
  return makeZip(Object.fromEntries(Array.from({ length: count }, (_, i) => [`part${i}.xml`, ''])));
}

describe('readZipDirectory', () => {
  it('lists the entries with the sizes their directory declares, as fflate reads them', () => {
    const bomb = makeZipBomb(5 * MB);
    const fflateView: Array<[string, number, number]> = [];
    unzipSync(bomb, {
      filter: (file) => {
        fflateView.push([file.name, file.originalSize, file.size]);
        return false;
      },
    });

    const entries = readZipDirectory(bomb);

    expect(entries.map((entry) => [entry.name, entry.uncompressedSize, entry.compressedSize])).toEqual(fflateView);
    expect(entries.find((entry) => entry.name === 'word/document.xml')).toMatchObject({ method: 8, uncompressedSize: 5 * MB });
  });

  it(`refuses an archive with more than ${MAX_ZIP_ENTRIES} entries before walking them`, () => {
    expect(() => readZipDirectory(zipOfEmptyParts(MAX_ZIP_ENTRIES + 1))).toThrow(
      expect.objectContaining({ code: 'too_large_uncompressed', message: 'The archive holds more than 10,000 files; refusing to open it' }),
    );
  });

  it('reads an archive of exactly the entry limit', () => {
    expect(readZipDirectory(zipOfEmptyParts(MAX_ZIP_ENTRIES))).toHaveLength(MAX_ZIP_ENTRIES);
  });

  it('finds the directory behind an archive comment', () => {
    const docx = makeDocx(['VPN setup']);
    const comment = Buffer.from('made by the fixtures');
    const withComment = Buffer.concat([docx, comment]);
    withComment.writeUInt16LE(comment.length, docx.length - 2);
    expect(readZipDirectory(withComment).map((entry) => entry.name)).toContain('word/document.xml');
  });

  it('reports bytes without an end-of-directory record as corrupt', () => {
    const docx = makeDocx(['VPN setup']);
    expect(() => readZipDirectory(docx.subarray(0, docx.length - 30))).toThrow(expect.objectContaining({ code: 'corrupt' }));
  });
});

describe('assertEntriesInflateAsDeclared', () => {
  it('accepts entries that inflate to exactly their declared sizes', () => {
    const bomb = makeZipBomb(5 * MB);
    expect(() => assertEntriesInflateAsDeclared(bomb, readZipDirectory(bomb))).not.toThrow();
  });

  it('stops at the first entry that inflates to more than it declares, as corrupt', () => {
    const forged = makeZipBomb(20 * MB, { declaredBytes: 1000 });
    const entries = readZipDirectory(forged);
    expect(entries.find((entry) => entry.name === 'word/document.xml')?.uncompressedSize).toBe(1000);

    expect(() => assertEntriesInflateAsDeclared(forged, entries)).toThrow(
      expect.objectContaining({ code: 'corrupt', cause: new RangeError('word/document.xml inflates to more than its declared 1000 bytes') }),
    );
  });

  it('reports an entry that inflates to fewer bytes than declared as corrupt', () => {
    const padded = makeZipBomb(MB, { declaredBytes: MB + 1 });
    expect(() => assertEntriesInflateAsDeclared(padded, readZipDirectory(padded))).toThrow(expect.objectContaining({ code: 'corrupt' }));
  });
});
