// Why an uploaded document was refused, as a stable code and a message the uploader can act on.
export type DocumentErrorCode = 'unsupported_type' | 'corrupt' | 'encrypted' | 'too_large_uncompressed' | 'too_complex' | 'empty';

export class DocumentError extends Error {
  constructor(
    readonly code: DocumentErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DocumentError';
  }
}
