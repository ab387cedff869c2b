import { expansionBudget, tooLargeUncompressed } from './expansion-budget';

const MB = 1024 * 1024;
const SETTINGS = { maxExpansionRatio: 50, maxUncompressedBytes: 100 * MB };

describe('expansionBudget', () => {
  it('lets an upload expand to a multiple of its size, and says which setting decided it', () => {
    expect(expansionBudget(MB, SETTINGS)).toEqual({ bytes: 50 * MB, limit: '50 times its size, MAX_EXPANSION_RATIO' });
  });

  it('caps the budget of a large upload at MAX_UNCOMPRESSED_MB', () => {
    expect(expansionBudget(3 * MB, SETTINGS)).toEqual({ bytes: 100 * MB, limit: 'MAX_UNCOMPRESSED_MB' });
  });

  it('names the budget in the refusal, in MB or KB', () => {
    expect(tooLargeUncompressed('PDF', expansionBudget(MB, SETTINGS)).message).toBe('The PDF expands to more than 50 MB (50 times its size, MAX_EXPANSION_RATIO); refusing to open it');
    expect(tooLargeUncompressed('DOCX', expansionBudget(10_000, SETTINGS))).toMatchObject({
      code: 'too_large_uncompressed',
      message: 'The DOCX expands to more than 489 KB (50 times its size, MAX_EXPANSION_RATIO); refusing to open it',
    });
  });
});
