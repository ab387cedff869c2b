// How many bytes an upload may expand to while it is read (inflated, decoded): a multiple of its size, capped, so
// that a small file cannot make a parser hold gigabytes. The budget carries the setting that decided it, for the
// refusal to name.
import { DocumentError } from './document-error';

export interface ExpansionBudget {
  bytes: number;
  /** What set the budget, e.g. "50 times its size, MAX_EXPANSION_RATIO". */
  limit: string;
  /**
   * The most XML one part of a DOCX may hold: mammoth builds a tree of the whole part, many times its size,
   * and a thread that runs out of heap on it can abort the process instead of failing the upload.
   */
  xmlPartBytes?: number;
}

export interface ExpansionSettings {
  maxExpansionRatio: number;
  maxUncompressedBytes: number;
}

export function expansionBudget(uploadBytes: number, { maxExpansionRatio, maxUncompressedBytes }: ExpansionSettings): ExpansionBudget {
  const proportional = uploadBytes * maxExpansionRatio;
  return proportional < maxUncompressedBytes
    ? { bytes: proportional, limit: `${maxExpansionRatio} times its size, MAX_EXPANSION_RATIO` }
    : { bytes: maxUncompressedBytes, limit: 'MAX_UNCOMPRESSED_MB' };
}

export function tooLargeUncompressed(kind: 'PDF' | 'DOCX', budget: ExpansionBudget): DocumentError {
  return new DocumentError('too_large_uncompressed', `The ${kind} expands to more than ${formatBytes(budget.bytes)} (${budget.limit}); refusing to open it`);
}

export function formatBytes(bytes: number): string {
  const megabytes = bytes / (1024 * 1024);
  return megabytes >= 1 ? `${Number(megabytes.toFixed(1))} MB` : `${Math.ceil(bytes / 1024)} KB`;
}
